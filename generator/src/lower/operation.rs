//! Lowering of paths and operations into client methods.

use super::schema::{escape_pointer, Lowered, SchemaLowerer};
use super::view::Node;
use super::view::View;
use super::Diagnostic;
use crate::docs::rustdoc;
use crate::ir::{
    BodyEncoding, Form, FormPart, HttpMethod, Operation, Param, ParamLocation, ParamSerialization,
    ParamStyle, PartKind, PathSegment, RequestBody, SuccessResponse, TypeDef, TypeKind, TypeRef,
};
use crate::names::{
    field_name, type_name, NameScope, BUILDER_MEMBERS, CLIENT_MEMBERS, OPERATIONS_RUNTIME_IMPORTS,
};
use openapiv3::{
    Components, MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr,
    Response, StatusCode,
};

/// Client-set headers whose value an operation's description fixes (name, value).
type FixedHeaders = Vec<(String, String)>;

/// Headers the client sets itself; an operation never asks the caller for them.
const CLIENT_HEADERS: &[&str] = &["intercom-version", "authorization"];

pub struct OperationLowerer<'a, 's> {
    spec: &'a OpenAPI,
    schemas: &'s mut SchemaLowerer<'a>,
    method_names: NameScope,
    /// Request builder types share the `operations` module with its imports.
    builder_names: NameScope,
}

impl<'a, 's> OperationLowerer<'a, 's> {
    pub fn new(spec: &'a OpenAPI, schemas: &'s mut SchemaLowerer<'a>) -> Self {
        Self {
            spec,
            schemas,
            method_names: NameScope::with_reserved(CLIENT_MEMBERS.iter().copied()),
            builder_names: NameScope::with_reserved(
                ["Client"]
                    .into_iter()
                    .chain(OPERATIONS_RUNTIME_IMPORTS.iter().copied()),
            ),
        }
    }

