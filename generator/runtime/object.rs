//! Reading and writing the generated structs as JSON objects, tolerant of response drift.
//!
//! The API does not always send what its description declares: a property the description
//! marks required is sometimes absent (it was renamed in another revision), and a property
//! declared as an object sometimes holds a string (`ticket_state: "submitted"`, a `pages.next`
//! URL). Failing the whole response for one such property would hide everything else it holds,
//! so every generated struct is read by the rules here instead of by a derived `Deserialize`:
//!
//! - an absent property leaves its field at its default (`None` for optional fields);
//! - a value that does not fit its field's type (after the lenient scalar conversions of
//!   [`lenient`](super::lenient)) is kept, as sent, under its own key in the struct's
//!   `additional_properties`, and the field keeps its default. Writing the struct writes that
//!   raw value instead of the field, so a response is re-encoded as it came.
//!
//! Inside the variants of an untagged union both are errors (see [`strict`]): there they are
//! what tells one variant from another, and the union's fallback keeps what fits none.
//!
//! Each generated struct is declared to this module with the crate-internal `object!` macro: its
//! name, each field with its wire name, and the field that receives the other properties.
//!
//! Reading is one pass over the input ([`FromJson::read`]): each property is read straight into
//! its field; a property the struct does not declare is copied as JSON text into its
//! [`AdditionalProperties`] (no [`Value`] is built for it), and only a value that does not fit
//! its field is collected as a [`Value`]. Nothing is buffered on the way, so a response costs
//! about what a derived strict `Deserialize` costs.

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor,
};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::lenient::Scalar;
use super::properties::{AdditionalProperties, Members, OpenText};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// What reading a value for a field gave: the field's type, or the JSON as sent when it does
/// not fit that type (the struct keeps it in its `additional_properties`).
pub enum Read<T> {
    /// The value, read as the field's type.
    Fit(T),
    /// The value as sent; it does not fit the field's type.
    Misfit(Value),
}

/// A type a struct field can have: how to read it from JSON in one pass, and (for the few places
/// that hold a [`Value`] already: union variants, flattened fields) how to tell whether a value
/// fits it.
pub trait FromJson: Sized {
    /// Whether `value` can be read as this type. Containers check every element before taking
    /// any, so a value that does not fit is kept whole.
    fn fits(value: &Value) -> bool;

    /// Reads a value for which [`fits`](FromJson::fits) holds.
    fn from_json(value: Value) -> Result<Self, serde_json::Error>;

    /// Reads the next value of `deserializer` as this type, or as the [`Value`] it is when it
    /// does not fit. Errors are the input's own (malformed JSON), or a misfit while reading
    /// [`strict`]ly. The default reads a [`Value`] first; the types a response is mostly made of
    /// (structs, scalars, containers) read directly.
    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        if Self::fits(&value) {
            Self::from_json(value)
                .map(Read::Fit)
                .map_err(de::Error::custom)
        } else {
            Ok(Read::Misfit(value))
        }
    }

    /// Whether the type is an `Option` (a property that may be absent).
    const OPTIONAL: bool = false;

    /// Whether the field is left out when writing (an optional field that is `None`).
    fn is_absent(&self) -> bool {
        false
    }
}

thread_local! {
    /// Set while an untagged union tries its variants (see [`strict`]).
    static STRICT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Reads one variant of an untagged union strictly: there, an absent required property or a
/// value that does not fit is what tells the variants apart, so it fails the variant (and the
/// union tries the next one, or keeps the JSON in its fallback) instead of being tolerated.
pub fn strict<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let outer = STRICT.with(|strict| strict.replace(true));
    let result = T::deserialize(deserializer);
    STRICT.with(|strict| strict.set(outer));
    result
}

/// Whether structs are being read strictly (inside an untagged union's variant).
pub fn is_strict() -> bool {
    STRICT.with(std::cell::Cell::get)
}

/// Every value fits: enums of mixed strings and integers, unions with a fallback variant.
pub fn any(_: &Value) -> bool {
    true
}

/// Whether the type's `Deserialize` accepts `value` (unions without a fallback variant).
pub fn deserializes<T: DeserializeOwned>(value: &Value) -> bool {
    T::deserialize(value).is_ok()
}

