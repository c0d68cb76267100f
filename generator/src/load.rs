//! Loading: a YAML or JSON file becomes an `openapiv3::OpenAPI`, or an error that names the file
//! and the JSON pointer of the offending value.

use openapiv3::OpenAPI;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid YAML: {source}")]
    Yaml {
        path: PathBuf,
        source: serde_yaml::Error,
    },
    #[error("{path}: {pointer}: not a valid OpenAPI 3.0 description: {message}")]
    Schema {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    #[error(
        "{path}: only OpenAPI 3.0.x descriptions are supported, this one says `openapi: {version}`"
    )]
    Version { path: PathBuf, version: String },
}

/// Reads and parses a description from disk.
pub fn load_file(path: &Path) -> Result<OpenAPI, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse(&text, path)
}

/// Parses a description; `origin` only names it in errors.
pub fn parse(text: &str, origin: &Path) -> Result<OpenAPI, LoadError> {
    let value = yaml_to_json(text).map_err(|source| LoadError::Yaml {
        path: origin.to_owned(),
        source,
    })?;
    from_value(value, origin)
}

/// YAML (or JSON) text as a JSON value.
pub fn yaml_to_json(text: &str) -> Result<serde_json::Value, serde_yaml::Error> {
    serde_yaml::from_str(text)
}

/// Converts an already parsed (and possibly patched) document.
pub fn from_value(value: serde_json::Value, origin: &Path) -> Result<OpenAPI, LoadError> {
    let version = value
        .get("openapi")
        .and_then(|v| v.as_str())
        .unwrap_or("(missing)")
        .to_owned();
    if !version.starts_with("3.0") {
        return Err(LoadError::Version {
            path: origin.to_owned(),
            version,
        });
    }
    serde_path_to_error::deserialize(value).map_err(|error| LoadError::Schema {
        path: origin.to_owned(),
        pointer: pointer_of(error.path()),
        message: error.inner().to_string(),
    })
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        pointer.push('/');
        match segment {
            Segment::Seq { index } => pointer.push_str(&index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
            }
            Segment::Unknown => pointer.push('?'),
        }
    }
    pointer
}
