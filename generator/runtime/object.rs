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

use serde::de::{DeserializeOwned, Deserializer};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A type a struct field can have: how to tell whether a JSON value fits it, and how to read it.
pub trait FromJson: Sized {
    /// Whether `value` can be read as this type. Containers check every element before taking
    /// any, so a value that does not fit is kept whole.
    fn fits(value: &Value) -> bool;

    /// Reads a value for which [`fits`](FromJson::fits) holds.
    fn from_json(value: Value) -> Result<Self, serde_json::Error>;

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
            fn fits(value: &serde_json::Value) -> bool {
                ($fits)(value)
            }

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
}

impl FromJson for i64 {
    fn fits(value: &Value) -> bool {
        super::lenient::integer(value).is_ok()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        super::lenient::integer(&value)
    }
}

impl FromJson for f64 {
    fn fits(value: &Value) -> bool {
        super::lenient::number(value).is_ok()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        super::lenient::number(&value)
    }
}

impl FromJson for bool {
    fn fits(value: &Value) -> bool {
        value.is_boolean()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        bool::deserialize(value)
    }
}

impl FromJson for Value {
    fn fits(_: &Value) -> bool {
        true
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        Ok(value)
    }
}

impl FromJson for Map<String, Value> {
    fn fits(value: &Value) -> bool {
        value.is_object()
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        Map::deserialize(value)
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
}

impl<T: FromJson> FromJson for Vec<T> {
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
}

/// A map's `null` values are dropped (as if absent) unless its value type accepts `null`.
impl<T: FromJson> FromJson for BTreeMap<String, T> {
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
    let found = match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    error(format!("expected {expected}, found {found}"))
}

/// Takes the property `wire` out of `object` for a field of type `T`: its default when absent;
/// when the value does not fit, the default too, and the value goes to `kept` under its key.
/// When `strict` (see [`strict`]), both are errors instead.
pub fn take<T: FromJson + Default>(
    object: &mut Map<String, Value>,
    wire: &str,
    kept: &mut Map<String, Value>,
    strict: bool,
) -> Result<T, serde_json::Error> {
    match object.remove(wire) {
        None if strict && !T::OPTIONAL => Err(error(format!("missing field `{wire}`"))),
        None => Ok(T::default()),
        Some(value) if T::fits(&value) => T::from_json(value),
        Some(value) if strict => Err(error(format!(
            "field `{wire}`: {}",
            mismatch(&value, "the declared type")
        ))),
        Some(value) => {
            kept.insert(wire.to_owned(), value);
            Ok(T::default())
        }
    }
}

/// Reads a JSON object, for a struct's `Deserialize`.
pub fn read_object<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Map<String, Value>, D::Error> {
    Map::deserialize(deserializer)
}

/// The field that receives the properties a struct does not declare (and the declared ones
/// whose value did not fit).
pub trait Rest: Sized {
    /// Builds the field from the undeclared properties and the kept values.
    fn from_rest(rest: Map<String, Value>) -> Result<Self, serde_json::Error>;

    /// The properties to write after the declared fields; a declared field whose key is among
    /// them is not written.
    fn to_rest(&self) -> Result<Cow<'_, Map<String, Value>>, serde_json::Error>;
}

/// Any JSON: the usual `additional_properties`.
impl Rest for Map<String, Value> {
    fn from_rest(rest: Map<String, Value>) -> Result<Self, serde_json::Error> {
        Ok(rest)
    }

    fn to_rest(&self) -> Result<Cow<'_, Map<String, Value>>, serde_json::Error> {
        Ok(Cow::Borrowed(self))
    }
}

/// Typed `additionalProperties`: every other property must fit the declared type (a declared
/// property whose value does not fit its field must fit it too), else the object fails to read.
impl<T: FromJson + Serialize> Rest for BTreeMap<String, T> {
    fn from_rest(rest: Map<String, Value>) -> Result<Self, serde_json::Error> {
        typed_entries(rest)
    }

    fn to_rest(&self) -> Result<Cow<'_, Map<String, Value>>, serde_json::Error> {
        self.iter()
            .map(|(key, value)| Ok((key.clone(), serde_json::to_value(value)?)))
            .collect::<Result<_, _>>()
            .map(Cow::Owned)
    }
}

/// Builds the field of a struct that receives the other properties.
pub fn rest_from<R: Rest>(rest: Map<String, Value>) -> Result<R, serde_json::Error> {
    R::from_rest(rest)
}

