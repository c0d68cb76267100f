//! Loading: a YAML or JSON file becomes an `openapiv3::OpenAPI`, or an error that names the file
//! and the line and column (for text that is not YAML/JSON) or the JSON pointer (for a document
//! that is not OpenAPI 3.0).
//!
//! Between the text and `openapiv3` the document is a `serde_json::Value`, on which
//! [`crate::resolve`] makes every `$ref` one that lowering can follow and repairs what the
//! description gets wrong, with a warning for each repair.

use crate::diagnostic::Diagnostic;
use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::{Map, Number, Value};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Yaml { path: PathBuf, source: YamlError },
    #[error("{path}: {pointer}: not a valid OpenAPI 3.0 description: {message}")]
    Schema {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    #[error("{path}: only OpenAPI 3.0.x descriptions are supported, this one says {found}")]
    Version { path: PathBuf, found: String },
}

/// Text that is not a YAML (or JSON) document the generator can read.
#[derive(Debug, thiserror::Error)]
pub enum YamlError {
    #[error("not valid YAML or JSON: {0}")]
    Syntax(#[from] serde_yaml::Error),
    #[error("the document is not a YAML/JSON mapping")]
    NotAMapping,
}

/// A description as openapiv3 reads it, with the repairs made on the way.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub spec: OpenAPI,
    /// What the description got wrong and how it was degraded.
    pub warnings: Vec<Diagnostic>,
}

/// Reads and parses a description from disk.
pub fn load_file(path: &Path) -> Result<Loaded, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, path)
}

/// Parses a description; `origin` only names it in errors.
pub fn parse(text: &str, origin: &Path) -> Result<Loaded, LoadError> {
    let value = yaml_to_json(text).map_err(|source| LoadError::Yaml {
        path: origin.to_owned(),
        source,
    })?;
    from_value(value, origin)
}

/// YAML (or JSON) text as a JSON value.
///
/// Duplicate keys are an error (with line and column) rather than a silent loss of one of the
/// values; YAML merge keys (`<<: *anchor`) are applied; non-string keys (`200:`) become strings;
/// integers beyond 64 bits become floats instead of failing.
pub fn yaml_to_json(text: &str) -> Result<Value, YamlError> {
    let JsonFromYaml(json) = serde_yaml::from_str(text)?;
    if !json.is_object() {
        return Err(YamlError::NotAMapping);
    }
    Ok(json)
}

/// Reads YAML straight into JSON (see [`yaml_to_json`]).
struct JsonFromYaml(Value);

impl<'de> serde::Deserialize<'de> for JsonFromYaml {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(JsonFromYaml)
    }
}

struct JsonVisitor;

/// The text a YAML key stands for in JSON.
struct KeyText(String);