/// Implements [`FromJson`] for a generated enum or union, read through its own `Deserialize`;
/// the generated code states which values fit (e.g. `serde_json::Value::is_string`).
macro_rules! value {
    ($name:ident, $fits:expr) => {
        impl $crate::runtime::object::FromJson for $name {
            #[inline]
            fn fits(value: &serde_json::Value) -> bool {
                ($fits)(value)
            }

            // Inline (compiled only where used, like generic code): reading from a `Value`
            // instantiates the whole reader for the type.
            #[inline]
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                <Self as serde::Deserialize>::deserialize(value)
            }
        }
    };
}

pub(crate) use value;

impl FromJson for String {
    fn fits(value: &Value) -> bool {
        matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::String(text) => Ok(text),
            other => super::lenient::string(&other),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<Self>(PhantomData))
    }
}

impl FromJson for i64 {
    fn fits(value: &Value) -> bool {
        super::lenient::integer(value).is_ok()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        super::lenient::integer(&value)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<Self>(PhantomData))
    }
}

impl FromJson for f64 {
    fn fits(value: &Value) -> bool {
        super::lenient::number(value).is_ok()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        super::lenient::number(&value)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<Self>(PhantomData))
    }
}

impl FromJson for bool {
    fn fits(value: &Value) -> bool {
        value.is_boolean()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        bool::deserialize(value)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(ScalarVisitor::<Self>(PhantomData))
    }
}

impl FromJson for Value {
    fn fits(_: &Value) -> bool {
        true
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        Ok(value)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        Value::deserialize(deserializer).map(Read::Fit)
    }
}

impl FromJson for Map<String, Value> {
    fn fits(value: &Value) -> bool {
        value.is_object()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        Map::deserialize(value)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Object(entries) => Ok(Read::Fit(entries)),
            other => Ok(Read::Misfit(other)),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn fits(value: &Value) -> bool {
        value.is_null() || T::fits(value)
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_option(OptionVisitor::<T>(PhantomData))
    }

    const OPTIONAL: bool = true;

    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: FromJson> FromJson for Box<T> {
    fn fits(value: &Value) -> bool {
        T::fits(value)
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        T::from_json(value).map(Box::new)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        Ok(match T::read(deserializer)? {
            Read::Fit(value) => Read::Fit(Box::new(value)),
            Read::Misfit(value) => Read::Misfit(value),
        })
    }
}

/// An element that does not fit makes the whole array a misfit: it is kept as JSON, the
/// elements read before it written back as JSON.
impl<T: FromJson + Serialize> FromJson for Vec<T> {
    fn fits(value: &Value) -> bool {
        value
            .as_array()
            .is_some_and(|items| items.iter().all(T::fits))
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Array(items) => items.into_iter().map(T::from_json).collect(),
            other => Err(mismatch(&other, "an array")),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(ArrayVisitor::<T>(PhantomData))
    }
}

/// A map's `null` values are dropped (as if absent) unless its value type accepts `null`.
impl<T: FromJson + Serialize> FromJson for BTreeMap<String, T> {
    fn fits(value: &Value) -> bool {
        value.as_object().is_some_and(|entries| {
            entries
                .values()
                .all(|value| value.is_null() || T::fits(value))
        })
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        match value {
            Value::Object(entries) => typed_entries(entries),
            other => Err(mismatch(&other, "an object")),
        }
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        deserializer.deserialize_any(MapVisitor::<T>(PhantomData))
    }
}

/// Reads one value with [`FromJson::read`] (for `next_value_seed` and `next_element_seed`).
struct ReadSeed<T>(PhantomData<T>);

impl<'de, T: FromJson> DeserializeSeed<'de> for ReadSeed<T> {
    type Value = Read<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read<T>, D::Error> {
        T::read(deserializer)
    }
}

/// Implements the visitor methods for the JSON kinds a type does not accept: each gives the
/// value as sent, as a [`Read::Misfit`].
macro_rules! misfits {
    (scalars) => {
        fn visit_bool<E: de::Error>(self, value: bool) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::Bool(value)))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::from(value)))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::from(value)))
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::from(value)))
        }

        fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::String(value.to_owned())))
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Read::Misfit(Value::Null))
        }
    };
    (seq) => {
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            let seq = serde::de::value::SeqAccessDeserializer::new(seq);
            <serde_json::Value as serde::Deserialize>::deserialize(seq)
                .map($crate::runtime::object::Read::Misfit)
        }
    };
    (map) => {
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let map = serde::de::value::MapAccessDeserializer::new(map);
            <serde_json::Value as serde::Deserialize>::deserialize(map)
                .map($crate::runtime::object::Read::Misfit)
        }
    };
}