    pub fn lower_all(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Vec<Operation> {
        let mut operations = Vec::new();
        for (path, item) in &self.spec.paths.paths {
            let item_pointer = format!("#/paths/{}", escape_pointer(path));
            let ReferenceOr::Item(item) = item else {
                diagnostics.push(Diagnostic::new(
                    item_pointer,
                    "path items given as `$ref` are not supported",
                ));
                continue;
            };
            for (method, operation) in methods(item) {
                let pointer = format!("{item_pointer}/{}", method_key(method));
                match self.lower_operation(path, method, item, operation, &pointer) {
                    Ok(lowered) => operations.push(lowered),
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
        }
        operations
    }

    fn lower_operation(
        &mut self,
        path: &str,
        method: HttpMethod,
        item: &'a PathItem,
        operation: &'a openapiv3::Operation,
        pointer: &str,
    ) -> Result<Operation, Diagnostic> {
        let raw_name = match &operation.operation_id {
            Some(id) => field_name(id),
            None => derived_method_name(method, path),
        };
        let (raw_name, renamed_from) = match RENAMED.iter().find(|(typo, _)| *typo == raw_name) {
            Some((_, proper)) => ((*proper).to_owned(), Some(raw_name)),
            None => (raw_name, None),
        };
        let name = self.method_names.claim(&raw_name);
        // The upstream name stays as a deprecated alias, unless another operation has it.
        let renamed_from = renamed_from.filter(|old| self.method_names.claim(old) == *old);
        let builder_name = self.builder_names.claim(&type_name(&name));
        let (mut params, fixed_headers) =
            self.parameters(item, operation, &builder_name, pointer)?;
        let path_segments = path_segments(path, &mut params, pointer, self.schemas);
        let body = match &operation.request_body {
            Some(body) => {
                Some(self.request_body(body, &builder_name, &format!("{pointer}/requestBody"))?)
            }
            None => None,
        };
        let (response, accept) = match method {
            // A HEAD response has no body, whatever the description says about its content.
            HttpMethod::Head => (SuccessResponse::Empty, None),
            _ => {
                self.success_response(operation, &builder_name, &format!("{pointer}/responses"))?
            }
        };
        // A fixed `Accept` parameter says what this operation must ask for: it replaces the
        // one inferred from the response's media type.
        let accept = accept.filter(|_| {
            !fixed_headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case("accept"))
        });
        let docs = match (&operation.description, &operation.summary) {
            (Some(description), _) => rustdoc(description),
            (None, Some(summary)) => rustdoc(summary),
            (None, None) => None,
        };
        Ok(Operation {
            name,
            builder_name,
            origin: pointer.to_owned(),
            method,
            path: path.to_owned(),
            path_segments,
            summary: operation.summary.as_deref().and_then(rustdoc),
            docs,
            tags: operation.tags.clone(),
            resources: super::resources::operation_resources(&operation.tags),
            deprecated: operation.deprecated,
            params,
            fixed_headers,
            body,
            response,
            accept,
            pagination: None,
            renamed_from,
        })
    }

    fn parameters(
        &mut self,
        item: &'a PathItem,
        operation: &'a openapiv3::Operation,
        builder_name: &str,
        pointer: &str,
    ) -> Result<(Vec<Param>, FixedHeaders), Diagnostic> {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut merged: Vec<(String, &'a Parameter)> = Vec::new();
        let sources = item
            .parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                (
                    format!(
                        "{}/parameters/{i}",
                        pointer.rsplit_once('/').map_or(pointer, |(head, _)| head)
                    ),
                    p,
                )
            })
            .chain(
                operation
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (format!("{pointer}/parameters/{i}"), p)),
            );
        for (param_pointer, parameter) in sources {
            let parameter =
                resolve_parameter(self.spec.components.as_ref(), parameter, &param_pointer)?;
            let key = parameter.parameter_data_ref();
            merged.retain(|(_, p)| {
                let existing = p.parameter_data_ref();
                !(existing.name == key.name
                    && std::mem::discriminant(*p) == std::mem::discriminant(parameter))
            });
            merged.push((param_pointer, parameter));
        }
        let mut names = NameScope::with_reserved(BUILDER_MEMBERS.iter().copied());
        let mut params = Vec::new();
        let mut fixed_headers = Vec::new();
        for (param_pointer, parameter) in merged {
            let data = parameter.parameter_data_ref();
            let (location, style) = match parameter {
                Parameter::Path { style, .. } => (
                    ParamLocation::Path,
                    match style {
                        openapiv3::PathStyle::Simple => ParamStyle::Simple,
                        openapiv3::PathStyle::Label => ParamStyle::Label,
                        openapiv3::PathStyle::Matrix => ParamStyle::Matrix,
                    },
                ),
                Parameter::Query { style, .. } => (
                    ParamLocation::Query,
                    match style {
                        openapiv3::QueryStyle::Form => ParamStyle::Form,
                        openapiv3::QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => ParamStyle::DeepObject,
                    },
                ),
                Parameter::Header { .. } => {
                    let client_header =
                        CLIENT_HEADERS.contains(&data.name.to_ascii_lowercase().as_str());
                    // A header the request must send with the one value its schema allows is
                    // not a choice for the caller: the request sends it by itself.
                    if client_header || data.required {
                        if let Some(value) = self.single_allowed_value(data) {
                            fixed_headers.push((data.name.clone(), value));
                            continue;
                        }
                    }
                    if client_header {
                        continue;
                    }
                    (ParamLocation::Header, ParamStyle::Simple)
                }
                Parameter::Cookie { .. } => (ParamLocation::Cookie, ParamStyle::Form),
            };
            let hint = format!("{builder_name}{}", type_name(&data.name));
            let (schema, schema_pointer, json_content) = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    (Some(schema), format!("{param_pointer}/schema"), false)
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((media_type, media)) => (
                        media.schema.as_ref(),
                        format!(
                            "{param_pointer}/content/{}/schema",
                            escape_pointer(media_type)
                        ),
                        true,
                    ),
                    None => (None, String::new(), true),
                },
            };
            let ty = match schema {
                Some(schema) => {
                    let Lowered { ty, .. } =
                        self.schemas
                            .lower_use(Node::from(schema), &hint, &schema_pointer)?;
                    ty
                }
                None => TypeRef::String,
            };
            let explode = data.explode.unwrap_or(style == ParamStyle::Form);
            let plain_style = matches!(style, ParamStyle::Form | ParamStyle::Simple);
            let serialization = if json_content {
                ParamSerialization::Json
            } else if self.schemas.is_scalar(&ty) && plain_style {
                ParamSerialization::Display
            } else {
                ParamSerialization::Styled { style, explode }
            };
            params.push(Param {
                name: names.claim(&field_name(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: data.description.as_deref().and_then(rustdoc),
                serialization,
            });
        }
        Ok((params, fixed_headers))
    }

