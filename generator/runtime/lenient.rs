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
use std::marker::PhantomData;

/// A string field that also accepts numbers and booleans (kept as their JSON text).
pub fn string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    deserializer.deserialize_any(Lenient::<String>::new())
}

/// An optional string field; `null` is `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    deserializer.deserialize_option(OptionVisitor::<String>::new())
}

/// An integer field that also accepts integer-valued floats and numeric strings.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    deserializer.deserialize_any(Lenient::<i64>::new())
}

/// An optional integer field; `null` (and an empty string) is `None`.
pub fn opt_integer<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    deserializer.deserialize_option(OptionVisitor::<i64>::new())
}

/// A number field that also accepts numeric strings.
pub fn number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    deserializer.deserialize_any(Lenient::<f64>::new())
}

/// An optional number field; `null` (and an empty string) is `None`.
pub fn opt_number<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    deserializer.deserialize_option(OptionVisitor::<f64>::new())
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

/// A scalar field type and its lenient conversions: which JSON scalars it takes, and as what.
/// `None` refuses the value. The one statement of these rules, for the functions here and for
/// [`object`](super::object).
pub(crate) trait Scalar: Sized {
    /// What the type takes, for error messages.
    const EXPECTING: &'static str;

    /// Whether an empty string is "no value" for an optional field (it is not for strings).
    const EMPTY_IS_NONE: bool;

    fn from_str(value: &str) -> Option<Self>;

    fn from_string(value: String) -> Result<Self, String> {
        Self::from_str(&value).ok_or(value)
    }

    fn from_i64(value: i64) -> Option<Self>;

    fn from_u64(value: u64) -> Option<Self>;

    fn from_f64(value: f64) -> Option<Self>;

    fn from_bool(value: bool) -> Option<Self>;
}

/// Numbers and booleans are kept as their JSON text.
impl Scalar for String {
    const EXPECTING: &'static str = "a string (or a number or boolean)";
    const EMPTY_IS_NONE: bool = false;

    fn from_str(value: &str) -> Option<Self> {
        Some(value.to_owned())
    }

    fn from_string(value: String) -> Result<Self, String> {
        Ok(value)
    }

    fn from_i64(value: i64) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_u64(value: u64) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_f64(value: f64) -> Option<Self> {
        Some(value.to_string())
    }

    fn from_bool(value: bool) -> Option<Self> {
        Some(value.to_string())
    }
}

/// Integer-valued floats and numeric strings are integers.
impl Scalar for i64 {
    const EXPECTING: &'static str = "an integer (or an integer-valued number or string)";
    const EMPTY_IS_NONE: bool = true;

    fn from_str(value: &str) -> Option<Self> {
        value.trim().parse().ok()
    }

    fn from_i64(value: i64) -> Option<Self> {
        Some(value)
    }

    fn from_u64(value: u64) -> Option<Self> {
        i64::try_from(value).ok()
    }

    fn from_f64(value: f64) -> Option<Self> {
        (value.fract() == 0.0 && value.abs() < 9.0e15).then_some(value as i64)
    }

    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

/// Numeric strings are numbers.
impl Scalar for f64 {
    const EXPECTING: &'static str = "a number (or a numeric string)";
    const EMPTY_IS_NONE: bool = true;

    fn from_str(value: &str) -> Option<Self> {
        value.trim().parse().ok()
    }

    fn from_i64(value: i64) -> Option<Self> {
        Some(value as f64)
    }

    fn from_u64(value: u64) -> Option<Self> {
        Some(value as f64)
    }

    fn from_f64(value: f64) -> Option<Self> {
        Some(value)
    }

    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

impl Scalar for bool {
    const EXPECTING: &'static str = "a boolean";
    const EMPTY_IS_NONE: bool = true;

    fn from_str(_: &str) -> Option<Self> {
        None
    }

    fn from_i64(_: i64) -> Option<Self> {
        None
    }

    fn from_u64(_: u64) -> Option<Self> {
        None
    }

    fn from_f64(_: f64) -> Option<Self> {
        None
    }

    fn from_bool(value: bool) -> Option<Self> {
        Some(value)
    }
}

/// Reads a scalar by its [`Scalar`] conversions; what they refuse is an error.
struct Lenient<T>(PhantomData<T>);

impl<T> Lenient<T> {
    fn new() -> Self {
        Lenient(PhantomData)
    }
}

impl<'de, T: Scalar> Visitor<'de> for Lenient<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<T, E> {
        T::from_bool(value).ok_or_else(|| E::invalid_type(de::Unexpected::Bool(value), &self))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        T::from_i64(value).ok_or_else(|| E::invalid_type(de::Unexpected::Signed(value), &self))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        // Every scalar read here takes integers: refusing one means it is out of range.
        T::from_u64(value).ok_or_else(|| E::custom(format!("integer {value} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
        // Only whole numbers within range are integers; anything else is a real type error.
        T::from_f64(value).ok_or_else(|| E::invalid_type(de::Unexpected::Float(value), &self))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        T::from_str(value).ok_or_else(|| E::invalid_type(de::Unexpected::Str(value), &self))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        T::from_string(value).map_err(|value| E::invalid_type(de::Unexpected::Str(&value), &self))
    }
}

/// Wraps [`Lenient`] for an optional field: `null`, absence and an empty string (for
/// non-string types) are `None`.
struct OptionVisitor<T>(PhantomData<T>);

impl<T> OptionVisitor<T> {
    fn new() -> Self {
        OptionVisitor(PhantomData)
    }
}

impl<'de, T: Scalar> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)?;
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
        if value.is_empty() && T::EMPTY_IS_NONE {
            return Ok(None);
        }
        Lenient::<T>::new().visit_str(value).map(Some)
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Self::Value, E> {
        self.visit_str(&value)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Lenient::<T>::new().visit_i64(value).map(Some)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        Lenient::<T>::new().visit_u64(value).map(Some)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        Lenient::<T>::new().visit_f64(value).map(Some)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
        Lenient::<T>::new().visit_bool(value).map(Some)
    }
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
