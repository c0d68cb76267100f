//! Resources: which cargo features compile each operation and each type.
//!
//! An operation belongs to the resources of its tags (`Contacts` → feature `contacts`); one
//! without tags to `untagged`. A type is compiled with every resource whose operations reach it,
//! through parameters, bodies and responses, transitively through fields, variants and
//! aliases; the webhook items are a resource of their own ([`WEBHOOKS_FEATURE`]). The types that
//! nothing reaches (components no operation uses, e.g. schemas of events the API sends
//! elsewhere) are the resource [`OTHER_SCHEMAS_FEATURE`], with everything they reach. So every
//! type is compiled by some feature of `all-resources`, and a type is never left out while a
//! type that refers to it is compiled.

use crate::ir::{
    Operation, PartKind, SuccessResponse, TypeDef, TypeKind, TypeRef, WebhookItem,
    OTHER_SCHEMAS_FEATURE, WEBHOOKS_FEATURE,
};
use crate::names::feature_name;
use std::collections::{BTreeSet, HashMap};

/// The feature of operations without a tag.
pub const UNTAGGED_FEATURE: &str = "untagged";

/// The item kinds of `runtime::webhooks::ItemTypes`, by the item's `type` value, which is also
/// the name of the component schema that describes it.
const WEBHOOK_ITEMS: &[(&str, &str)] = &[
    ("Contact", "contact"),
    ("Conversation", "conversation"),
    ("Ticket", "ticket"),
    ("Company", "company"),
    ("Admin", "admin"),
];

/// An operation's features, from its tags, sorted and without duplicates.
pub fn operation_resources(tags: &[String]) -> Vec<String> {
    let features: BTreeSet<String> = tags.iter().map(|tag| feature_name(tag)).collect();
    if features.is_empty() {
        vec![UNTAGGED_FEATURE.to_owned()]
    } else {
        features.into_iter().collect()
    }
}

/// The webhook item kinds and the component type of each (by its schema's pointer).
pub fn webhook_items(types: &[TypeDef]) -> Vec<WebhookItem> {
    WEBHOOK_ITEMS
        .iter()
        .map(|(kind, schema)| {
            let origin = format!("#/components/schemas/{schema}");
            WebhookItem {
                kind: (*kind).to_owned(),
                type_name: types
                    .iter()
                    .find(|def| def.origin == origin)
                    .map(|def| def.name.clone()),
            }
        })
        .collect()
}

/// Fills [`TypeDef::resources`] from what the operations and the webhook items reach.
pub fn assign(types: &mut [TypeDef], operations: &[Operation], webhook_items: &[WebhookItem]) {
    let index: HashMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, def)| (def.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut targets: Vec<usize> = kind_refs(&def.kind)
                .into_iter()
                .filter_map(TypeRef::named)
                .filter_map(|name| index.get(name).copied())
                .collect();
            targets.sort_unstable();
            targets.dedup();
            targets
        })
        .collect();
    let roots = |refs: Vec<&TypeRef>| -> Vec<usize> {
        refs.into_iter()
            .filter_map(TypeRef::named)
            .filter_map(|name| index.get(name).copied())
            .collect()
    };
    let mut features: Vec<BTreeSet<String>> = vec![BTreeSet::new(); types.len()];
    for operation in operations {
        for node in reach(&edges, roots(operation_refs(operation))) {
            features[node].extend(operation.resources.iter().cloned());
        }
    }
    let webhook_nodes: Vec<usize> = webhook_items
        .iter()
        .filter_map(|item| item.type_name.as_deref())
        .filter_map(|name| index.get(name).copied())
        .collect();
    for node in reach(&edges, webhook_nodes) {
        features[node].insert(WEBHOOKS_FEATURE.to_owned());
    }
    // What nothing reaches is a resource of its own, and so reaches what it needs.
    let orphans: Vec<usize> = (0..types.len())
        .filter(|&i| features[i].is_empty())
        .collect();
    for node in reach(&edges, orphans) {
        features[node].insert(OTHER_SCHEMAS_FEATURE.to_owned());
    }
    for (def, features) in types.iter_mut().zip(features) {
        def.resources = features.into_iter().collect();
    }
}

/// Every node reachable from `roots` (roots included).
fn reach(edges: &[Vec<usize>], roots: Vec<usize>) -> BTreeSet<usize> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(node) = stack.pop() {
        if seen.insert(node) {
            stack.extend(edges[node].iter().copied().filter(|n| !seen.contains(n)));
        }
    }
    seen
}

/// The type references a type's definition holds.
pub(super) fn kind_refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => {
            let mut refs: Vec<&TypeRef> = s.fields.iter().map(|f| &f.ty).collect();
            if let crate::ir::ExtraProperties::Typed(ty) = &s.extra {
                refs.push(ty);
            }
            refs
        }
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(target) | TypeKind::Newtype(target) => vec![target],
        TypeKind::Form(form) => form
            .parts
            .iter()
            .filter_map(|part| match &part.kind {
                PartKind::Text(ty) | PartKind::Json(ty) => Some(ty),
                PartKind::File | PartKind::Files => None,
            })
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The type references an operation's method and builder use.
fn operation_refs(operation: &Operation) -> Vec<&TypeRef> {
    let mut refs: Vec<&TypeRef> = operation.params.iter().map(|p| &p.ty).collect();
    refs.extend(operation.body.as_ref().map(|body| &body.ty));
    if let SuccessResponse::Json(ty) = &operation.response {
        refs.push(ty);
    }
    refs.extend(operation.pagination.as_ref().map(|p| &p.item_type));
    refs
}
