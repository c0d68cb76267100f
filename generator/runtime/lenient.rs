//! Lenient reading of scalar fields.
//!
//! Intercom's API is loose about scalar types: it sends integer ids where its description
//! declares strings, numeric strings where it declares integers, and prices as numbers in string
//! fields. The generated types read every scalar field through these functions, so such a value
//! is accepted (and kept as the declared Rust type) instead of failing the whole response.
//! Writing is unaffected: values are serialized as their declared type.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;

/// A string field that also accepts numbers and booleans (kept as their JSON text).
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(StringVisitor)
}

/// An optional string field; `null` is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(OptionVisitor(StringVisitor))
}

/// An integer field that also accepts integer-valued floats and numeric strings.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(IntegerVisitor)
}

/// An optional integer field; `null` (and an empty string) is `None`.
pub fn opt_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(OptionVisitor(IntegerVisitor))
}

/// A number field that also accepts numeric strings.
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(NumberVisitor)
}

/// An optional number field; `null` (and an empty string) is `None`.
pub fn opt_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    deserializer.deserialize_option(OptionVisitor(NumberVisitor))
}

/// A map of strings whose values may also be numbers or booleans (kept as their JSON text);
/// `null` values are dropped.
pub fn string_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    let values = BTreeMap::<String, Option<LenientString>>::deserialize(deserializer)?;
    Ok(values
        .into_iter()
        .filter_map(|(key, value)| Some((key, value?.0)))
        .collect())
}

/// An optional map of strings; see [`string_map`].
pub fn opt_string_map<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<BTreeMap<String, String>>, D::Error> {
    let values = Option::<BTreeMap<String, Option<LenientString>>>::deserialize(deserializer)?;
    Ok(values.map(|values| {
        values
            .into_iter()
            .filter_map(|(key, value)| Some((key, value?.0)))
            .collect()
    }))
}

struct LenientString(String);

impl<'de> Deserialize<'de> for LenientString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        string(deserializer).map(LenientString)
    }
}

#[derive(Clone, Copy)]
struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string (or a number or boolean)")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<String, E> {
        Ok(value.to_owned())
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<String, E> {
        Ok(value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<String, E> {
        Ok(value.to_string())
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<String, E> {
        Ok(value.to_string())
    }
}

#[derive(Clone, Copy)]
struct IntegerVisitor;

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer (or an integer-valued number or string)")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<i64, E> {
        Ok(value)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<i64, E> {
        i64::try_from(value).map_err(|_| E::custom(format!("integer {value} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<i64, E> {
        // Only whole numbers within range; anything else is a real type error.
        if value.fract() == 0.0 && value.abs() < 9.0e15 {
            Ok(value as i64)
        } else {
            Err(E::invalid_type(de::Unexpected::Float(value), &self))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<i64, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::invalid_type(de::Unexpected::Str(value), &self))
    }
}

#[derive(Clone, Copy)]
struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number (or a numeric string)")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<f64, E> {
        Ok(value as f64)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<f64, E> {
        Ok(value)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<f64, E> {
        value
            .trim()
            .parse()
            .map_err(|_| E::invalid_type(de::Unexpected::Str(value), &self))
    }
}

/// Wraps a scalar visitor for an optional field: `null`, absence and an empty string
/// (for non-string types) are `None`.
struct OptionVisitor<V>(V);

impl<'de, V> Visitor<'de> for OptionVisitor<V>
where
    V: Visitor<'de> + Copy,
    V::Value: EmptyAsNone,
{
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value.is_empty() && V::Value::EMPTY_IS_NONE {
            return Ok(None);
        }
        self.0.visit_str(value).map(Some)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        self.visit_str(&value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(value).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(value).map(Some)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(value).map(Some)
    }
}

/// Whether an empty string means "no value" for a scalar type (it does not for strings).
trait EmptyAsNone {
    const EMPTY_IS_NONE: bool;
}

impl EmptyAsNone for String {
    const EMPTY_IS_NONE: bool = false;
}

impl EmptyAsNone for i64 {
    const EMPTY_IS_NONE: bool = true;
}

impl EmptyAsNone for f64 {
    const EMPTY_IS_NONE: bool = true;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "super::string")]
        id: String,
        #[serde(default, deserialize_with = "super::opt_integer")]
        count: Option<i64>,
        #[serde(default, deserialize_with = "super::opt_number")]
        price: Option<f64>,
    }

    #[test]
    fn numbers_and_strings_are_read_as_the_declared_type() {
        let sample: Sample =
            serde_json::from_str(r#"{"id": 123, "count": "42", "price": "9.5"}"#).unwrap();
        assert_eq!(
            (sample.id.as_str(), sample.count, sample.price),
            ("123", Some(42), Some(9.5))
        );
        let sample: Sample =
            serde_json::from_str(r#"{"id": "a", "count": null, "price": ""}"#).unwrap();
        assert_eq!(
            (sample.id.as_str(), sample.count, sample.price),
            ("a", None, None)
        );
        assert!(serde_json::from_str::<Sample>(r#"{"id": "a", "count": 1.5}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"id": {}}"#).is_err());
    }
}
