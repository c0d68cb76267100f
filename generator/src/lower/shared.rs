//! One resource, one type.
//!
//! Intercom describes what several operations return inline, each time the same way: show,
//! create, update, merge and find-by-external-id of a contact all answer
//! `allOf: [$ref contact]` plus `enabled_push_messaging`. Lowered one by one, that is five
//! structs that no function can take together, none of them a `Contact`. Two rules:
//!
//! - a struct that is `allOf` of one component struct plus properties of its own *embeds* the
//!   component: a flattened field of the component's own type (`Field::base`), so the struct
//!   derefs to the component and converts into it, and keeps its extra properties;
//! - inline types that are structurally identical and play the same role (request body,
//!   parameter, response, or part of a component) are one type, named after the words their
//!   names share (`ShowContactResponse`, `UpdateContactResponse` → `ContactResponse`). A body
//!   and a response of the same shape stay two types: what is required or read-only in each,
//!   and how each drifts, are independent.
//!
//! Component schemas keep their names and are never merged: the description named them.

use crate::ir::{ExtraProperties, Field, Operation, SuccessResponse, TypeDef, TypeKind, TypeRef};
use crate::names::{camel_words as words, field_name, NameScope, RESERVED_TYPE_NAMES};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The pointer prefix of component schemas.
const COMPONENTS: &str = "#/components/schemas/";

/// Whether a type is a component schema (named by the description) rather than an inline one.
pub(super) fn is_component(def: &TypeDef) -> bool {
    def.origin
        .strip_prefix(COMPONENTS)
        .is_some_and(|name| !name.contains('/'))
}

/// The schema at a `#/...` pointer of the description.
fn schema_at<'s>(spec: &'s Value, origin: &str) -> Option<&'s Value> {
    spec.pointer(origin.strip_prefix('#')?)
}

/// The component an `allOf` extends: its only `$ref` member, when the other members and the
/// schema itself add nothing but properties.
fn extended_component(schema: &Value) -> Option<&str> {
    let members = schema.get("allOf")?.as_array()?;
    let mut references = members.iter().filter_map(|m| m.get("$ref")?.as_str());
    let reference = references.next()?;
    if references.next().is_some() {
        return None;
    }
    let others_are_objects = members
        .iter()
        .filter(|m| m.get("$ref").is_none())
        .all(|m| m.get("oneOf").is_none() && m.get("anyOf").is_none());
    let own_union = schema.get("oneOf").is_some() || schema.get("anyOf").is_some();
    (others_are_objects && !own_union).then(|| reference.strip_prefix(COMPONENTS))?
}

/// Rewrites each struct that extends one component struct (see the module docs) so that the
/// component's fields become one flattened field of the component's type.
pub fn embed_bases(types: &mut [TypeDef], spec: &Value) {
    let component_types: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .filter(|(_, def)| is_component(def))
        .map(|(i, def)| (&def.origin[COMPONENTS.len()..], i))
        .collect();
    let embeddings: Vec<(usize, usize)> = types
        .iter()
        .enumerate()
        .filter_map(|(i, def)| {
            let base = extended_component(schema_at(spec, &def.origin)?)?;
            let &base = component_types.get(base)?;
            embeddable(&types[i], &types[base]).then_some((i, base))
        })
        .collect();
    for (i, base) in embeddings {
        let (base_name, base_len) = match &types[base].kind {
            TypeKind::Struct(s) => (types[base].name.clone(), s.fields.len()),
            _ => continue,
        };
        if let TypeKind::Struct(s) = &mut types[i].kind {
            let own = s.fields.split_off(base_len);
            let name = base_field_name(&base_name, &own);
            s.fields = std::iter::once(base_field(name, &base_name))
                .chain(own)
                .collect();
            s.extra = ExtraProperties::Flattened;
        }
    }
}

/// A struct can embed a component struct when its leading fields are exactly the component's
/// (nothing redeclared or made required), it adds fields of its own, and both keep undeclared
/// properties as JSON (the component then keeps the struct's misfits, so nothing is lost).
fn embeddable(def: &TypeDef, base: &TypeDef) -> bool {
    let (TypeKind::Struct(own), TypeKind::Struct(component)) = (&def.kind, &base.kind) else {
        return false;
    };
    let plain = |s: &crate::ir::Struct| {
        s.extra == ExtraProperties::Keep && s.fields.iter().all(|f| !f.flatten)
    };
    def.name != base.name
        && plain(own)
        && plain(component)
        && !component.fields.is_empty()
        && own.fields.len() > component.fields.len()
        && own.fields[..component.fields.len()] == component.fields[..]
}

