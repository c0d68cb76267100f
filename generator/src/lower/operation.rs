//! Lowering of paths and operations into client methods.

use super::schema::{escape_pointer, Lowered, SchemaLowerer};
use super::view::Node;
use super::Diagnostic;
use crate::docs::rustdoc;
use crate::ir::{
    HttpMethod, Operation, Param, ParamLocation, PathSegment, RequestBody, SuccessResponse, TypeRef,
};
use crate::names::{
    field_name, type_name, NameScope, BUILDER_MEMBERS, CLIENT_MEMBERS, OPERATIONS_RUNTIME_IMPORTS,
};
use openapiv3::{
    Components, OpenAPI, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Response,
    StatusCode,
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
            if item.options.is_some() || item.head.is_some() || item.trace.is_some() {
                diagnostics.push(Diagnostic::new(
                    item_pointer,
                    "OPTIONS, HEAD and TRACE operations are not supported",
                ));
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
        let name = self.method_names.claim(&raw_name);
        let builder_name = self.builder_names.claim(&type_name(&name));
        let (mut params, fixed_headers) =
            self.parameters(item, operation, &builder_name, pointer)?;
        let path_segments = path_segments(path, &mut params, pointer)?;
        let body = match &operation.request_body {
            Some(body) => {
                Some(self.request_body(body, &builder_name, &format!("{pointer}/requestBody"))?)
            }
            None => None,
        };
        let response =
            self.success_response(operation, &builder_name, &format!("{pointer}/responses"))?;
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
            deprecated: operation.deprecated,
            params,
            fixed_headers,
            body,
            response,
            pagination: None,
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
            let location = match parameter {
                Parameter::Path { .. } => ParamLocation::Path,
                Parameter::Query { .. } => ParamLocation::Query,
                Parameter::Header { .. }
                    if CLIENT_HEADERS.contains(&data.name.to_ascii_lowercase().as_str()) =>
                {
                    if let Some(value) = self.single_allowed_value(data, &param_pointer)? {
                        fixed_headers.push((data.name.clone(), value));
                    }
                    continue;
                }
                Parameter::Header { .. } => ParamLocation::Header,
                Parameter::Cookie { .. } => {
                    return Err(Diagnostic::new(
                        param_pointer,
                        "cookie parameters are not supported",
                    ));
                }
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => schema,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(Diagnostic::new(
                        param_pointer,
                        "parameters described by `content` are not supported",
                    ));
                }
            };
            let hint = format!("{builder_name}{}", type_name(&data.name));
            let Lowered { ty, .. } = self.schemas.lower_use(
                Node::from(schema),
                &hint,
                &format!("{param_pointer}/schema"),
            )?;
            let location = match (location, is_scalar_or_list(&ty, self.schemas)) {
                (ParamLocation::Query, false) if data.explode != Some(false) => {
                    ParamLocation::QueryObject
                }
                (ParamLocation::Query | ParamLocation::Path | ParamLocation::Header, false) => {
                    return Err(Diagnostic::new(
                        param_pointer,
                        "only scalar parameters (and exploded form objects in the query) are supported",
                    ));
                }
                (location, _) => location,
            };
            params.push(Param {
                name: names.claim(&field_name(&data.name)),
                wire_name: data.name.clone(),
                location,
                ty,
                required: data.required || location == ParamLocation::Path,
                docs: data.description.as_deref().and_then(rustdoc),
            });
        }
        Ok((params, fixed_headers))
    }

    /// The only value a client-set header may take for this operation, when its schema is an
    /// enum of one value.
    fn single_allowed_value(
        &mut self,
        data: &'a openapiv3::ParameterData,
        pointer: &str,
    ) -> Result<Option<String>, Diagnostic> {
        let ParameterSchemaOrContent::Schema(schema) = &data.format else {
            return Ok(None);
        };
        let lowered = self.schemas.lower_use(
            Node::from(schema),
            "HeaderValue",
            &format!("{pointer}/schema"),
        )?;
        let TypeRef::Named(name) = lowered.ty else {
            return Ok(None);
        };
        let single = self
            .schemas
            .types()
            .find(|def| def.name == name)
            .and_then(|def| match &def.kind {
                crate::ir::TypeKind::Enum(e) => match e.variants.as_slice() {
                    [crate::ir::EnumVariant {
                        value: crate::ir::EnumValue::String(value),
                        ..
                    }] => Some(value.clone()),
                    _ => None,
                },
                _ => None,
            });
        Ok(single)
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
        let Some(media) = body.content.get("application/json") else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(Diagnostic::new(
                pointer,
                format!(
                    "request bodies of type {} are not supported (only application/json)",
                    types.join(", ")
                ),
            ));
        };
        let media_pointer = format!("{pointer}/content/application~1json/schema");
        let ty = match &media.schema {
            Some(schema) => {
                self.schemas
                    .lower_use(
                        Node::from(schema),
                        &format!("{builder_name}Body"),
                        &media_pointer,
                    )?
                    .ty
            }
            None => TypeRef::Json,
        };
        Ok(RequestBody {
            ty,
            required: body.required,
            docs: body.description.as_deref().and_then(rustdoc),
        })
    }

    /// The lowest 2xx (else 3xx) response decides what a successful call returns.
    fn success_response(
        &mut self,
        operation: &'a openapiv3::Operation,
        builder_name: &str,
        pointer: &str,
    ) -> Result<SuccessResponse, Diagnostic> {
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
            return Ok(SuccessResponse::Undeclared);
        };
        let response_pointer = format!("{pointer}/{code}");
        let response =
            resolve_response(self.spec.components.as_ref(), response, &response_pointer)?;
        if (300..400).contains(&code) {
            return Ok(SuccessResponse::Redirect);
        }
        if let Some(media) = response.content.get("application/json") {
            let ty = match &media.schema {
                Some(schema) => {
                    let schema_pointer =
                        format!("{response_pointer}/content/application~1json/schema");
                    self.schemas
                        .lower_use(
                            Node::from(schema),
                            &format!("{builder_name}Response"),
                            &schema_pointer,
                        )?
                        .ty
                }
                None => TypeRef::Json,
            };
            return Ok(SuccessResponse::Json(ty));
        }
        if let Some(media_type) = response.content.keys().find(|k| k.starts_with("text/")) {
            return Ok(SuccessResponse::Text(media_type.clone()));
        }
        match response.content.keys().next() {
            None => Ok(SuccessResponse::Empty),
            Some(other) => Err(Diagnostic::new(
                response_pointer,
                format!("responses of type `{other}` are not supported (only JSON, text and empty bodies)"),
            )),
        }
    }
}

