//! Reference resolution and repairs on the raw JSON document, before `openapiv3` reads it.
//!
//! Lowering follows only `$ref`s to `#/components/schemas/<name>`. Everything else a valid
//! description may reference is brought into that form here:
//! - a `$ref` to a schema anywhere else (`#/components/schemas/x/properties/y`,
//!   `#/paths/~1a/get/responses/200/content/application~1json/schema`) is *hoisted*: the target
//!   becomes a component schema of its own, named after its location, and the `$ref` points at it;
//! - a `$ref` to anything that is not a schema (parameters, responses, request bodies, path
//!   items, headers, at any pointer) is replaced by a copy of its target.
//!
//! What the description gets wrong is degraded here, each time with a warning naming the pointer:
//! a `$ref` to nothing (or to another file) becomes an any-JSON schema, or, where a schema is not
//! expected, is dropped; a response without its required `description` gets an empty one.

use crate::diagnostic::{escape_pointer, pointer_from, Diagnostic};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

const SCHEMAS: [&str; 2] = ["components", "schemas"];

/// How to read the members of a JSON value met while walking the document.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ctx {
    /// An OpenAPI object with fixed field names (operation, parameter, media type, ...).
    Object,
    /// A map from names to values of the inner context (`paths`, `responses`, `content`, ...).
    Names(Inner),
    /// A JSON schema.
    Schema,
    /// Literal data (`example`, `default`, `enum`, extensions): never resolved.
    Data,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Inner {
    Object,
    Schema,
}

impl Inner {
    fn ctx(self) -> Ctx {
        match self {
            Inner::Object => Ctx::Object,
            Inner::Schema => Ctx::Schema,
        }
    }
}

/// The context of the value under `key` in an object read in context `ctx`.
fn child_ctx(ctx: Ctx, key: &str) -> Ctx {
    let literal =
        matches!(key, "example" | "examples" | "default" | "enum") || key.starts_with("x-");
    match ctx {
        Ctx::Data => Ctx::Data,
        Ctx::Names(inner) => inner.ctx(),
        Ctx::Schema => match key {
            "properties" => Ctx::Names(Inner::Schema),
            "items" | "not" | "additionalProperties" | "allOf" | "oneOf" | "anyOf" => Ctx::Schema,
            _ if literal => Ctx::Data,
            _ => Ctx::Object,
        },
        Ctx::Object => match key {
            "schema" => Ctx::Schema,
            "schemas" => Ctx::Names(Inner::Schema),
            "paths" | "responses" | "content" | "headers" | "callbacks" | "links" | "encoding"
            | "variables" | "securitySchemes" | "parameters" | "requestBodies" => {
                // `parameters` is a list in operations and a map in components: lists are read
                // element by element in the same context, so `Names` serves both.
                Ctx::Names(Inner::Object)
            }
            _ if literal => Ctx::Data,
            _ => Ctx::Object,
        },
    }
}

/// A `$ref` found at `path` (unescaped segments), in a schema position or not.
#[derive(Debug, Clone)]
struct Site {
    path: Vec<String>,
    schema: bool,
    /// How many copies deep this site is (copies can contain references to themselves).
    depth: usize,
}

/// Makes every reference followable and repairs what lowering cannot read; returns a warning per
/// repair, in document order.
pub fn normalize(document: &mut Value) -> Vec<Diagnostic> {
    let mut resolver = Resolver {
        warnings: Vec::new(),
        hoisted: BTreeMap::new(),
        removals: Vec::new(),
    };
    let mut work = Vec::new();
    collect_sites(document, &[], Ctx::Object, 0, &mut work);
    // Process in document order; a site's replacement may add sites of its own.
    work.reverse();
    while let Some(site) = work.pop() {
        let mut added = resolver.resolve_site(document, &site);
        added.reverse();
        work.extend(added);
    }
    resolver.remove_dropped(document);
    repair_responses(document, &mut resolver.warnings);
    repair_schemas(document, &mut resolver.warnings);
    resolver.warnings
}

/// Schema keywords whose value must be a schema object.
const SCHEMA_VALUED: &[&str] = &["items", "not", "additionalProperties"];

