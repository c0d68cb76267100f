//! OpenAPI 3.0 parameter serialization (`style` and `explode`) for arrays, objects and the path
//! styles that prefix even a single value.
//!
//! Values are serialized with serde first; inside an array or object, a value that is itself an
//! array or object is written as compact JSON, since no style defines anything for it.

use percent_encoding::utf8_percent_encode;
use serde::Serialize;
use serde_json::Value;

use super::error::Error;
use super::request::NOT_UNRESERVED;

/// The `style` of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// The value as JSON, for the style functions and `content: application/json` parameters.
pub fn to_json<T: Serialize>(name: &str, value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| {
        Error::invalid_request_with(format!("cannot serialize the parameter `{name}`"), e)
    })
}

/// JSON text of a `content: application/json` parameter.
pub fn json_text<T: Serialize>(name: &str, value: &T) -> Result<String, Error> {
    to_json(name, value).map(|value| value.to_string())
}

/// Text of a scalar inside a styled value: strings as they are, anything else as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The name/value pairs of a query (or cookie) parameter; `null` values send nothing.
///
/// ```
/// use intercom_api::runtime::style::{query_pairs, Style};
///
/// let tags = vec!["a", "b"];
/// assert_eq!(query_pairs("tag", Style::Form, false, &tags)?, [("tag".to_string(), "a,b".to_string())]);
/// assert_eq!(query_pairs("tag", Style::Form, true, &tags)?.len(), 2);
/// let filter = serde_json::json!({"role": "user"});
/// assert_eq!(query_pairs("filter", Style::DeepObject, true, &filter)?, [("filter[role]".to_string(), "user".to_string())]);
/// # Ok::<(), intercom_api::runtime::Error>(())
/// ```
pub fn query_pairs<T: Serialize>(
    name: &str,
    style: Style,
    explode: bool,
    value: &T,
) -> Result<Vec<(String, String)>, Error> {
    let value = to_json(name, value)?;
    let pair = |k: &str, v: String| (k.to_owned(), v);
    Ok(match value {
        Value::Null => Vec::new(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().filter(|v| !v.is_null()).map(text).collect();
            match (style, explode) {
                (Style::SpaceDelimited, _) => vec![pair(name, items.join(" "))],
                (Style::PipeDelimited, _) => vec![pair(name, items.join("|"))],
                (_, true) => items.into_iter().map(|item| pair(name, item)).collect(),
                (_, false) => vec![pair(name, items.join(","))],
            }
        }
        Value::Object(fields) => {
            let fields = fields.iter().filter(|(_, v)| !v.is_null());
            match (style, explode) {
                (Style::DeepObject, _) => fields
                    .map(|(k, v)| pair(&format!("{name}[{k}]"), text(v)))
                    .collect(),
                (_, true) => fields.map(|(k, v)| pair(k, text(v))).collect(),
                (_, false) => {
                    let flat: Vec<String> =
                        fields.flat_map(|(k, v)| [k.clone(), text(v)]).collect();
                    vec![pair(name, flat.join(","))]
                }
            }
        }
        scalar => vec![pair(name, text(&scalar))],
    })
}

/// A path parameter's text, percent-encoded except for the style's own delimiters.
///
/// ```
/// use intercom_api::runtime::style::{path_value, Style};
///
/// assert_eq!(path_value("ids", Style::Simple, false, &[1, 2])?, "1,2");
/// assert_eq!(path_value("id", Style::Label, false, &"a/b")?, ".a%2Fb");
/// assert_eq!(path_value("id", Style::Matrix, false, &5)?, ";id=5");
/// # Ok::<(), intercom_api::runtime::Error>(())
/// ```
pub fn path_value<T: Serialize>(
    name: &str,
    style: Style,
    explode: bool,
    value: &T,
) -> Result<String, Error> {
    let value = to_json(name, value)?;
    let encode = |text: &str| utf8_percent_encode(text, NOT_UNRESERVED).to_string();
    let (prefix, separator) = match (style, explode) {
        (Style::Label, true) => (".", "."),
        (Style::Label, false) => (".", ","),
        (Style::Matrix, _) => (";", ","),
        _ => ("", ","),
    };
    let named = |text: String| match style {
        Style::Matrix => format!("{}={text}", encode(name)),
        _ => text,
    };
    Ok(match value {
        Value::Null => String::new(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| encode(&text(v))).collect();
            match (style, explode) {
                (Style::Matrix, true) => items
                    .into_iter()
                    .map(|item| format!(";{}={item}", encode(name)))
                    .collect(),
                _ => format!("{prefix}{}", named(items.join(separator))),
            }
        }
        Value::Object(fields) => {
            let fields = fields.iter().filter(|(_, v)| !v.is_null());
            if explode {
                let pairs: Vec<String> = fields
                    .map(|(k, v)| format!("{}={}", encode(k), encode(&text(v))))
                    .collect();
                let separator = match style {
                    Style::Matrix => ";",
                    _ => separator,
                };
                format!("{prefix}{}", pairs.join(separator))
            } else {
                let flat: Vec<String> = fields
                    .flat_map(|(k, v)| [encode(k), encode(&text(v))])
                    .collect();
                format!("{prefix}{}", named(flat.join(",")))
            }
        }
        scalar => format!("{prefix}{}", named(encode(&text(&scalar)))),
    })
}

/// A header parameter's text (`style: simple`).
pub fn header_value<T: Serialize>(name: &str, explode: bool, value: &T) -> Result<String, Error> {
    let value = to_json(name, value)?;
    Ok(match value {
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(text).collect::<Vec<_>>().join(","),
        Value::Object(fields) => {
            let fields = fields.iter().filter(|(_, v)| !v.is_null());
            let parts: Vec<String> = if explode {
                fields.map(|(k, v)| format!("{k}={}", text(v))).collect()
            } else {
                fields.flat_map(|(k, v)| [k.clone(), text(v)]).collect()
            };
            parts.join(",")
        }
        scalar => text(&scalar),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn styles_follow_the_openapi_table() -> Result<(), Error> {
        let colors = json!(["blue", "black"]);
        let point = json!({"R": 100, "G": 200});
        assert_eq!(path_value("c", Style::Simple, true, &point)?, "G=200,R=100");
        assert_eq!(path_value("c", Style::Label, true, &colors)?, ".blue.black");
        assert_eq!(
            path_value("c", Style::Matrix, true, &colors)?,
            ";c=blue;c=black"
        );
        assert_eq!(
            path_value("c", Style::Matrix, false, &point)?,
            ";c=G,200,R,100"
        );
        assert_eq!(
            query_pairs("c", Style::PipeDelimited, false, &colors)?,
            [("c".to_owned(), "blue|black".to_owned())]
        );
        assert_eq!(
            query_pairs("c", Style::Form, false, &point)?,
            [("c".to_owned(), "G,200,R,100".to_owned())]
        );
        assert_eq!(header_value("c", false, &colors)?, "blue,black");
        Ok(())
    }
}