fn methods(item: &PathItem) -> impl Iterator<Item = (HttpMethod, &openapiv3::Operation)> {
    [
        (HttpMethod::Get, &item.get),
        (HttpMethod::Put, &item.put),
        (HttpMethod::Post, &item.post),
        (HttpMethod::Delete, &item.delete),
        (HttpMethod::Patch, &item.patch),
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
    }
}

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

/// Splits the path template. A `{name}` with no path parameter but a query parameter of that
/// name is a known spec mistake (the value is part of the URL path); it is treated as a path
/// parameter, since that is the only request the server can route.
fn path_segments(
    path: &str,
    params: &mut [Param],
    pointer: &str,
) -> Result<Vec<PathSegment>, Diagnostic> {
    let mut segments = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        if open > 0 {
            segments.push(PathSegment::Literal(rest[..open].to_owned()));
        }
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| Diagnostic::new(pointer, format!("unclosed `{{` in path `{path}`")))?;
        let wire = &rest[open + 1..close];
        let index = params
            .iter()
            .position(|p| p.wire_name == wire && p.location == ParamLocation::Path)
            .or_else(|| {
                params
                    .iter()
                    .position(|p| p.wire_name == wire && p.location == ParamLocation::Query)
            })
            .ok_or_else(|| {
                Diagnostic::new(
                    pointer,
                    format!("path `{path}` uses `{{{wire}}}` but declares no such parameter"),
                )
            })?;
        params[index].location = ParamLocation::Path;
        params[index].required = true;
        segments.push(PathSegment::Param(index));
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        segments.push(PathSegment::Literal(rest.to_owned()));
    }
    if let Some(orphan) = params.iter().find(|p| {
        p.location == ParamLocation::Path
            && !segments
                .iter()
                .any(|s| matches!(s, PathSegment::Param(i) if params[*i].wire_name == p.wire_name))
    }) {
        return Err(Diagnostic::new(
            pointer,
            format!(
                "path parameter `{}` does not appear in `{path}`",
                orphan.wire_name
            ),
        ));
    }
    Ok(segments)
}

fn is_scalar_or_list(ty: &TypeRef, schemas: &SchemaLowerer<'_>) -> bool {
    match ty {
        TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean => true,
        TypeRef::Array(item) => {
            matches!(
                **item,
                TypeRef::String | TypeRef::Integer | TypeRef::Number | TypeRef::Boolean
            ) || is_enum(item, schemas)
        }
        other => is_enum(other, schemas),
    }
}

fn is_enum(ty: &TypeRef, schemas: &SchemaLowerer<'_>) -> bool {
    match ty {
        TypeRef::Named(name) => schemas
            .types()
            .any(|def| &def.name == name && matches!(def.kind, crate::ir::TypeKind::Enum(_))),
        _ => false,
    }
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