pub(crate) use misfits;

struct ScalarVisitor<T>(PhantomData<T>);

/// Reads a scalar by the lenient conversions of [`Scalar`]; what they refuse is a misfit.
impl<'de, T: Scalar> Visitor<'de> for ScalarVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Read<T>, E> {
        Ok(T::from_bool(value).map_or(Read::Misfit(Value::Bool(value)), Read::Fit))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Read<T>, E> {
        Ok(T::from_i64(value).map_or_else(|| Read::Misfit(Value::from(value)), Read::Fit))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Read<T>, E> {
        Ok(T::from_u64(value).map_or_else(|| Read::Misfit(Value::from(value)), Read::Fit))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Read<T>, E> {
        Ok(T::from_f64(value).map_or_else(|| Read::Misfit(Value::from(value)), Read::Fit))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Read<T>, E> {
        Ok(T::from_str(value)
            .map_or_else(|| Read::Misfit(Value::String(value.to_owned())), Read::Fit))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Read<T>, E> {
        Ok(
            T::from_string(value)
                .map_or_else(|value| Read::Misfit(Value::String(value)), Read::Fit),
        )
    }

    fn visit_unit<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::Null))
    }

    misfits!(seq);
    misfits!(map);
}

/// `null` is `None`; anything else is read as `T`.
struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: FromJson> Visitor<'de> for OptionVisitor<T> {
    type Value = Read<Option<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Read::Fit(None))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Read::Fit(None))
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Ok(match T::read(deserializer)? {
            Read::Fit(value) => Read::Fit(Some(value)),
            Read::Misfit(value) => Read::Misfit(value),
        })
    }
}

struct ArrayVisitor<T>(PhantomData<T>);

impl<'de, T: FromJson + Serialize> Visitor<'de> for ArrayVisitor<T> {
    type Value = Read<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(ReadSeed::<T>(PhantomData))? {
            match item {
                Read::Fit(item) => items.push(item),
                Read::Misfit(misfit) => {
                    let mut values = to_values(&items).map_err(de::Error::custom)?;
                    values.push(misfit);
                    while let Some(value) = seq.next_element::<Value>()? {
                        values.push(value);
                    }
                    return Ok(Read::Misfit(Value::Array(values)));
                }
            }
        }
        Ok(Read::Fit(items))
    }

    misfits!(scalars);
    misfits!(map);
}

fn to_values<T: Serialize>(items: &[T]) -> Result<Vec<Value>, serde_json::Error> {
    items.iter().map(serde_json::to_value).collect()
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: FromJson + Serialize> Visitor<'de> for MapVisitor<T> {
    type Value = Read<BTreeMap<String, T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = BTreeMap::new();
        // `null`s dropped so far, to keep them if the map turns out not to fit.
        let mut nulls = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value_seed(ReadSeed::<T>(PhantomData))? {
                Read::Fit(value) => {
                    entries.insert(key, value);
                }
                Read::Misfit(Value::Null) => nulls.push(key),
                Read::Misfit(misfit) => {
                    let mut values = Map::new();
                    for (key, value) in &entries {
                        let value = serde_json::to_value(value).map_err(de::Error::custom)?;
                        values.insert(key.clone(), value);
                    }
                    values.extend(nulls.into_iter().map(|key| (key, Value::Null)));
                    values.insert(key, misfit);
                    while let Some((key, value)) = map.next_entry::<String, Value>()? {
                        values.insert(key, value);
                    }
                    return Ok(Read::Misfit(Value::Object(values)));
                }
            }
        }
        Ok(Read::Fit(entries))
    }

    misfits!(scalars);
    misfits!(seq);
}

