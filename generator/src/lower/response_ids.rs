//! The id of what a response returns is there.
//!
//! Intercom's descriptions mark almost nothing as required, so `Contact.id` and
//! `Conversation.id` would be `Option<String>`, and passing back an id just received would need
//! an `unwrap_or_default()`. The description's own examples say otherwise: every contact,
//! conversation, ticket... that a success response shows has its `id`. The rule: the `id` of a
//! component object is required (`id: String`) when the description's success-response examples
//! show that object at least once and every time with a non-empty `id`. A response that leaves
//! it out anyway reads as an empty text (the object reader leaves an absent required field at
//! its default), so nothing fails that did not before.
//!
//! Every example object counts, even one that shares nothing with the component (where the
//! description declares the wrong schema, `specs/overlay.yaml` corrects it): a response decoded
//! and encoded again must not gain an `id` it did not have. Components that a request body or
//! parameter reaches keep their `id` as declared: what a caller sends is not the examples'
//! business.

use super::examples::is_json;
use super::resources::kind_refs;
use super::shared::is_component;
use crate::ir::{Operation, SuccessResponse, TypeDef, TypeKind, TypeRef};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How deep a walk follows types without consuming the example (aliases, unions, flattened
/// fields); deeper than any description nests them, and a bound for alias cycles.
const MAX_DEPTH: usize = 64;

/// How often a component's objects appear in the examples, and how often with an id.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Seen {
    objects: usize,
    with_id: usize,
}

/// Makes `id` required in each component struct that every success-response example shows
/// with one (see the module docs).
pub fn require_shown_ids(types: &mut [TypeDef], operations: &[Operation], spec: &Value) {
    let seen = {
        let walker = Walker::new(types);
        let mut seen = BTreeMap::new();
        for operation in operations {
            let SuccessResponse::Json(ty) = &operation.response else {
                continue;
            };
            for example in success_examples(spec, &operation.origin) {
                walker.walk(example, ty, &mut seen, 0);
            }
        }
        seen
    };
    let sent = reached_by_requests(types, operations);
    for def in types.iter_mut() {
        let always = seen
            .get(&def.name)
            .is_some_and(|s: &Seen| s.objects > 0 && s.objects == s.with_id);
        if !always || sent.contains(&def.name) {
            continue;
        }
        if let TypeKind::Struct(s) = &mut def.kind {
            if let Some(id) = s.fields.iter_mut().find(|f| is_plain_id(f)) {
                id.required = true;
            }
        }
    }
}

/// A declared `id` property that is text (ids are text, see `ids.rs`) and not nullable.
fn is_plain_id(field: &crate::ir::Field) -> bool {
    field.wire_name == "id" && !field.flatten && !field.nullable && field.ty == TypeRef::String
}

/// The examples of an operation's first success response with a JSON body: its `example` and
/// every value of its `examples` (the resolver has copied referenced examples in place).
fn success_examples<'s>(spec: &'s Value, origin: &str) -> Vec<&'s Value> {
    let Some(responses) = origin
        .strip_prefix('#')
        .and_then(|pointer| spec.pointer(&format!("{pointer}/responses")))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let first_success = responses
        .iter()
        .filter(|(code, _)| code.starts_with('2'))
        .min_by_key(|(code, _)| code.as_str())
        .map(|(_, response)| response);
    let Some(content) = first_success
        .and_then(|r| r.get("content"))
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let Some(media) = content
        .iter()
        .find(|(media_type, _)| is_json(media_type))
        .map(|(_, media)| media)
    else {
        return Vec::new();
    };
    let named = media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|examples| examples.values())
        .filter_map(|example| example.get("value"));
    media.get("example").into_iter().chain(named).collect()
}

/// Walks example values along the types they are declared to have.
struct Walker<'t> {
    by_name: HashMap<&'t str, &'t TypeDef>,
}

impl<'t> Walker<'t> {
    fn new(types: &'t [TypeDef]) -> Self {
        Self {
            by_name: types.iter().map(|t| (t.name.as_str(), t)).collect(),
        }
    }

    fn walk(&self, value: &Value, ty: &TypeRef, seen: &mut BTreeMap<String, Seen>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match (ty, value) {
            (TypeRef::Named(name), _) => self.walk_named(value, name, seen, depth + 1),
            (TypeRef::Boxed(inner) | TypeRef::Nullable(inner), _) => {
                self.walk(value, inner, seen, depth + 1);
            }
            (TypeRef::Array(item), Value::Array(values)) => {
                for value in values {
                    self.walk(value, item, seen, depth + 1);
                }
            }
            (TypeRef::Map(item), Value::Object(entries)) => {
                for value in entries.values() {
                    self.walk(value, item, seen, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn walk_named(
        &self,
        value: &Value,
        name: &str,
        seen: &mut BTreeMap<String, Seen>,
        depth: usize,
    ) {
        let Some(def) = self.by_name.get(name) else {
            return;
        };
        match &def.kind {
            TypeKind::Struct(s) => {
                let Value::Object(object) = value else {
                    return;
                };
                if is_component(def) && s.fields.iter().any(is_plain_id) {
                    let count = seen.entry(def.name.clone()).or_default();
                    count.objects += 1;
                    if object.get("id").is_some_and(|id| !is_empty(id)) {
                        count.with_id += 1;
                    }
                }
                for field in &s.fields {
                    match object.get(&field.wire_name) {
                        _ if field.flatten => self.walk(value, &field.ty, seen, depth),
                        Some(inner) => self.walk(inner, &field.ty, seen, depth),
                        None => {}
                    }
                }
            }
            // An example says nothing about which variant it is: it is walked as each one, which
            // can only count more objects without an id (never make an id required wrongly).
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    self.walk(value, &variant.ty, seen, depth);
                }
            }
            TypeKind::Alias(target) | TypeKind::Newtype(target) => {
                self.walk(value, target, seen, depth);
            }
            TypeKind::Enum(_) | TypeKind::Form(_) => {}
        }
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(text) => text.is_empty(),
        _ => false,
    }
}

/// The names of the types a request body or parameter reaches, transitively.
fn reached_by_requests(types: &[TypeDef], operations: &[Operation]) -> BTreeSet<String> {
    let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut pending: Vec<&str> = operations
        .iter()
        .flat_map(|op| {
            let params = op.params.iter().map(|p| &p.ty);
            params.chain(op.body.iter().map(|b| &b.ty))
        })
        .filter_map(TypeRef::named)
        .collect();
    let mut reached = BTreeSet::new();
    while let Some(name) = pending.pop() {
        if !reached.insert(name.to_owned()) {
            continue;
        }
        let Some(def) = by_name.get(name) else {
            continue;
        };
        pending.extend(kind_refs(&def.kind).into_iter().filter_map(TypeRef::named));
    }
    reached
}
