//! The description's examples, one per operation: the success response (the default answers
//! of the generated crate's `test-util` mock) and the request (each client method's documented
//! example, compiled and run against the mock).

use super::schema::escape_pointer;
use super::type_index::TypeIndex;
use crate::ir::{
    EnumValue, ExampleSource, ExampleValue, JsonKind, Operation, Param, ParamExample,
    ParamLocation, RequestExample, ResponseExample, TypeRef,
};
use openapiv3::{
    Components, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Response,
    StatusCode,
};
use serde_json::Value;
use std::collections::HashMap;

/// One example per operation that declares a success response, in operation order. The first
/// success status is used; its body is the `application/json` (or `text/*`) example, if any.
/// Other media types (binary downloads) are recorded without a content type or body.
/// `schemas` are the component schemas as JSON ([`component_schemas`]).
pub fn response_examples(
    spec: &OpenAPI,
    operations: &[Operation],
    schemas: &Value,
) -> Vec<ResponseExample> {
    let by_pointer = operations_by_pointer(spec);
    let components = spec.components.as_ref();
    operations
        .iter()
        .filter_map(|op| {
            let operation = by_pointer.get(op.origin.as_str())?;
            let (status, response) = first_success(operation)?;
            let response = resolve(components, response)?;
            let (content_type, body) = example_body(components, schemas, response);
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
    operations_with_item_parameters(spec)
        .into_iter()
        .map(|(pointer, (_, operation))| (pointer, operation))
        .collect()
}

/// A spec operation and the parameters its path item declares for all its operations.
type SpecOperation<'a> = (&'a [ReferenceOr<Parameter>], &'a openapiv3::Operation);

/// The spec's operations, with their path item's parameters, by their `origin` pointer.
fn operations_with_item_parameters(spec: &OpenAPI) -> HashMap<String, SpecOperation<'_>> {
    let mut map = HashMap::new();
    for (path, item) in &spec.paths.paths {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let item_pointer = format!("#/paths/{}", escape_pointer(path));
        let item_parameters = &item.parameters;
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
                map.insert(
                    format!("{item_pointer}/{method}"),
                    (item_parameters.as_slice(), operation),
                );
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
    schemas: &Value,
    response: &Response,
) -> (Option<String>, Option<String>) {
    if let Some(media) = response.content.get("application/json") {
        let body = match media_example(components, media) {
            Some(value) => Some(value.to_string()),
            None => schema_example(schemas, media).map(|value| value.to_string()),
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
    match &media.example {
        Some(example) => Some(example),
        None => first_named_example(components, &media.examples),
    }
}

/// How deep [`synthesize`] follows nested schemas (recursive schemas end there).
const MAX_SYNTHESIS_DEPTH: usize = 6;

/// An example built from the media type's schema when the response has none: each property's
/// own `example` (or its schema's), nested objects and one-item arrays built the same way.
/// Properties without any example are left out.
fn schema_example(schemas: &Value, media: &MediaType) -> Option<serde_json::Value> {
    let schema = serde_json::to_value(media.schema.as_ref()?).ok()?;
    synthesize(schemas, &schema, 0)
}

/// The component schemas within the description as JSON (`null` when there are none):
/// [`synthesize`] follows `$ref`s through them for every example it builds. Taken from the
/// JSON that lowering converts the description to once, rather than converted again.
pub fn component_schemas(spec_json: &Value) -> &Value {
    spec_json
        .pointer("/components/schemas")
        .unwrap_or(&Value::Null)
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

/// One request example per operation, in operation order. Each required parameter takes the
/// description's example (the parameter's, else its schema's), else a placeholder of its type;
/// an optional parameter appears only with an example of its own. The body is the media type's
/// example, else one built from its schema's property examples, else (when the body is
/// required) a placeholder for emit to complete from the type.
pub fn request_examples(
    spec: &OpenAPI,
    operations: &[Operation],
    types: &TypeIndex<'_>,
    schemas: &Value,
) -> Vec<RequestExample> {
    let by_pointer = operations_with_item_parameters(spec);
    let components = spec.components.as_ref();
    operations
        .iter()
        .map(|op| {
            let found = by_pointer.get(op.origin.as_str());
            let params = op
                .params
                .iter()
                .filter_map(|param| {
                    let example = found
                        .and_then(|(item, operation)| {
                            find_parameter(components, item, operation, param)
                        })
                        .and_then(|parameter| parameter_example(components, schemas, parameter));
                    let value = match example {
                        Some(value) => value,
                        None if param.required => ExampleValue {
                            value: placeholder(&param.ty, &param.wire_name, types, 0),
                            source: ExampleSource::Placeholder,
                        },
                        None => return None,
                    };
                    Some(ParamExample {
                        name: param.name.clone(),
                        value,
                    })
                })
                .collect();
            let body = op.body.as_ref().and_then(|body| {
                let example =
                    found.and_then(|(_, operation)| body_example(components, schemas, operation));
                match example {
                    Some(example) => Some(example),
                    None if body.required => Some(ExampleValue {
                        value: placeholder(&body.ty, "body", types, 0),
                        source: ExampleSource::Placeholder,
                    }),
                    None => None,
                }
            });
            RequestExample {
                operation: op.name.clone(),
                params,
                body,
            }
        })
        .collect()
}

/// The spec parameter that became `param`: the operation's own, else its path item's.
fn find_parameter<'a>(
    components: Option<&'a Components>,
    item: &'a [ReferenceOr<Parameter>],
    operation: &'a openapiv3::Operation,
    param: &Param,
) -> Option<&'a Parameter> {
    operation
        .parameters
        .iter()
        .chain(item)
        .filter_map(|parameter| resolve_parameter(components, parameter))
        .find(|parameter| {
            let data = parameter.parameter_data_ref();
            data.name == param.wire_name && location(parameter) == param.location
        })
}

fn resolve_parameter<'a>(
    components: Option<&'a Components>,
    parameter: &'a ReferenceOr<Parameter>,
) -> Option<&'a Parameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match components?.parameters.get(name)? {
                ReferenceOr::Item(parameter) => Some(parameter),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

fn location(parameter: &Parameter) -> ParamLocation {
    match parameter {
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// `example`, else the first of `examples`, else the schema's (or its content's) example.
fn parameter_example(
    components: Option<&Components>,
    schemas: &Value,
    parameter: &Parameter,
) -> Option<ExampleValue> {
    let data = parameter.parameter_data_ref();
    let declared = data
        .example
        .clone()
        .or_else(|| first_named_example(components, &data.examples).cloned());
    if let Some(value) = declared {
        return Some(ExampleValue {
            value,
            source: ExampleSource::Description,
        });
    }
    let schema = match &data.format {
        ParameterSchemaOrContent::Schema(schema) => serde_json::to_value(schema).ok()?,
        ParameterSchemaOrContent::Content(content) => {
            let media = content.values().next()?;
            if let Some(value) = media_example(components, media) {
                return Some(ExampleValue {
                    value: value.clone(),
                    source: ExampleSource::Description,
                });
            }
            serde_json::to_value(media.schema.as_ref()?).ok()?
        }
    };
    let value = synthesize(schemas, &schema, 0).filter(says_something)?;
    Some(ExampleValue {
        value,
        source: ExampleSource::SchemaExamples,
    })
}

/// Whether a value built from property examples holds any: an empty object or array only
/// means that no property had one (a placeholder of the declared type is then better).
fn says_something(value: &Value) -> bool {
    match value {
        Value::Object(object) => !object.is_empty(),
        Value::Array(items) => !items.is_empty(),
        _ => true,
    }
}

/// The request body's example in the media type lowering chose (JSON first, as
/// `lower::operation` prefers it), else one built from its schema's property examples.
fn body_example(
    components: Option<&Components>,
    schemas: &Value,
    operation: &openapiv3::Operation,
) -> Option<ExampleValue> {
    let body = match operation.request_body.as_ref()? {
        ReferenceOr::Item(body) => body,
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/requestBodies/")?;
            match components?.request_bodies.get(name)? {
                ReferenceOr::Item(body) => body,
                ReferenceOr::Reference { .. } => return None,
            }
        }
    };
    let media = body
        .content
        .iter()
        .find(|(media_type, _)| is_json(media_type))
        .or_else(|| body.content.first())
        .map(|(_, media)| media)?;
    if let Some(value) = media_example(components, media) {
        return Some(ExampleValue {
            value: value.clone(),
            source: ExampleSource::Description,
        });
    }
    let value = schema_example(schemas, media).filter(says_something)?;
    Some(ExampleValue {
        value,
        source: ExampleSource::SchemaExamples,
    })
}

pub(super) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim();
    essence.ends_with("/json") || essence.ends_with("+json")
}

/// The first of an `examples` map's values (by name, as the loader sorts them).
fn first_named_example<'a>(
    components: Option<&'a Components>,
    examples: &'a indexmap::IndexMap<String, ReferenceOr<openapiv3::Example>>,
) -> Option<&'a Value> {
    let example = match examples.values().next()? {
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

/// How deep [`placeholder`] follows arrays of arrays.
const MAX_PLACEHOLDER_DEPTH: usize = 4;

/// A plausible value of `ty` where the description has no example: an enum's first value, an
/// identifier-like text for a string named `..id`, one item for an array, and an empty object
/// for objects (emit fills in what the type requires).
fn placeholder(ty: &TypeRef, name: &str, types: &TypeIndex<'_>, depth: usize) -> Value {
    if let Some(first) = types.enumeration(ty).and_then(|e| e.variants.first()) {
        return match &first.value {
            EnumValue::String(text) => Value::from(text.as_str()),
            EnumValue::Integer(number) => Value::from(*number),
        };
    }
    match types.json_kind(ty) {
        JsonKind::String if name.to_ascii_lowercase().ends_with("id") => Value::from("123"),
        JsonKind::String => Value::from("example"),
        JsonKind::Integer => Value::from(1),
        JsonKind::Number => Value::from(1.5),
        JsonKind::Boolean => Value::Bool(true),
        JsonKind::Array if depth < MAX_PLACEHOLDER_DEPTH => {
            let item = types
                .array_item(ty)
                .map(|item| placeholder(&item, name, types, depth + 1));
            Value::Array(item.into_iter().collect())
        }
        JsonKind::Array => Value::Array(Vec::new()),
        JsonKind::Object | JsonKind::Any => Value::Object(serde_json::Map::new()),
    }
}