fn typed_entries<T: FromJson>(
    entries: Map<String, Value>,
) -> Result<BTreeMap<String, T>, serde_json::Error> {
    let keeps_null = T::fits(&Value::Null);
    entries
        .into_iter()
        .filter(|(_, value)| keeps_null || !value.is_null())
        .map(|(key, value)| {
            if T::fits(&value) {
                T::from_json(value).map(|value| (key, value))
            } else {
                Err(error(format!(
                    "property `{key}`: {}",
                    mismatch(&value, "the declared type of the other properties")
                )))
            }
        })
        .collect()
}

fn error(message: String) -> serde_json::Error {
    <serde_json::Error as serde::de::Error>::custom(message)
}

fn mismatch(value: &Value, expected: &str) -> serde_json::Error {
    error(format!("expected {expected}, found {}", json_kind(value)))
}

/// What kind of JSON a value is, for messages ("a string", "an object").
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A generated struct, as [`ObjectVisitor`] reads it: property by property, into a default.
pub trait Object: Default {
    /// Reads the value of the property `key` into its field, when the struct declares it.
    fn read_property<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
    ) -> Result<Property, A::Error>;

    /// The wire name of a required property (a field that is not an `Option`) for which
    /// `was_read` does not hold.
    fn missing_required(&self, was_read: &dyn Fn(&str) -> bool) -> Option<&'static str>;

    /// The field that receives the properties the struct does not declare (and the declared
    /// ones whose value does not fit).
    fn rest(&mut self) -> impl Rest + '_;
}

/// The other properties of a struct, collected while it is read and handed to its field at the
/// end: as the text an [`AdditionalProperties`] field keeps, or as the object a flattened field
/// is read from. A typed map of other properties is filled in place, without either.
#[derive(Default)]
pub struct Others {
    text: OpenText,
    flattened: Map<String, Value>,
}

/// What [`Object::read_property`] did with a property.
pub enum Property {
    /// Read into its field.
    Read,
    /// Declared, but its value does not fit the field; here it is as sent.
    Misfit(Value),
    /// Not declared: its value is still to be read.
    Undeclared,
}

/// Reads the next value of `map` into `field` (for [`Object::read_property`]).
pub fn read_field<'de, T: FromJson, A: MapAccess<'de>>(
    field: &mut T,
    map: &mut A,
) -> Result<Property, A::Error> {
    Ok(match map.next_value_seed(ReadSeed::<T>(PhantomData))? {
        Read::Fit(value) => {
            *field = value;
            Property::Read
        }
        Read::Misfit(value) => Property::Misfit(value),
    })
}

/// Whether a field's type is an `Option` (for [`Object::missing_required`]).
pub fn is_optional<T: FromJson>(_: &T) -> bool {
    T::OPTIONAL
}

/// A property name, borrowed from the input when it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;

        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads a generated struct from a JSON object in one pass (see the module's rules); anything
/// but an object is a misfit.
pub struct ObjectVisitor<T>(PhantomData<T>);

impl<T> ObjectVisitor<T> {
    /// The visitor, for `deserialize_any` (any JSON can come where an object is declared).
    pub fn new() -> Self {
        ObjectVisitor(PhantomData)
    }
}

impl<T> Default for ObjectVisitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<T>, A::Error> {
        let strict = is_strict();
        let mut object = T::default();
        let mut others = Others::default();
        // Only a strict read needs to know which properties were there.
        let mut read = Vec::new();
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            match object.read_property(&key, &mut map)? {
                Property::Read if strict => read.push(key),
                Property::Read => {}
                Property::Misfit(value) if strict => {
                    let problem = mismatch(&value, "the declared type");
                    return Err(de::Error::custom(format!("field `{key}`: {problem}")));
                }
                Property::Misfit(value) => object
                    .rest()
                    .keep_misfit(&key, value, &mut others)
                    .map_err(de::Error::custom)?,
                Property::Undeclared => {
                    object.rest().keep_undeclared(&key, &mut map, &mut others)?;
                }
            }
        }
        if strict {
            if let Some(wire) = object.missing_required(&|wire| read.iter().any(|key| key == wire))
            {
                return Err(de::Error::custom(format!("missing field `{wire}`")));
            }
        }
        object.rest().end_read(others).map_err(de::Error::custom)?;
        Ok(Read::Fit(object))
    }

    misfits!(scalars);
    misfits!(seq);
}