/// The embedded field is named after the component (`contact`), unless a field of the struct
/// has that name already.
fn base_field_name(base: &str, own: &[Field]) -> String {
    let wanted = field_name(base);
    if own.iter().any(|f| f.name == wanted) {
        "base".to_owned()
    } else {
        wanted
    }
}

fn base_field(name: String, base: &str) -> Field {
    Field {
        name,
        wire_name: String::new(),
        ty: TypeRef::Named(base.to_owned()),
        required: true,
        nullable: false,
        flatten: true,
        base: true,
        integer_on_wire: false,
        docs: Some(format!("The [`{base}`] this object extends.")),
        default: None,
        deprecated: false,
    }
}

/// Merges structurally identical inline types into one, until no two are left (merging two
/// types can make the types that use them identical).
pub fn merge_identical(types: &mut Vec<TypeDef>, operations: &mut [Operation]) {
    loop {
        let renames = identical_groups(types);
        if renames.is_empty() {
            return;
        }
        types.retain(|def| !renames.contains_key(&def.name) || renames[&def.name] == def.name);
        for def in types.iter_mut() {
            rename_in_type(def, &renames);
        }
        for operation in operations.iter_mut() {
            rename_in_operation(operation, &renames);
        }
    }
}

/// Old name → shared name, for each group of two or more identical inline types. The first of
/// each group (in the types' order) stays and takes the shared name.
fn identical_groups(types: &mut [TypeDef]) -> BTreeMap<String, String> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, def) in types.iter().enumerate() {
        if !is_component(def) && mergeable(&def.kind) {
            groups
                .entry(format!("{:?} {:?}", role(def), def.kind))
                .or_default()
                .push(i);
        }
    }
    let mut taken = NameScope::with_reserved(
        types
            .iter()
            .map(|t| t.name.as_str())
            .chain(RESERVED_TYPE_NAMES.iter().copied()),
    );
    let mut renames = BTreeMap::new();
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    groups.sort();
    for group in groups {
        let names: Vec<&str> = group.iter().map(|&i| types[i].name.as_str()).collect();
        let shared = shared_name(&names)
            .filter(|name| !taken.contains(name))
            .map(|name| taken.claim(&name))
            .unwrap_or_else(|| names[0].to_owned());
        for &i in &group {
            renames.insert(types[i].name.clone(), shared.clone());
        }
        types[group[0]].name = shared;
    }
    renames
}

/// What an inline type is for, from where the description declares it. Types merge only
/// within one role: a request body and a response of the same shape today differ in what is
/// required, what is read-only and how they drift, so one type for both would tie them.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    /// Declared in (or below) an operation's request body.
    Request,
    /// Declared in (or below) an operation's parameters.
    Parameter,
    /// Declared in (or below) an operation's responses.
    Response,
    /// Declared inside a component schema, which any role may use.
    Component,
}

fn role(def: &TypeDef) -> Role {
    let Some(in_operation) = def.origin.strip_prefix("#/paths/") else {
        return Role::Component;
    };
    // `#/paths/{path}/{method}/{part}/...` or `#/paths/{path}/parameters/...`: the path is
    // one escaped pointer token, so `part` is one of the next two.
    let parts: Vec<&str> = in_operation.split('/').skip(1).take(2).collect();
    if parts.contains(&"requestBody") {
        Role::Request
    } else if parts.contains(&"parameters") {
        Role::Parameter
    } else {
        Role::Response
    }
}

/// Structs and unions are resources worth sharing; enums and aliases are small and compare
/// equal by accident (two `type` enums of one value each).
fn mergeable(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::Struct(_) | TypeKind::Union(_))
}

/// The words all names share, in order (their longest common subsequence of words), when it is
/// more than one word: `ShowContactResponse`, `CreateContactResponse` → `ContactResponse`.
fn shared_name(names: &[&str]) -> Option<String> {
    let mut common = words(names.first()?);
    for name in &names[1..] {
        common = common_words(&common, &words(name));
    }
    (common.len() > 1).then(|| common.concat())
}

