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
        let body = media_example(components, media).map(|value| value.to_string());
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