/// Reads a struct for its `Deserialize`: there, JSON that is not an object is an error.
pub fn deserialize_object<'de, T: FromJson, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    match T::read(deserializer)? {
        Read::Fit(object) => Ok(object),
        Read::Misfit(value) => Err(de::Error::custom(mismatch(&value, "an object"))),
    }
}

/// Reads a struct from a [`Value`] that is an object (for [`FromJson::from_json`]).
pub fn object_from_json<T: FromJson>(value: Value) -> Result<T, serde_json::Error> {
    deserialize_object(value)
}

/// The field that receives the properties a struct does not declare (and the declared ones
/// whose value did not fit), as the struct is read: it keeps them in place, or in `others`
/// until the read ends.
pub trait Rest {
    /// Keeps an undeclared property: its value is the next value of `map`.
    fn keep_undeclared<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        others: &mut Others,
    ) -> Result<(), A::Error>;

    /// Keeps a declared property whose value does not fit its field.
    fn keep_misfit(
        &mut self,
        key: &str,
        value: Value,
        others: &mut Others,
    ) -> Result<(), serde_json::Error>;

    /// Ends the read: every property has been kept.
    fn end_read(&mut self, others: Others) -> Result<(), serde_json::Error>;
}

/// Any JSON: the usual `additional_properties`, kept as text.
impl Rest for &mut AdditionalProperties {
    fn keep_undeclared<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        others: &mut Others,
    ) -> Result<(), A::Error> {
        others.text.keep_next_value(key, map)
    }

    fn keep_misfit(
        &mut self,
        key: &str,
        value: Value,
        others: &mut Others,
    ) -> Result<(), serde_json::Error> {
        others.text.keep_value(key, &value);
        Ok(())
    }

    fn end_read(&mut self, others: Others) -> Result<(), serde_json::Error> {
        **self = others.text.close();
        Ok(())
    }
}

/// A flattened field (a union of object shapes): the other properties are collected as one
/// object, which the field is read from when the read ends.
pub struct Flattened<'a, T>(pub &'a mut T);

impl<T: FromJson> Rest for Flattened<'_, T> {
    fn keep_undeclared<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        others: &mut Others,
    ) -> Result<(), A::Error> {
        let value = map.next_value::<Value>()?;
        others.flattened.insert(key.to_owned(), value);
        Ok(())
    }

    fn keep_misfit(
        &mut self,
        key: &str,
        value: Value,
        others: &mut Others,
    ) -> Result<(), serde_json::Error> {
        others.flattened.insert(key.to_owned(), value);
        Ok(())
    }

    fn end_read(&mut self, others: Others) -> Result<(), serde_json::Error> {
        let rest = Value::Object(others.flattened);
        if T::fits(&rest) {
            *self.0 = T::from_json(rest)?;
            Ok(())
        } else {
            Err(mismatch(&rest, "one of the flattened shapes"))
        }
    }
}

/// Typed `additionalProperties`: every other property must fit the declared type (a declared
/// property whose value does not fit its field must fit it too), else the object fails to read.
/// A `null` is dropped (as if absent) unless the type accepts it.
impl<T: FromJson> Rest for &mut BTreeMap<String, T> {
    fn keep_undeclared<'de, A: MapAccess<'de>>(
        &mut self,
        key: &str,
        map: &mut A,
        _: &mut Others,
    ) -> Result<(), A::Error> {
        match map.next_value_seed(ReadSeed::<T>(PhantomData))? {
            Read::Fit(value) => {
                self.insert(key.to_owned(), value);
                Ok(())
            }
            Read::Misfit(Value::Null) => Ok(()),
            Read::Misfit(value) => Err(de::Error::custom(other_property_misfit(key, &value))),
        }
    }

