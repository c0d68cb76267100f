//! The description's success-response examples, one per operation: the default answers of the
//! generated crate's `test-util` mock.

use super::schema::escape_pointer;
use crate::ir::{Operation, ResponseExample};
use openapiv3::{Components, MediaType, OpenAPI, ReferenceOr, Response, StatusCode};
use std::collections::HashMap;

/// One example per operation that declares a success response, in operation order. The first
/// success status is used; its body is the `application/json` (or `text/*`) example, if any.
/// Other media types (binary downloads) are recorded without a content type or body.
pub fn response_examples(spec: &OpenAPI, operations: &[Operation]) -> Vec<ResponseExample> {
    let by_pointer = operations_by_pointer(spec);
    let components = spec.components.as_ref();
    operations
        .iter()
        .filter_map(|op| {
            let operation = by_pointer.get(op.origin.as_str())?;
            let (status, response) = first_success(operation)?;
            let response = resolve(components, response)?;
            let (content_type, body) = example_body(components, response);
            Some(ResponseExample {
                operation: op.name.clone(),
                status,
                content_type,
                body,
            })
        })
        .collect()
}

/// The spec's operations by the JSON pointer lowering records as their `origin`.
fn operations_by_pointer(spec: &OpenAPI) -> HashMap<String, &openapiv3::Operation> {
    let mut map = HashMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_pointer = format!("#/paths/{}", escape_pointer(path));
        let methods = [
            ("get", &item.get),
            ("put", &item.put),
            ("post", &item.post),
            ("delete", &item.delete),
            ("patch", &item.patch),
            ("head", &item.head),
            ("options", &item.options),
        ];
        for (method, operation) in methods {
            if let Some(operation) = operation {
                map.insert(format!("{item_pointer}/{method}"), operation);
            }
        }
    }
    map
}

fn first_success(operation: &openapiv3::Operation) -> Option<(u16, &ReferenceOr<Response>)> {
    operation
        .responses
        .responses
        .iter()
        .filter_map(|(code, response)| match code {
            StatusCode::Code(code) if (200..300).contains(code) => Some((*code, response)),
            StatusCode::Range(2) => Some((200, response)),
            _ => None,
        })
        .min_by_key(|(code, _)| *code)
}

fn resolve<'a>(
    components: Option<&'a Components>,
    response: &'a ReferenceOr<Response>,
) -> Option<&'a Response> {
    match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            match components?.responses.get(name)? {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// The response's media type (JSON first, else `text/*`) and its example: JSON compact, text
/// as is. `(None, None)` for a response without a body.
fn example_body(
    components: Option<&Components>,
    response: &Response,
) -> (Option<String>, Option<String>) {
    if let Some(media) = response.content.get("application/json") {
        let body = match media_example(components, media) {
            Some(value) => Some(value.to_string()),
            None => schema_example(components, media).map(|value| value.to_string()),
        };
        return (Some("application/json".to_owned()), body);
    }
    let Some((media_type, media)) = response
        .content
        .iter()
        .find(|(media_type, _)| media_type.starts_with("text/"))
    else {
        return (None, None);
    };
    let body = match media_example(components, media) {
        Some(serde_json::Value::String(text)) => Some(text.clone()),
        _ => None,
    };
    (Some(media_type.clone()), body)
}

/// `example`, else the first of `examples` (by name, as the loader sorts them).
fn media_example<'a>(
    components: Option<&'a Components>,
    media: &'a MediaType,
) -> Option<&'a serde_json::Value> {
    if let Some(example) = &media.example {
        return Some(example);
    }
    let example = match media.examples.values().next()? {
        ReferenceOr::Item(example) => example,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/examples/")?;
            match components?.examples.get(name)? {
                ReferenceOr::Item(example) => example,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    example.value.as_ref()
}

/// How deep [`synthesize`] follows nested schemas (recursive schemas end there).
const MAX_SYNTHESIS_DEPTH: usize = 6;

/// An example built from the media type's schema when the response has none: each property's
/// own `example` (or its schema's), nested objects and one-item arrays built the same way.
/// Properties without any example are left out.
fn schema_example(components: Option<&Components>, media: &MediaType) -> Option<serde_json::Value> {
    let schemas = serde_json::to_value(components.map(|c| &c.schemas)).ok()?;
    let schema = serde_json::to_value(media.schema.as_ref()?).ok()?;
    synthesize(&schemas, &schema, 0)
}

fn synthesize(
    schemas: &serde_json::Value,
    schema: &serde_json::Value,
    depth: usize,
) -> Option<serde_json::Value> {
    use serde_json::Value;
    if depth > MAX_SYNTHESIS_DEPTH {
        return None;
    }
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/components/schemas/")?;
        return synthesize(schemas, schemas.get(name)?, depth + 1);
    }
    if let Some(example) = schema.get("example") {
        return Some(example.clone());
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = serde_json::Map::new();
        for part in parts {
            if let Some(Value::Object(fields)) = synthesize(schemas, part, depth + 1) {
                merged.extend(fields);
            }
        }
        return Some(Value::Object(merged));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            return synthesize(schemas, first, depth + 1);
        }
    }
    if let Some(items) = schema.get("items") {
        let item = synthesize(schemas, items, depth + 1);
        return Some(Value::Array(item.into_iter().collect()));
    }
    let properties = schema.get("properties").and_then(Value::as_object)?;
    let fields = properties
        .iter()
        .filter_map(|(name, property)| {
            Some((name.clone(), synthesize(schemas, property, depth + 1)?))
        })
        .collect();
    Some(Value::Object(fields))
}