impl<'de> serde::Deserialize<'de> for KeyText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let JsonFromYaml(value) = JsonFromYaml::deserialize(deserializer)?;
        Ok(KeyText(match value {
            Value::String(text) => text,
            other => other.to_string(),
        }))
    }
}

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(float(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        // A tagged value (`!tag value`): the value, without its tag.
        use serde::de::VariantAccess;
        let (_, variant): (KeyText, _) = data.variant()?;
        variant
            .newtype_variant::<JsonFromYaml>()
            .map(|JsonFromYaml(v)| v)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(JsonFromYaml(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        let mut merged = Vec::new();
        while let Some(KeyText(key)) = map.next_key()? {
            let JsonFromYaml(value) = map.next_value()?;
            if key == "<<" {
                merged.push(value);
                continue;
            }
            if object.contains_key(&key) {
                return Err(serde::de::Error::custom(format!(
                    "duplicate key `{key}` (YAML and JSON would keep only one of the values)"
                )));
            }
            object.insert(key, value);
        }
        // Merge keys: the keys the mapping sets itself win, then earlier merged mappings.
        for value in merged {
            let sources = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(source) = source else {
                    return Err(serde::de::Error::custom(
                        "a merge key (`<<`) must refer to a mapping or a list of mappings",
                    ));
                };
                for (key, value) in source {
                    object.entry(key).or_insert(value);
                }
            }
        }
        Ok(Value::Object(object))
    }
}

/// JSON has no infinity or NaN: such numbers become `null`.
fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Converts an already parsed (and possibly patched) document: checks the version, resolves
/// references and repairs (see [`crate::resolve`]), then reads it as OpenAPI 3.0.
pub fn from_value(mut value: Value, origin: &Path) -> Result<Loaded, LoadError> {
    check_version(&mut value, origin)?;
    let warnings = crate::resolve::normalize(&mut value);
    // Read first without tracking the path, which costs a third of the reading: only a
    // document that cannot be read is read again, to say where.
    if let Ok(spec) = OpenAPI::deserialize(&value) {
        return Ok(Loaded { spec, warnings });
    }
    let spec = serde_path_to_error::deserialize(value).map_err(|error| LoadError::Schema {
        path: origin.to_owned(),
        pointer: pointer_of(error.path()),
        message: error.inner().to_string(),
    })?;
    Ok(Loaded { spec, warnings })
}

/// Accepts `openapi: 3.0.x`, also when YAML read it as a number (`openapi: 3.0`).
fn check_version(document: &mut Value, origin: &Path) -> Result<(), LoadError> {
    let refuse = |found: String| LoadError::Version {
        path: origin.to_owned(),
        found,
    };
    let version = match document.get("openapi") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => {
            let text = match number.as_f64() {
                Some(f) if f.fract() == 0.0 => format!("{f:.1}"),
                _ => number.to_string(),
            };
            document["openapi"] = Value::String(text.clone());
            text
        }
        Some(other) => return Err(refuse(format!("`openapi: {other}`"))),
        None => {
            return Err(refuse(match document.get("swagger") {
                Some(swagger) => format!("`swagger: {swagger}` (Swagger 2.0)"),
                None => "no `openapi` field".to_owned(),
            }))
        }
    };
    let is_3_0 = version == "3.0" || version.starts_with("3.0.");
    if !is_3_0 {
        return Err(refuse(format!("`openapi: {version}`")));
    }
    Ok(())
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } | Segment::Enum { variant: key } => key.clone(),
            Segment::Unknown => "?".to_owned(),
        })
        .collect();
    crate::diagnostic::pointer_from(&segments)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_errors_with_a_location() {
        let error = yaml_to_json("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        let text = error.to_string();
        assert!(text.contains("duplicate key `c`"), "{text}");
        assert!(text.contains("line "), "{text}");
    }

    #[test]
    fn merge_keys_are_applied() {
        let json = yaml_to_json("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n").unwrap();
        assert_eq!(json["c"], serde_json::json!({"x": 1, "y": 3}));
    }

    #[test]
    fn numbers_keys_and_big_numbers() {
        let json = yaml_to_json("200: ok\nbig: 123456789012345678901234567890\n").unwrap();
        assert_eq!(json["200"], "ok");
        assert!(json["big"].as_f64().is_some_and(|f| f > 1e29));
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let depth = 100;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(yaml_to_json(&format!("a: {text}")).unwrap()["a"].is_array());
        let depth = 1_000;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(yaml_to_json(&format!("a: {text}")).is_err());
    }

    #[test]
    fn version_as_a_number_is_accepted_and_others_refused() {
        let mut doc = serde_json::json!({"openapi": 3.0});
        check_version(&mut doc, Path::new("x")).unwrap();
        assert_eq!(doc["openapi"], "3.0");
        let mut doc = serde_json::json!({"openapi": "3.1.0"});
        let error = check_version(&mut doc, Path::new("x")).unwrap_err();
        assert!(error.to_string().contains("3.1.0"));
        let mut doc = serde_json::json!({"swagger": "2.0"});
        let error = check_version(&mut doc, Path::new("x")).unwrap_err();
        assert!(error.to_string().contains("Swagger 2.0"));
    }
}