    fn keep_misfit(
        &mut self,
        key: &str,
        value: Value,
        _: &mut Others,
    ) -> Result<(), serde_json::Error> {
        if T::fits(&value) {
            self.insert(key.to_owned(), T::from_json(value)?);
            Ok(())
        } else if value.is_null() {
            Ok(())
        } else {
            Err(other_property_misfit(key, &value))
        }
    }

    fn end_read(&mut self, _: Others) -> Result<(), serde_json::Error> {
        Ok(())
    }
}

fn other_property_misfit(key: &str, value: &Value) -> serde_json::Error {
    error(format!(
        "property `{key}`: {}",
        mismatch(value, "the declared type of the other properties")
    ))
}

/// The other properties of a struct, as it writes them after its declared fields.
pub trait WriteRest {
    /// Whether `key` is among them (a declared field whose value was kept is not written).
    fn contains(&self, key: &str) -> bool;

    /// Writes them as entries of `map`.
    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl WriteRest for Members<'_> {
    fn contains(&self, key: &str) -> bool {
        self.find(key).is_some()
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.write_entries(map)
    }
}

impl<T: Serialize> WriteRest for &BTreeMap<String, T> {
    fn contains(&self, key: &str) -> bool {
        self.contains_key(key)
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

impl WriteRest for Map<String, Value> {
    fn contains(&self, key: &str) -> bool {
        self.contains_key(key)
    }

    fn write<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        self.iter()
            .try_for_each(|(key, value)| map.serialize_entry(key, value))
    }
}

/// A field that receives the other properties, as a struct writes them.
pub trait Kept {
    /// The properties, ready to be written.
    type Written<'a>: WriteRest
    where
        Self: 'a;

    /// Gets them ready to be written.
    fn written(&self) -> Self::Written<'_>;
}

/// Parsed once per write, not once per declared field.
impl Kept for AdditionalProperties {
    type Written<'a> = Members<'a>;

    fn written(&self) -> Members<'_> {
        self.members()
    }
}

impl<T: Serialize> Kept for BTreeMap<String, T> {
    type Written<'a>
        = &'a BTreeMap<String, T>
    where
        T: 'a;

    fn written(&self) -> &BTreeMap<String, T> {
        self
    }
}

/// The field that receives the other properties, as a struct writes them.
pub fn kept_to<R: Kept>(rest: &R) -> Result<R::Written<'_>, serde_json::Error> {
    Ok(rest.written())
}

/// The properties a flattened field writes.
pub fn flattened_to<T: Serialize>(field: &T) -> Result<Map<String, Value>, serde_json::Error> {
    match serde_json::to_value(field)? {
        Value::Object(entries) => Ok(entries),
        Value::Null => Ok(Map::new()),
        other => Err(mismatch(&other, "an object to flatten")),
    }
}

/// Writes a struct: its declared fields, then the other properties.
pub struct Writer<M, R> {
    map: M,
    rest: R,
}

impl<M: SerializeMap, R: WriteRest> Writer<M, R> {
    /// Starts writing a struct whose other properties are `rest`.
    pub fn new<S: Serializer<SerializeMap = M>>(
        serializer: S,
        rest: Result<R, serde_json::Error>,
    ) -> Result<Self, S::Error> {
        let rest = rest.map_err(<S::Error as serde::ser::Error>::custom)?;
        let map = serializer.serialize_map(None)?;
        Ok(Writer { map, rest })
    }

    /// Writes a declared field whose Rust type is text where the description declares integers
    /// (an id): like [`field`](Writer::field), but a numeric string is written as a number, so
    /// the server gets the type it declares.
    pub fn integer_field<T: FromJson + Serialize>(
        &mut self,
        wire: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        if self.skips(wire, value) {
            return Ok(());
        }
        let mut json =
            serde_json::to_value(value).map_err(<M::Error as serde::ser::Error>::custom)?;
        numeric_strings_as_numbers(&mut json);
        self.map.serialize_entry(wire, &json)
    }