/// A schema that is not a JSON object (`properties: {id: "string"}`), or a keyword of the wrong
/// JSON type, is not OpenAPI: it becomes any JSON (the keyword is dropped), with a warning.
/// Besides being the degraded reading, this keeps `openapiv3` from trying every way to read a
/// broken schema at every level above it, which takes exponential time.
fn repair_schemas(document: &mut Value, warnings: &mut Vec<Diagnostic>) {
    let mut stack: Vec<(Vec<String>, Ctx)> = vec![(Vec::new(), Ctx::Object)];
    while let Some((path, ctx)) = stack.pop() {
        let Some(value) = get_mut(document, &path) else {
            continue;
        };
        // `allOf`/`oneOf`/`anyOf` hold lists of schemas: the list itself is not one.
        let schema_list = value.is_array()
            && path
                .last()
                .is_some_and(|key| matches!(key.as_str(), "allOf" | "oneOf" | "anyOf"));
        if ctx == Ctx::Schema && !schema_list {
            if let Some(message) = repair_schema(value) {
                warnings.push(Diagnostic::new(pointer_from(&path), message));
            }
        }
        let children = match &*value {
            Value::Object(object) if object.contains_key("$ref") => Vec::new(),
            other => members(other, ctx),
        };
        for (key, child) in children.into_iter().rev() {
            let mut child_path = path.clone();
            child_path.push(key);
            stack.push((child_path, child));
        }
    }
}