    /// The only value a header may take for this operation, when its schema is a string enum
    /// of one value.
    fn single_allowed_value(&self, data: &'a openapiv3::ParameterData) -> Option<String> {
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return None;
        };
        self.schemas.single_string_value(Node::from(schema))
    }

    fn request_body(
        &mut self,
        body: &'a ReferenceOr<openapiv3::RequestBody>,
        builder_name: &str,
        pointer: &str,
    ) -> Result<RequestBody, Diagnostic> {
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/requestBodies/");
                let found = self
                    .spec
                    .components
                    .as_ref()
                    .zip(name)
                    .and_then(|(c, n)| c.request_bodies.get(n));
                match found {
                    Some(ReferenceOr::Item(body)) => body,
                    _ => {
                        return Err(Diagnostic::new(
                            pointer,
                            format!("cannot resolve `$ref: {reference}`"),
                        ))
                    }
                }
            }
        };
        let Some((media_type, media, encoding)) = preferred_media(&body.content) else {
            // `content: {}`: nothing to send, but the operation still exists.
            return Ok(RequestBody {
                ty: TypeRef::Json,
                required: body.required,
                docs: body.description.as_deref().and_then(rustdoc),
                media_type: "application/json".to_owned(),
                encoding: BodyEncoding::Json,
            });
        };
        let media_pointer = format!("{pointer}/content/{}/schema", escape_pointer(media_type));
        let hint = format!("{builder_name}Body");
        let ty = match encoding {
            BodyEncoding::Binary => TypeRef::Binary,
            BodyEncoding::Text => TypeRef::String,
            BodyEncoding::Multipart => self.multipart_form(media, &hint, &media_pointer)?,
            BodyEncoding::Json | BodyEncoding::Form => match &media.schema {
                Some(schema) => {
                    self.schemas
                        .lower_use(Node::from(schema), &hint, &media_pointer)?
                        .ty
                }
                None => TypeRef::Json,
            },
        };
        Ok(RequestBody {
            ty,
            required: body.required,
            docs: body.description.as_deref().and_then(rustdoc),
            media_type: media_type.to_owned(),
            encoding,
        })
    }

    /// A multipart body's form type: one part per property of its schema. Binary strings are
    /// files, other scalars text, anything else JSON.
    fn multipart_form(
        &mut self,
        media: &'a MediaType,
        hint: &str,
        pointer: &str,
    ) -> Result<TypeRef, Diagnostic> {
        let view = media
            .schema
            .as_ref()
            .and_then(|schema| self.schemas.object_view(schema));
        let mut parts = Vec::new();
        let mut names = NameScope::default();
        if let Some(view) = view {
            for (wire, node) in &view.properties {
                let part_pointer = format!("{pointer}/properties/{}", escape_pointer(wire));
                let kind =
                    self.part_kind(*node, &format!("{hint}{}", type_name(wire)), &part_pointer)?;
                let docs = match node {
                    Node::Schema(schema) => View::of(schema).description.and_then(rustdoc),
                    Node::Ref(_) => None,
                };
                parts.push(FormPart {
                    name: names.claim(&field_name(wire)),
                    wire_name: (*wire).to_owned(),
                    kind,
                    required: view.required.contains(wire),
                    docs,
                });
            }
        }
        let name = self.schemas.claim_type_name(hint);
        self.schemas.add_operation_type(TypeDef {
            name: name.clone(),
            origin: pointer.to_owned(),
            docs: Some("The parts of a `multipart/form-data` request body.".to_owned()),
            kind: TypeKind::Form(Form { parts }),
            resources: Vec::new(),
        });
        Ok(TypeRef::Named(name))
    }

    fn part_kind(
        &mut self,
        node: Node<'a>,
        hint: &str,
        pointer: &str,
    ) -> Result<PartKind, Diagnostic> {
        if let Some(view) = self.schemas.node_view(node) {
            if view.format == Some("binary") {
                return Ok(PartKind::File);
            }
            if view.typ == Some("array") {
                if let Some(items) = view.items.and_then(|items| self.schemas.node_view(items)) {
                    if items.format == Some("binary") {
                        return Ok(PartKind::Files);
                    }
                }
            }
        }
        let ty = self.schemas.lower_use(node, hint, pointer)?.ty;
        Ok(if self.schemas.is_scalar(&ty) {
            PartKind::Text(ty)
        } else {
            PartKind::Json(ty)
        })
    }

    /// The lowest 2xx (else 3xx) response decides what a successful call returns.
    fn success_response(
        &mut self,
        operation: &'a openapiv3::Operation,
        builder_name: &str,
        pointer: &str,
    ) -> Result<(SuccessResponse, Option<String>), Diagnostic> {
        let mut candidates: Vec<(u16, &'a ReferenceOr<Response>)> = operation
            .responses
            .responses
            .iter()
            .filter_map(|(code, response)| match code {
                StatusCode::Code(code) if (200..400).contains(code) => Some((*code, response)),
                StatusCode::Range(2) => Some((200, response)),
                _ => None,
            })
            .collect();
        candidates.sort_by_key(|(code, _)| *code);
        let Some((code, response)) = candidates.first().copied() else {
            return Ok((SuccessResponse::Undeclared, None));
        };
        let response_pointer = format!("{pointer}/{code}");
        let response =
            resolve_response(self.spec.components.as_ref(), response, &response_pointer)?;
        if (300..400).contains(&code) {
            return Ok((SuccessResponse::Redirect, None));
        }
        let Some((media_type, media, encoding)) = preferred_media(&response.content) else {
            return Ok((SuccessResponse::Empty, None));
        };
        // The runtime asks for `application/json` unless told otherwise.
        let accept = (media_type != "application/json").then(|| media_type.to_owned());
        let response = match encoding {
            BodyEncoding::Json => {
                let schema_pointer = format!(
                    "{response_pointer}/content/{}/schema",
                    escape_pointer(media_type)
                );
                SuccessResponse::Json(match &media.schema {
                    Some(schema) => {
                        self.schemas
                            .lower_use(
                                Node::from(schema),
                                &format!("{builder_name}Response"),
                                &schema_pointer,
                            )?
                            .ty
                    }
                    None => TypeRef::Json,
                })
            }
            BodyEncoding::Text => SuccessResponse::Text(media_type.to_owned()),
            BodyEncoding::Form | BodyEncoding::Multipart | BodyEncoding::Binary => {
                SuccessResponse::Binary(media_type.to_owned())
            }
        };
        Ok((response, accept))
    }
}

