//! Loading: a YAML or JSON file becomes an `openapiv3::OpenAPI`, or an error that names the file
//! and the line and column (for text that is not YAML/JSON) or the JSON pointer (for a document
//! that is not OpenAPI 3.0).
//!
//! Between the text and `openapiv3` the document is a `serde_json::Value`, on which
//! [`crate::resolve`] makes every `$ref` one that lowering can follow and repairs what the
//! description gets wrong, with a warning for each repair.

use crate::diagnostic::Diagnostic;
use openapiv3::OpenAPI;
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
    #[error("not valid YAML: {message}")]
    Merge { message: String },
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
/// values; YAML merge keys (`<<: *anchor`) are applied; non-string keys (`200:`) become strings.
pub fn yaml_to_json(text: &str) -> Result<Value, YamlError> {
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text)?;
    yaml.apply_merge().map_err(|error| YamlError::Merge {
        message: error.to_string(),
    })?;
    let json = yaml_value_to_json(yaml);
    if !json.is_object() {
        return Err(YamlError::NotAMapping);
    }
    Ok(json)
}

/// Converts without recursion, so a deeply nested document cannot exhaust the stack.
fn yaml_value_to_json(root: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Yaml;
    enum Frame {
        Seq(std::vec::IntoIter<Yaml>, Vec<Value>),
        Map(serde_yaml::mapping::IntoIter, Map<String, Value>, String),
    }
    fn scalar(value: Yaml) -> Result<Value, Yaml> {
        Ok(match value {
            Yaml::Null => Value::Null,
            Yaml::Bool(b) => Value::Bool(b),
            Yaml::Number(n) => json_number(&n),
            Yaml::String(s) => Value::String(s),
            Yaml::Tagged(tagged) => return scalar(tagged.value),
            other => return Err(other),
        })
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut next = Some(root);
    loop {
        // Either descend into `next` or finish it as a scalar.
        let mut done = match next.take() {
            Some(value) => match scalar(value) {
                Ok(value) => Some(value),
                Err(Yaml::Sequence(items)) => {
                    stack.push(Frame::Seq(items.into_iter(), Vec::new()));
                    None
                }
                Err(Yaml::Mapping(mapping)) => {
                    stack.push(Frame::Map(mapping.into_iter(), Map::new(), String::new()));
                    None
                }
                Err(_) => Some(Value::Null),
            },
            None => None,
        };
        // Hand a finished value to its parent, and pick the parent's next child.
        loop {
            let Some(frame) = stack.last_mut() else {
                return done.unwrap_or(Value::Null);
            };
            match frame {
                Frame::Seq(items, out) => {
                    if let Some(value) = done.take() {
                        out.push(value);
                    }
                    if let Some(item) = items.next() {
                        next = Some(item);
                        break;
                    }
                }
                Frame::Map(entries, out, key) => {
                    if let Some(value) = done.take() {
                        out.insert(std::mem::take(key), value);
                    }
                    if let Some((k, v)) = entries.next() {
                        *key = key_text(k);
                        next = Some(v);
                        break;
                    }
                }
            }
            done = Some(match stack.pop() {
                Some(Frame::Seq(_, out)) => Value::Array(out),
                Some(Frame::Map(_, out, _)) => Value::Object(out),
                None => Value::Null,
            });
        }
    }
}

fn key_text(key: serde_yaml::Value) -> String {
    use serde_yaml::Value as Yaml;
    match key {
        Yaml::String(s) => s,
        Yaml::Number(n) => n.to_string(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Null => "null".to_owned(),
        Yaml::Tagged(tagged) => key_text(tagged.value),
        other => serde_yaml::to_string(&other)
            .map(|s| s.trim().to_owned())
            .unwrap_or_default(),
    }
}

/// Integers keep their exact value when they fit 64 bits; anything larger becomes a float
/// (`null` when not finite, as JSON has no infinity).
fn json_number(n: &serde_yaml::Number) -> Value {
    if let Some(i) = n.as_i64() {
        Value::from(i)
    } else if let Some(u) = n.as_u64() {
        Value::from(u)
    } else {
        n.as_f64()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

/// Converts an already parsed (and possibly patched) document: checks the version, resolves
/// references and repairs (see [`crate::resolve`]), then reads it as OpenAPI 3.0.
pub fn from_value(mut value: Value, origin: &Path) -> Result<Loaded, LoadError> {
    check_version(&mut value, origin)?;
    let warnings = crate::resolve::normalize(&mut value);
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
        assert!(text.contains("duplicate entry"), "{text}");
        assert!(text.contains("line 4"), "{text}");
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
    fn deep_nesting_does_not_recurse() {
        let depth = 100;
        let text = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let json = yaml_to_json(&format!("a: {text}")).unwrap();
        assert!(json["a"].is_array());
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