/// Fixes one schema value in place; says what was wrong.
fn repair_schema(value: &mut Value) -> Option<String> {
    let Value::Object(schema) = value else {
        if value.is_boolean() {
            // `true`/`false` as a schema (allowed for `additionalProperties`, read as such).
            return None;
        }
        let found = value.to_string();
        *value = Value::Object(Map::new());
        return Some(format!(
            "a schema must be an object, not `{}`; the value is treated as any JSON",
            found.chars().take(40).collect::<String>()
        ));
    };
    let mut dropped = Vec::new();
    let expect = |key: &str, value: &Value| -> bool {
        match key {
            "type" | "format" | "title" | "description" | "pattern" => value.is_string(),
            "required" => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_string)),
            "enum" | "allOf" | "oneOf" | "anyOf" => value.is_array(),
            "properties" => value.is_object(),
            "nullable" | "readOnly" | "writeOnly" | "deprecated" | "uniqueItems" => {
                value.is_boolean()
            }
            _ if SCHEMA_VALUED.contains(&key) => value.is_object() || value.is_boolean(),
            _ => true,
        }
    };
    schema.retain(|key, value| {
        let keep = expect(key, value);
        if !keep {
            dropped.push(key.clone());
        }
        keep
    });
    (!dropped.is_empty()).then(|| {
        format!(
            "schema keyword(s) {} of the wrong JSON type; left out",
            dropped
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

struct Resolver {
    warnings: Vec<Diagnostic>,
    /// Target pointer → name of the component schema it was hoisted to.
    hoisted: BTreeMap<String, String>,
    /// Non-schema references to nothing: removed once every site is resolved.
    removals: Vec<Vec<String>>,
}

/// Beyond this, copies of copies are taken to be a reference cycle.
const MAX_COPY_DEPTH: usize = 64;

impl Resolver {
    fn resolve_site(&mut self, document: &mut Value, site: &Site) -> Vec<Site> {
        let Some(reference) = get(document, &site.path)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
            .map(str::to_owned)
        else {
            return Vec::new();
        };
        let Some(target) = parse_reference(&reference) else {
            self.dangling(
                document,
                site,
                format!("`$ref: {reference}` points outside this document, which the generator does not read"),
            );
            return Vec::new();
        };
        if site.schema {
            return self.resolve_schema_site(document, site, &reference, &target);
        }
        let resolved = follow_chain(document, &target);
        match resolved {
            Some(value) if site.depth < MAX_COPY_DEPTH => {
                if let Some(slot) = get_mut(document, &site.path) {
                    *slot = value;
                }
                let mut added = Vec::new();
                let ctx = if looks_like_schema_location(&target) {
                    Ctx::Schema
                } else {
                    Ctx::Object
                };
                if let Some(start) = get(document, &site.path) {
                    collect_sites(start, &site.path, ctx, site.depth + 1, &mut added);
                }
                added
            }
            Some(_) => {
                self.dangling(
                    document,
                    site,
                    format!("`$ref: {reference}` refers to itself through other references"),
                );
                Vec::new()
            }
            None => {
                self.dangling(
                    document,
                    site,
                    format!("`$ref: {reference}` points to nothing in this document"),
                );
                Vec::new()
            }
        }
    }

    fn resolve_schema_site(
        &mut self,
        document: &mut Value,
        site: &Site,
        reference: &str,
        target: &[String],
    ) -> Vec<Site> {
        let is_component = target.len() == 3 && target[..2] == SCHEMAS;
        if get(document, target).is_none() {
            self.dangling(
                document,
                site,
                format!("`$ref: {reference}` points to nothing in this document"),
            );
            return Vec::new();
        }
        if is_component {
            return Vec::new();
        }
        let key = pointer_from(target);
        let (name, added) = match self.hoisted.get(&key) {
            Some(name) => (name.clone(), Vec::new()),
            None => {
                let name = hoisted_name(document, target);
                let value = get(document, target).cloned().unwrap_or(Value::Null);
                self.hoisted.insert(key, name.clone());
                let schemas = ensure_object(document, &SCHEMAS);
                schemas.insert(name.clone(), value);
                let path: Vec<String> = SCHEMAS
                    .iter()
                    .map(|s| (*s).to_owned())
                    .chain([name.clone()])
                    .collect();
                let mut added = Vec::new();
                if let Some(start) = get(document, &path) {
                    collect_sites(start, &path, Ctx::Schema, site.depth + 1, &mut added);
                }
                (name, added)
            }
        };
        if let Some(Value::Object(object)) = get_mut(document, &site.path) {
            object.insert(
                "$ref".to_owned(),
                Value::String(format!("#/components/schemas/{}", escape_pointer(&name))),
            );
        }
        added
    }

    /// A reference that cannot be followed: any JSON where a schema is expected, else dropped.
    fn dangling(&mut self, document: &mut Value, site: &Site, message: String) {
        let pointer = pointer_from(&site.path);
        if site.schema {
            self.warnings.push(Diagnostic::new(
                pointer,
                format!("{message}; the value is treated as any JSON"),
            ));
            if let Some(slot) = get_mut(document, &site.path) {
                *slot =
                    serde_json::json!({ "description": format!("Unresolved `$ref`: {message}.") });
            }
        } else {
            self.warnings.push(Diagnostic::new(
                pointer,
                format!("{message}; it is left out"),
            ));
            self.removals.push(site.path.clone());
        }
    }

    /// Drops the non-schema references to nothing, last first so list indices stay valid.
    fn remove_dropped(&mut self, document: &mut Value) {
        let mut removals = std::mem::take(&mut self.removals);
        removals.sort_by(|a, b| compare_paths(b, a));
        for path in removals {
            let Some((last, parent)) = path.split_last() else {
                continue;
            };
            match get_mut(document, parent) {
                Some(Value::Object(object)) => {
                    object.remove(last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = last.parse::<usize>() {
                        if index < items.len() {
                            items.remove(index);
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Orders paths so that list indices compare as numbers.
fn compare_paths(a: &[String], b: &[String]) -> std::cmp::Ordering {
    for (x, y) in a.iter().zip(b) {
        let order = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(x), Ok(y)) => x.cmp(&y),
            _ => x.cmp(y),
        };
        if order.is_ne() {
            return order;
        }
    }
    a.len().cmp(&b.len())
}

/// The unescaped segments of a same-document reference (`#/a/b~1c` → `["a", "b/c"]`).
fn parse_reference(reference: &str) -> Option<Vec<String>> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = percent_decode(fragment);
    if decoded.is_empty() {
        return Some(Vec::new());
    }
    let rest = decoded.strip_prefix('/')?;
    Some(rest.split('/').map(unescape_segment).collect())
}

/// RFC 6901: `~1` is `/` and `~0` is `~` (in that order).
pub fn unescape_segment(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// URI fragments may percent-encode characters (`%7B` for `{`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Follows a chain of non-schema references to a value that is not itself a reference.
fn follow_chain(document: &Value, target: &[String]) -> Option<Value> {
    let mut current = target.to_vec();
    for _ in 0..MAX_COPY_DEPTH {
        let value = get(document, &current)?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(next) => current = parse_reference(next)?,
            None => return Some(value.clone()),
        }
    }
    None
}

fn looks_like_schema_location(target: &[String]) -> bool {
    target.len() >= 2 && target[..2] == SCHEMAS || target.last().is_some_and(|s| s == "schema")
}

/// A component name for a hoisted schema, from its location: `contact/properties/id` →
/// `contact_properties_id`; unique among the component schemas.
fn hoisted_name(document: &Value, target: &[String]) -> String {
    let relevant = if target.len() > 2 && target[..2] == SCHEMAS {
        &target[2..]
    } else {
        target
    };
    let base: String = relevant
        .iter()
        .map(|s| s.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    let base = if base.is_empty() {
        "schema".to_owned()
    } else {
        base
    };
    let taken = |name: &str| {
        get(
            document,
            &[
                SCHEMAS[0].to_owned(),
                SCHEMAS[1].to_owned(),
                name.to_owned(),
            ],
        )
        .is_some()
    };
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base}_{n}"))
        .find(|candidate| !taken(candidate))
        .unwrap_or(base)
}

/// The keys (or list indices) of `value` with the context of each member; none for data.
fn members(value: &Value, ctx: Ctx) -> Vec<(String, Ctx)> {
    match (value, ctx) {
        (_, Ctx::Data) => Vec::new(),
        (Value::Object(object), _) => object
            .keys()
            .map(|key| (key.clone(), child_ctx(ctx, key)))
            .collect(),
        (Value::Array(items), _) => (0..items.len())
            .map(|i| (i.to_string(), item_ctx(ctx)))
            .collect(),
        _ => Vec::new(),
    }
}

/// The context of a list's items: a list holds values of its context (`parameters: [...]`
/// holds parameters).
fn item_ctx(ctx: Ctx) -> Ctx {
    match ctx {
        Ctx::Names(inner) => inner.ctx(),
        other => other,
    }
}

/// Every `$ref` object under `value` (located at `base`), without recursion.
///
/// One path is kept and truncated as the walk goes back up: a member's path is only copied
/// when it is a site (a walk of the whole document copied every member's).
fn collect_sites(value: &Value, base: &[String], ctx: Ctx, depth: usize, out: &mut Vec<Site>) {
    /// A member to visit: its value, the length of its parent's path, its key and context.
    type Visit<'v> = (&'v Value, usize, Option<String>, Ctx);
    let mut path = base.to_vec();
    let mut stack: Vec<Visit<'_>> = vec![(value, base.len(), None, ctx)];
    while let Some((value, parent_len, key, ctx)) = stack.pop() {
        path.truncate(parent_len);
        path.extend(key);
        if ctx == Ctx::Data {
            continue;
        }
        let len = path.len();
        match value {
            Value::Object(object) => {
                if object.get("$ref").is_some_and(Value::is_string) {
                    out.push(Site {
                        path: path.clone(),
                        schema: ctx == Ctx::Schema,
                        depth,
                    });
                    continue;
                }
                for (key, child) in object.iter().rev() {
                    stack.push((child, len, Some(key.clone()), child_ctx(ctx, key)));
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate().rev() {
                    stack.push((item, len, Some(index.to_string()), item_ctx(ctx)));
                }
            }
            _ => {}
        }
    }
}

fn get<'v>(value: &'v Value, path: &[String]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |current, segment| match current {
            Value::Object(object) => object.get(segment),
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

fn get_mut<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(value, |current, segment| match current {
            Value::Object(object) => object.get_mut(segment),
            Value::Array(items) => items.get_mut(segment.parse::<usize>().ok()?),
            _ => None,
        })
}

/// The object at `path`, created (replacing anything that is not an object) where missing.
fn ensure_object<'v>(document: &'v mut Value, path: &[&str]) -> &'v mut Map<String, Value> {
    let mut current = document;
    for segment in path {
        if !current.is_object() {
            *current = Value::Object(Map::new());
        }
        let Value::Object(object) = current else {
            unreachable!("made an object just above")
        };
        current = object
            .entry((*segment).to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    if !current.is_object() {
        *current = Value::Object(Map::new());
    }
    match current {
        Value::Object(object) => object,
        _ => unreachable!("made an object just above"),
    }
}

/// OpenAPI requires a `description` on every response; descriptions in the wild omit it.
fn repair_responses(document: &mut Value, warnings: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = document.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for (method, operation) in item.iter_mut() {
            let Some(Value::Object(responses)) = operation.get_mut("responses") else {
                continue;
            };
            for (code, response) in responses.iter_mut() {
                if let Value::Object(response) = response {
                    if !response.contains_key("$ref") && !response.contains_key("description") {
                        response.insert("description".to_owned(), Value::String(String::new()));
                        warnings.push(Diagnostic::new(
                            pointer_from(&["paths", path, method, "responses", code]),
                            "response without the required `description`; an empty one is assumed",
                        ));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_schema_references_are_hoisted() {
        let mut doc = json!({
            "paths": {},
            "components": {"schemas": {
                "a": {"type": "object", "properties": {"id": {"type": "string"}}},
                "b": {"type": "object", "properties": {"a_id": {"$ref": "#/components/schemas/a/properties/id"}}}
            }}
        });
        let warnings = normalize(&mut doc);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            doc["components"]["schemas"]["b"]["properties"]["a_id"]["$ref"],
            "#/components/schemas/a_properties_id"
        );
        assert_eq!(
            doc["components"]["schemas"]["a_properties_id"],
            json!({"type": "string"})
        );
    }

    #[test]
    fn parameters_are_copied_and_dangling_ones_dropped() {
        let mut doc = json!({
            "paths": {"/a/{id}": {"get": {
                "parameters": [
                    {"$ref": "#/paths/~1b/get/parameters/0"},
                    {"$ref": "#/components/parameters/missing"},
                    {"$ref": "#/components/parameters/p"}
                ],
                "responses": {"200": {"description": "ok"}}
            }}, "/b": {"get": {"parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {}}}},
            "components": {"parameters": {"p": {"name": "q", "in": "query", "schema": {"$ref": "#/components/schemas/nothing"}}}}
        });
        let warnings = normalize(&mut doc);
        let parameters = doc["paths"]["/a/{id}"]["get"]["parameters"]
            .as_array()
            .unwrap();
        assert_eq!(parameters.len(), 2);
        assert_eq!(parameters[0]["name"], "id");
        assert_eq!(parameters[1]["name"], "q");
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "#/components/parameters/p/schema",
                "#/paths/~1a~1{id}/get/parameters/1",
            ]
        );
    }

    #[test]
    fn examples_are_data() {
        let mut doc = json!({"paths": {}, "components": {"schemas": {
            "a": {"type": "object", "example": {"$ref": "#/nowhere"}}
        }}});
        assert!(normalize(&mut doc).is_empty());
    }

    #[test]
    fn self_referencing_parameters_are_cycles_not_hangs() {
        let mut doc = json!({"paths": {"/a": {"get": {
            "parameters": [{"$ref": "#/components/parameters/p"}], "responses": {}
        }}}, "components": {"parameters": {"p": {"$ref": "#/components/parameters/p"}}}});
        let warnings = normalize(&mut doc);
        assert!(!warnings.is_empty());
        assert_eq!(doc["paths"]["/a"]["get"]["parameters"], json!([]));
    }

    #[test]
    fn broken_schemas_become_any_json_quickly() {
        let mut schema = json!({"type": "object", "properties": {"bad": "object"}});
        for _ in 0..30 {
            schema = json!({"type": "object", "properties": {"inner": schema}});
        }
        let mut doc = json!({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"deep": schema, "typed": {"type": 7, "required": "id"},
                "composed": {"allOf": [{"$ref": "#/components/schemas/typed"}], "oneOf": [{"type": "string"}]}}}});
        let warnings = normalize(&mut doc);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(doc["components"]["schemas"]["typed"], json!({}));
        assert!(doc["components"]["schemas"]["composed"]["allOf"].is_array());
        let started = std::time::Instant::now();
        let _: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn escaped_and_percent_encoded_pointers() {
        assert_eq!(
            parse_reference("#/paths/~1a~1%7Bid%7D/get").unwrap(),
            ["paths", "/a/{id}", "get"]
        );
        assert_eq!(unescape_segment("a~01"), "a~1");
    }
}
