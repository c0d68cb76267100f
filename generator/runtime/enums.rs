//! What every generated enum has besides its variants: its wire value, conversions, `Display`,
//! serde impls, `Default` and [`FromJson`](super::object::FromJson). Each generated enum states its variants and values
//! to a crate-internal macro here (`string_enum!`, `integer_enum!`), so the generated code holds
//! only what differs from one enum to the next.
//!
//! A value no variant names is kept in the enum's `Unknown` variant, so an enum never fails to
//! read a value of its JSON type; a value of another JSON type is a misfit (see
//! [`object`](super::object)).

use super::object::{misfits, Read};
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;

/// Reads a string enum from a JSON string; any other JSON is a misfit.
pub fn read_string_enum<'de, T, D>(deserializer: D) -> Result<Read<T>, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    deserializer.deserialize_any(StringEnumVisitor::<T>(PhantomData))
}

/// A string enum's `Deserialize`: a JSON string, known or not.
pub fn deserialize_string_enum<'de, T, D>(deserializer: D) -> Result<T, D::Error>
where
    T: for<'a> From<&'a str>,
    D: Deserializer<'de>,
{
    match read_string_enum(deserializer)? {
        Read::Fit(value) => Ok(value),
        Read::Misfit(value) => Err(de::Error::invalid_type(unexpected(&value), &"a string")),
    }
}

fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(value) => de::Unexpected::Bool(*value),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(value) => de::Unexpected::Str(value),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct StringEnumVisitor<T>(PhantomData<T>);

impl<'de, T: for<'a> From<&'a str>> Visitor<'de> for StringEnumVisitor<T> {
    type Value = Read<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Read<T>, E> {
        Ok(Read::Fit(T::from(value)))
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::Bool(value)))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::from(value)))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::from(value)))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::from(value)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Read<T>, E> {
        Ok(Read::Misfit(Value::Null))
    }

    misfits!(seq);
    misfits!(map);
}

/// Whether a JSON value is an integer an integer enum can hold.
pub fn is_integer(value: &Value) -> bool {
    value.is_i64()
}

/// Implements a string enum's wire value (`as_str`), `From<&str>`, `Display`, `Serialize`,
/// `Deserialize`, `Default` (an empty `Unknown`: what a required field the server left out
/// holds) and [`FromJson`](super::object::FromJson).
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::enums::deserialize_string_enum(deserializer)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl $crate::runtime::object::FromJson for $name {
            #[inline]
            fn fits(value: &serde_json::Value) -> bool {
                value.is_string()
            }

            // Inline (compiled only where used, like generic code): reading from a `Value`
            // instantiates the whole reader for the type.
            #[inline]
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                $crate::runtime::enums::deserialize_string_enum(value)
            }

            fn read<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
            ) -> Result<$crate::runtime::object::Read<Self>, D::Error> {
                $crate::runtime::enums::read_string_enum(deserializer)
            }
        }
    };
}

pub(crate) use string_enum;

/// A tag's `Deserialize`: exactly its one string; anything else is an error (a misfit where a
/// struct reads it, see `string_tag!`).
pub fn deserialize_tag<'de, D: Deserializer<'de>>(
    deserializer: D,
    expected: &'static str,
) -> Result<(), D::Error> {
    match read_string_enum::<Tagged, D>(deserializer)? {
        Read::Fit(Tagged(value)) if value == expected => Ok(()),
        Read::Fit(Tagged(other)) => Err(de::Error::invalid_value(
            de::Unexpected::Str(&other),
            &expected,
        )),
        Read::Misfit(value) => Err(de::Error::invalid_type(unexpected(&value), &expected)),
    }
}

/// Any string, as a tag reads it before comparing it with its value.
struct Tagged(String);

impl From<&str> for Tagged {
    fn from(value: &str) -> Self {
        Tagged(value.to_owned())
    }
}

/// Implements a tag's (a unit struct that is the one string its schema allows) wire value
/// (`VALUE`, `as_str`), `Display`, `Serialize` (always the value), `Deserialize` (the value
/// only) and [`FromJson`](super::object::FromJson): another value does not fit, so the struct
/// holding the tag keeps it as sent in its `additional_properties` and writes it back.
// Not every description has a tag.
#[allow(unused_macros)]
macro_rules! string_tag {
    ($name:ident = $value:literal) => {
        impl $name {
            /// The value as sent on the wire.
            pub const VALUE: &'static str = $value;

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &'static str {
                Self::VALUE
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(Self::VALUE)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(Self::VALUE)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::runtime::enums::deserialize_tag(deserializer, Self::VALUE).map(|()| Self)
            }
        }

        $crate::runtime::object::value!($name, |value: &serde_json::Value| {
            value.as_str() == Some($value)
        });
    };
}

#[allow(unused_imports)]
pub(crate) use string_tag;

/// Implements an integer enum's wire value (`value`), `From<i64>`, `Display`, `Serialize`,
/// `Deserialize`, `Default` (`Unknown(0)`) and [`FromJson`](super::object::FromJson).
// Not every description has an integer enum (the shipped ones do not).
#[allow(unused_macros)]
macro_rules! integer_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $name {
            /// The value as sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(value) => *value,
                }
            }
        }

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.value())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::Unknown(0)
            }
        }

        $crate::runtime::object::value!($name, $crate::runtime::enums::is_integer);
    };
}

#[allow(unused_imports)]
pub(crate) use integer_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::object::FromJson;

    #[derive(Debug, Clone, PartialEq)]
    enum Kind {
        Admin,
        Unknown(String),
    }

    string_enum!(Kind { Admin = "admin" });

    #[derive(Debug, Clone, Copy, PartialEq, Default)]
    struct Admin;

    string_tag!(Admin = "admin");

    #[test]
    fn a_tag_writes_its_value_and_reads_nothing_else() {
        assert_eq!(serde_json::to_string(&Admin).unwrap(), r#""admin""#);
        assert_eq!(Admin.to_string(), "admin");
        assert_eq!(Admin.as_str(), Admin::VALUE);
        assert_eq!(serde_json::from_str::<Admin>(r#""admin""#).unwrap(), Admin);
        assert!(serde_json::from_str::<Admin>(r#""user""#).is_err());
        assert!(serde_json::from_str::<Admin>("1").is_err());
        assert!(Admin::fits(&Value::from("admin")));
        assert!(!Admin::fits(&Value::from("user")));
    }

    #[test]
    fn a_string_enum_keeps_values_it_does_not_know_and_misfits_other_json() {
        assert_eq!(
            serde_json::from_str::<Kind>(r#""admin""#).unwrap(),
            Kind::Admin
        );
        let unknown: Kind = serde_json::from_str(r#""bot""#).unwrap();
        assert_eq!(unknown, Kind::Unknown("bot".to_owned()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), r#""bot""#);
        assert!(serde_json::from_str::<Kind>("7").is_err());
        let read = Kind::read(&mut serde_json::Deserializer::from_str("[1]")).unwrap();
        assert!(matches!(read, Read::Misfit(Value::Array(_))));
    }
}