/// The longest common subsequence of two word lists (ties: the earliest words of `a`).
fn common_words(a: &[String], b: &[String]) -> Vec<String> {
    let mut lengths = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lengths[i][j] = if a[i] == b[j] {
                lengths[i + 1][j + 1] + 1
            } else {
                lengths[i + 1][j].max(lengths[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut common) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            common.push(a[i].clone());
            i += 1;
            j += 1;
        } else if lengths[i + 1][j] >= lengths[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    common
}

fn rename(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    if let Some(name) = ty.named_mut() {
        if let Some(new) = renames.get(name.as_str()) {
            *name = new.clone();
        }
    }
}

fn rename_in_type(def: &mut TypeDef, renames: &BTreeMap<String, String>) {
    match &mut def.kind {
        TypeKind::Struct(s) => {
            for field in &mut s.fields {
                rename(&mut field.ty, renames);
            }
            if let ExtraProperties::Typed(ty) = &mut s.extra {
                rename(ty, renames);
            }
        }
        TypeKind::Union(u) => u
            .variants
            .iter_mut()
            .for_each(|v| rename(&mut v.ty, renames)),
        TypeKind::Alias(target) | TypeKind::Newtype(target) => rename(target, renames),
        TypeKind::Form(form) => {
            for part in &mut form.parts {
                if let crate::ir::PartKind::Text(ty) | crate::ir::PartKind::Json(ty) =
                    &mut part.kind
                {
                    rename(ty, renames);
                }
            }
        }
        TypeKind::Enum(_) => {}
    }
}

fn rename_in_operation(operation: &mut Operation, renames: &BTreeMap<String, String>) {
    for param in &mut operation.params {
        rename(&mut param.ty, renames);
    }
    if let Some(body) = &mut operation.body {
        rename(&mut body.ty, renames);
    }
    if let SuccessResponse::Json(ty) = &mut operation.response {
        rename(ty, renames);
    }
    if let Some(pagination) = &mut operation.pagination {
        rename(&mut pagination.item_type, renames);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_words_name_the_shared_type() {
        assert_eq!(
            shared_name(&[
                "ShowContactResponse",
                "CreateContactResponse",
                "ShowContactByExternalIdResponse"
            ]),
            Some("ContactResponse".to_owned())
        );
        assert_eq!(shared_name(&["CreateTicketRequest", "Other"]), None);
        assert_eq!(shared_name(&["AResponse", "BResponse"]), None);
    }

    #[test]
    fn role_comes_from_where_the_type_is_declared() {
        let at = |origin: &str| TypeDef {
            name: "T".to_owned(),
            origin: origin.to_owned(),
            docs: None,
            kind: TypeKind::Alias(TypeRef::Json),
            resources: Vec::new(),
        };
        let body = "#/paths/~1things~1{id}/patch/requestBody/content/application~1json/schema";
        assert_eq!(role(&at(body)), Role::Request);
        let answer = "#/paths/~1things~1{id}/patch/responses/200/content/application~1json/schema";
        assert_eq!(role(&at(answer)), Role::Response);
        assert_eq!(
            role(&at("#/paths/~1a/parameters/0/schema")),
            Role::Parameter
        );
        assert_eq!(
            role(&at("#/paths/~1a/get/parameters/0/schema")),
            Role::Parameter
        );
        assert_eq!(
            role(&at("#/components/schemas/a/properties/b")),
            Role::Component
        );
    }

    #[test]
    fn words_split_at_capitals() {
        assert_eq!(words("ShowContactById"), ["Show", "Contact", "By", "Id"]);
        assert_eq!(words("V2Item"), ["V2", "Item"]);
    }

    #[test]
    fn extends_one_component() {
        let schema = serde_json::json!({
            "allOf": [{"$ref": "#/components/schemas/contact"}],
            "properties": {"enabled_push_messaging": {"type": "boolean"}}
        });
        assert_eq!(extended_component(&schema), Some("contact"));
        let two = serde_json::json!({
            "allOf": [{"$ref": "#/components/schemas/a"}, {"$ref": "#/components/schemas/b"}]
        });
        assert_eq!(extended_component(&two), None);
        let union = serde_json::json!({
            "allOf": [{"$ref": "#/components/schemas/a"}],
            "oneOf": [{"type": "object"}]
        });
        assert_eq!(extended_component(&union), None);
    }
}