/// The media type a body is exchanged in, when the description offers several: JSON first,
/// then forms, then text, then raw bytes; among equals, the first listed.
fn preferred_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType, BodyEncoding)> {
    content
        .iter()
        .map(|(media_type, media)| (media_type.as_str(), media, body_encoding(media_type)))
        .min_by_key(|(_, _, encoding)| match encoding {
            BodyEncoding::Json => 0,
            BodyEncoding::Form => 1,
            BodyEncoding::Multipart => 2,
            BodyEncoding::Text => 3,
            BodyEncoding::Binary => 4,
        })
}

/// How a media type is written: `application/json; charset=utf-8`, `application/*+json` and
/// `application/json-patch+json` are all JSON.
pub fn body_encoding(media_type: &str) -> BodyEncoding {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    match (kind, subtype) {
        (_, "json") => BodyEncoding::Json,
        (_, subtype) if subtype.ends_with("+json") => BodyEncoding::Json,
        ("application", "x-www-form-urlencoded") => BodyEncoding::Form,
        ("multipart", _) => BodyEncoding::Multipart,
        ("text", _) => BodyEncoding::Text,
        _ => BodyEncoding::Binary,
    }
}

fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Patch, &item.patch),
        (HttpMethod::Head, &item.head),
        (HttpMethod::Options, &item.options),
        (HttpMethod::Trace, &item.trace),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|op| (method, op)))
}

fn method_key(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Put => "put",
        HttpMethod::Post => "post",
        HttpMethod::Delete => "delete",
        HttpMethod::Patch => "patch",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    }
}

/// Method names (from `operationId`) that are upstream typos, with the name they get: the
/// typo stays as a deprecated alias method, so code written against it keeps compiling.
/// `lisDataAttributes` and `lisDataEvents` list data attributes and events (`GET
/// /data_attributes`, `GET /events`), like every other `list*` operation.
const RENAMED: &[(&str, &str)] = &[
    ("lis_data_attributes", "list_data_attributes"),
    ("lis_data_events", "list_data_events"),
];