    /// Writes a declared field, unless it is an absent optional or its raw value was kept.
    pub fn field<T: FromJson + Serialize>(
        &mut self,
        wire: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        if self.skips(wire, value) {
            return Ok(());
        }
        self.map.serialize_entry(wire, value)
    }

    /// A declared field is not written when it is an absent optional, or when its raw value
    /// was kept (it did not fit, and is written as sent with the other properties).
    fn skips<T: FromJson>(&self, wire: &str, value: &T) -> bool {
        value.is_absent() || self.rest.contains(wire)
    }

    /// Writes the other properties and ends the object.
    pub fn end(mut self) -> Result<M::Ok, M::Error> {
        self.rest.write(&mut self.map)?;
        self.map.end()
    }
}

/// Implements `Deserialize`, `Serialize` and [`FromJson`] for a generated struct by the rules
/// of this module. `kept additional_properties` names a field whose `&mut` is a [`Rest`];
/// `flattened variant` names a field whose type receives the other properties itself. A field
/// marked `as integer` is text (an id) that the description declares as an integer: it is
/// written with [`Writer::integer_field`].
macro_rules! object {
    ($name:ident { $($field:ident: $wire:literal $(as $wire_type:ident)?),* $(,)? } $how:ident $rest:ident) => {
        impl $crate::runtime::object::Object for $name {
            fn read_property<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<$crate::runtime::object::Property, A::Error> {
                match key {
                    $($wire => $crate::runtime::object::read_field(&mut self.$field, map),)*
                    _ => Ok($crate::runtime::object::Property::Undeclared),
                }
            }

            // Inline: only reading (generic code) calls it.
            #[inline]
            fn missing_required(&self, was_read: &dyn Fn(&str) -> bool) -> Option<&'static str> {
                $(
                    if !$crate::runtime::object::is_optional(&self.$field) && !was_read($wire) {
                        return Some($wire);
                    }
                )*
                None
            }

            // Inline: only reading (generic code) calls it.
            #[inline]
            fn rest(&mut self) -> impl $crate::runtime::object::Rest + '_ {
                $crate::runtime::object::object!(@rest $how self.$rest)
            }
        }

        impl $crate::runtime::object::FromJson for $name {
            #[inline]
            fn fits(value: &serde_json::Value) -> bool {
                value.is_object()
            }

            // Inline (compiled only where used, like generic code): reading from a `Value`
            // instantiates the whole reader for the type.
            #[inline]
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                $crate::runtime::object::object_from_json(value)
            }

            fn read<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$crate::runtime::object::Read<Self>, D::Error> {
                deserializer.deserialize_any($crate::runtime::object::ObjectVisitor::new())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::object::deserialize_object(deserializer)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let rest = $crate::runtime::object::object!(@write_rest $how self.$rest);
                let mut writer = $crate::runtime::object::Writer::new(serializer, rest)?;
                $( $crate::runtime::object::object!(@write writer, $wire, &self.$field $(, $wire_type)?); )*
                writer.end()
            }
        }
    };
    // The field that receives the other properties while reading: the kept field itself, or a
    // flattened field (read from all of them when the read ends).
    (@rest kept $field:expr) => { &mut $field };
    (@rest flattened $field:expr) => { $crate::runtime::object::Flattened(&mut $field) };
    // The other properties, to write after the declared fields.
    (@write_rest kept $field:expr) => { $crate::runtime::object::kept_to(&$field) };
    (@write_rest flattened $field:expr) => { $crate::runtime::object::flattened_to(&$field) };
    // How a field is written: as its type, or (`as integer`) text written as a number.
    (@write $writer:ident, $wire:literal, $value:expr) => {
        $writer.field($wire, $value)?;
    };
    (@write $writer:ident, $wire:literal, $value:expr, integer) => {
        $writer.integer_field($wire, $value)?;
    };
}

pub(crate) use object;

/// Numeric strings (at any depth) become the numbers they spell; other values stay.
fn numeric_strings_as_numbers(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Ok(number) = text.parse::<serde_json::Number>() {
                if number.is_i64() || number.is_u64() {
                    *value = Value::Number(number);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(numeric_strings_as_numbers),
        _ => {}
    }
}