/// The other properties of a struct, to write after its declared fields.
pub fn rest_to<R: Rest>(rest: &R) -> Result<Cow<'_, Map<String, Value>>, serde_json::Error> {
    rest.to_rest()
}

/// A flattened field (a union of object shapes) receives the other properties as one object.
pub fn flattened_from<T: FromJson>(rest: Map<String, Value>) -> Result<T, serde_json::Error> {
    let rest = Value::Object(rest);
    if T::fits(&rest) {
        T::from_json(rest)
    } else {
        Err(mismatch(&rest, "one of the flattened shapes"))
    }
}

/// The properties a flattened field writes.
pub fn flattened_to<T: Serialize>(
    field: &T,
) -> Result<Cow<'static, Map<String, Value>>, serde_json::Error> {
    match serde_json::to_value(field)? {
        Value::Object(entries) => Ok(Cow::Owned(entries)),
        Value::Null => Ok(Cow::Owned(Map::new())),
        other => Err(mismatch(&other, "an object to flatten")),
    }
}

/// Writes a struct: its declared fields, then the other properties.
pub struct Writer<'a, M> {
    map: M,
    rest: Cow<'a, Map<String, Value>>,
}

impl<'a, M: SerializeMap> Writer<'a, M> {
    /// Starts writing a struct whose other properties are `rest`.
    pub fn new<S: Serializer<SerializeMap = M>>(
        serializer: S,
        rest: Result<Cow<'a, Map<String, Value>>, serde_json::Error>,
    ) -> Result<Self, S::Error> {
        let rest = rest.map_err(<S::Error as serde::ser::Error>::custom)?;
        let map = serializer.serialize_map(None)?;
        Ok(Writer { map, rest })
    }

    /// Writes a declared field, unless it is an absent optional or its raw value was kept.
    pub fn field<T: FromJson + Serialize>(
        &mut self,
        wire: &str,
        value: &T,
    ) -> Result<(), M::Error> {
        if value.is_absent() || self.rest.contains_key(wire) {
            return Ok(());
        }
        self.map.serialize_entry(wire, value)
    }

    /// Writes the other properties and ends the object.
    pub fn end(mut self) -> Result<M::Ok, M::Error> {
        for (key, value) in self.rest.iter() {
            self.map.serialize_entry(key, value)?;
        }
        self.map.end()
    }
}

/// Implements `Deserialize`, `Serialize` and [`FromJson`] for a generated struct by the rules
/// of this module. `kept additional_properties` names a field of a [`Rest`] type;
/// `flattened variant` names a field whose type receives the other properties itself.
macro_rules! object {
    ($name:ident { $($field:ident: $wire:literal),* $(,)? } kept $rest:ident) => {
        $crate::runtime::object::object!(@impl $name { $($field: $wire),* } $rest,
            $crate::runtime::object::rest_from, $crate::runtime::object::rest_to);
    };
    ($name:ident { $($field:ident: $wire:literal),* $(,)? } flattened $rest:ident) => {
        $crate::runtime::object::object!(@impl $name { $($field: $wire),* } $rest,
            $crate::runtime::object::flattened_from, $crate::runtime::object::flattened_to);
    };
    (@impl $name:ident { $($field:ident: $wire:literal),* } $rest:ident, $from_rest:path, $to_rest:path) => {
        impl $crate::runtime::object::FromJson for $name {
            fn fits(value: &serde_json::Value) -> bool {
                value.is_object()
            }

            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                let mut object = match value {
                    serde_json::Value::Object(object) => object,
                    other => return <Self as serde::Deserialize>::deserialize(other),
                };
                let mut kept = serde_json::Map::new();
                let strict = $crate::runtime::object::is_strict();
                $(
                    let $field =
                        $crate::runtime::object::take(&mut object, $wire, &mut kept, strict)?;
                )*
                object.append(&mut kept);
                Ok(Self { $($field,)* $rest: $from_rest(object)? })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let object = $crate::runtime::object::read_object(deserializer)?;
                <Self as $crate::runtime::object::FromJson>::from_json(serde_json::Value::Object(object))
                    .map_err(serde::de::Error::custom)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut writer =
                    $crate::runtime::object::Writer::new(serializer, $to_rest(&self.$rest))?;
                $( writer.field($wire, &self.$field)?; )*
                writer.end()
            }
        }
    };
}

pub(crate) use object;