/// A stable name for an operation without `operationId`: `get /export/{id}` → `get_export_by_id`.
fn derived_method_name(method: HttpMethod, path: &str) -> String {
    let mut words = vec![method_key(method).to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_owned()),
        }
    }
    field_name(&words.join("_"))
}

/// The `{name}`s of a path template, and whether a `{` is left unclosed.
fn template_names(path: &str) -> (Vec<&str>, bool) {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            return (names, true);
        };
        names.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    (names, false)
}

/// Splits the path template. A `{name}` with no path parameter but a query parameter of that
/// name is a known spec mistake (the value is part of the URL path); it is treated as a path
/// parameter, since that is the only request the server can route. What cannot be sent as
/// described is degraded with a warning: a `{name}` with no parameter becomes a string
/// parameter, a path parameter missing from the template is left out, an unclosed `{` is text.
fn path_segments(
    path: &str,
    params: &mut Vec<Param>,
    pointer: &str,
    schemas: &mut SchemaLowerer<'_>,
) -> Vec<PathSegment> {
    let (names, unclosed) = template_names(path);
    if unclosed {
        schemas.warn(
            pointer,
            format!("unclosed `{{` in path `{path}`; the rest of the path is sent as written"),
        );
    }
    params.retain(|p| {
        let orphan = p.location == ParamLocation::Path && !names.contains(&p.wire_name.as_str());
        if orphan {
            schemas.warn(
                pointer,
                format!(
                    "path parameter `{}` does not appear in `{path}`; it is left out",
                    p.wire_name
                ),
            );
        }
        !orphan
    });
    let mut segments = Vec::new();
    let mut rest = path;
    for wire in names {
        let open = rest.find('{').unwrap_or_default();
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        rest = &rest[open + wire.len() + 2..];
        let found = params
            .iter()
            .position(|p| p.wire_name == wire && p.location == ParamLocation::Path)
            .or_else(|| {
                params
                    .iter()
                    .position(|p| p.wire_name == wire && p.location == ParamLocation::Query)
            });
        let index = match found {
            Some(index) => index,
            None => {
                schemas.warn(
                    pointer,
                    format!("path `{path}` uses `{{{wire}}}` but declares no such parameter; it becomes a string parameter"),
                );
                let taken: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
                let mut scope = NameScope::with_reserved(
                    taken.into_iter().chain(BUILDER_MEMBERS.iter().copied()),
                );
                params.push(Param {
                    name: scope.claim(&field_name(wire)),
                    wire_name: wire.to_owned(),
                    location: ParamLocation::Path,
                    ty: TypeRef::String,
                    required: true,
                    docs: None,
                    serialization: ParamSerialization::Display,
                });
                params.len() - 1
            }
        };
        let param = &mut params[index];
        if let ParamSerialization::Styled { style, explode } = &mut param.serialization {
            if param.location != ParamLocation::Path {
                *style = ParamStyle::Simple;
                *explode = false;
            }
        }
        param.location = ParamLocation::Path;
        param.required = true;
        segments.push(PathSegment::Param(index));
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    segments
}

fn resolve_parameter<'a>(
    components: Option<&'a Components>,
    parameter: &'a ReferenceOr<Parameter>,
    pointer: &str,
) -> Result<&'a Parameter, Diagnostic> {
    match parameter {
        ReferenceOr::Item(parameter) => Ok(parameter),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/");
            match components.zip(name).and_then(|(c, n)| c.parameters.get(n)) {
                Some(ReferenceOr::Item(parameter)) => Ok(parameter),
                _ => Err(Diagnostic::new(
                    pointer,
                    format!("cannot resolve `$ref: {reference}`"),
                )),
            }
        }
    }
}

fn resolve_response<'a>(
    components: Option<&'a Components>,
    response: &'a ReferenceOr<Response>,
    pointer: &str,
) -> Result<&'a Response, Diagnostic> {
    match response {
        ReferenceOr::Item(response) => Ok(response),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/");
            match components.zip(name).and_then(|(c, n)| c.responses.get(n)) {
                Some(ReferenceOr::Item(response)) => Ok(response),
                _ => Err(Diagnostic::new(
                    pointer,
                    format!("cannot resolve `$ref: {reference}`"),
                )),
            }
        }
    }
}
