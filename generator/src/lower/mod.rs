//! Lowering: an `openapiv3` description becomes the IR.
//!
//! This is the only phase that reads the spec. It either lowers everything or reports every
//! unsupported construct with its JSON pointer; it never skips anything silently.

mod examples;
mod ids;
mod operation;
mod pagination;
mod resources;
mod response_ids;
mod schema;
mod shared;
mod timestamps;
mod type_index;
mod unions;
mod view;

use crate::ir::{Api, Server, TypeDef, TypeKind, TypeRef, Union};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use crate::diagnostic::Diagnostic;

/// Lowers a whole description. Errors list every construct that cannot be lowered, in spec
/// order; `warnings` (from loading) and lowering's own warnings end up in [`Api::warnings`].
pub fn lower(spec: &OpenAPI, mut warnings: Vec<Diagnostic>) -> Result<Api, Vec<Diagnostic>> {
    let empty = indexmap::IndexMap::new();
    let components = spec.components.as_ref().map_or(&empty, |c| &c.schemas);
    let mut diagnostics = Vec::new();
    let mut schemas = schema::SchemaLowerer::new(components);
    schemas.lower_components(&mut diagnostics);
    let mut operations =
        operation::OperationLowerer::new(spec, &mut schemas).lower_all(&mut diagnostics);
    if !diagnostics.is_empty() {
        // A component reached from several places reports the same problem each time.
        let mut seen = std::collections::HashSet::new();
        diagnostics.retain(|d| seen.insert(d.clone()));
        return Err(diagnostics);
    }
    let (mut types, schema_warnings) = schemas.into_types();
    warnings.extend(schema_warnings);
    ids::ids_as_text(&mut types, &mut operations);
    timestamps::points_in_time(&mut types);
    order_by_method_name(&mut operations, &mut types);
    // Converted once: base embedding looks types' origins up in it, examples follow `$ref`s.
    let spec_json = spec_json(spec);
    shared::embed_bases(&mut types, &spec_json);
    shared::merge_identical(&mut types, &mut operations);
    response_ids::require_shown_ids(&mut types, &operations, &spec_json);
    break_alias_cycles(&mut types, &mut warnings);
    box_recursive_fields(&mut types);
    unions::drop_nested_fallbacks(&mut types);
    unions::find_discriminators(&mut types);
    unions::describe_shapes(&mut types);
    mark_defaultable(&mut types);
    let index = type_index::TypeIndex::new(&types);
    for operation in &mut operations {
        require_bodies_with_required_fields(operation, &index);
        pagination::detect(operation, &index);
    }
    mark_search_queries(&operations, &mut types);
    let webhook_items = resources::webhook_items(&types);
    resources::assign(&mut types, &operations, &webhook_items);
    let component_schemas = examples::component_schemas(&spec_json);
    let request_examples = examples::request_examples(
        spec,
        &operations,
        &type_index::TypeIndex::new(&types),
        component_schemas,
    );
    Ok(Api {
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        servers: spec
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        types,
        response_examples: examples::response_examples(spec, &operations, component_schemas),
        request_examples,
        operations,
        warnings,
        webhook_items,
    })
}

/// The description as JSON, where the types' origins (JSON pointers) can be looked up.
fn spec_json(spec: &OpenAPI) -> serde_json::Value {
    // Serializing plain data to a `Value` cannot fail.
    serde_json::to_value(spec).unwrap_or_default()
}

/// `type A = B; type B = A;` and `type T = Vec<T>;` do not compile: an alias cannot refer to
/// itself. An alias cycle through a container (a JSON tree of arrays or maps) becomes a newtype,
/// which may; a cycle of bare aliases describes no value at all and becomes any JSON, with a
/// warning.
fn break_alias_cycles(types: &mut [TypeDef], warnings: &mut Vec<Diagnostic>) {
    let index = positions_by_name(types);
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Alias(target) => target
                .named()
                .into_iter()
                .filter_map(|name| index.get(name).copied())
                .filter(|&i| matches!(types[i].kind, TypeKind::Alias(_)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(&edges);
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (node, &c) in component.iter().enumerate() {
        members.entry(c).or_default().push(node);
    }
    for nodes in members.values() {
        let cyclic = nodes.len() > 1 || edges[nodes[0]].contains(&nodes[0]);
        if !cyclic {
            continue;
        }
        let through_container = nodes.iter().any(|&n| match &types[n].kind {
            TypeKind::Alias(target) => !matches!(
                target,
                TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::Nullable(_)
            ),
            _ => false,
        });
        if through_container {
            // One newtype per cycle is enough to give the cycle a name of its own.
            let first = nodes[0];
            if let TypeKind::Alias(target) = &types[first].kind {
                types[first].kind = TypeKind::Newtype(target.clone());
            }
        } else {
            for &n in nodes {
                warnings.push(Diagnostic::new(
                    types[n].origin.clone(),
                    "the schema is only a reference to itself (through other references); it is treated as any JSON",
                ));
                types[n].kind = TypeKind::Alias(TypeRef::Json);
            }
        }
    }
}

/// Each type's position in `types`, by name.
fn positions_by_name(types: &[TypeDef]) -> HashMap<String, usize> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect()
}

/// Operations in the order of their method names, and the inline types they introduce in that
/// order too, so that a changed path (a renamed path parameter) moves nothing in the output.
fn order_by_method_name(operations: &mut [crate::ir::Operation], types: &mut [TypeDef]) {
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let owner = |def: &TypeDef| {
        operations.iter().position(|op| {
            def.origin
                .strip_prefix(op.origin.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        })
    };
    // Types introduced by operations come last, after every component's types.
    let first = types
        .iter()
        .position(|t| t.origin.starts_with("#/paths/"))
        .unwrap_or(types.len());
    types[first..].sort_by_cached_key(|def| owner(def).unwrap_or(usize::MAX));
}

/// Types that contain themselves (directly or through other structs/unions, not through a
/// `Vec` or map) would have infinite size: those edges get a `Box`.
fn box_recursive_fields(types: &mut [TypeDef]) {
    let index = positions_by_name(types);
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            direct_refs(&t.kind)
                .iter()
                .filter_map(|name| index.get(*name).copied())
                .collect()
        })
        .collect();
    let component = strongly_connected(&edges);
    let same_cycle = |from: usize, to: &TypeRef| match to {
        TypeRef::Named(name) => index.get(name).is_some_and(|&target| {
            component[target] == component[from] && (target != from || edges[from].contains(&from))
        }),
        _ => false,
    };
    for (i, def) in types.iter_mut().enumerate() {
        let boxed = |ty: &mut TypeRef| {
            if same_cycle(i, ty) {
                *ty = TypeRef::Boxed(Box::new(ty.clone()));
            }
        };
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| boxed(&mut f.ty)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| boxed(&mut v.ty)),
            TypeKind::Alias(target) | TypeKind::Newtype(target) => boxed(target),
            TypeKind::Enum(_) | TypeKind::Form(_) => {}
        }
    }
}

fn direct_refs(kind: &TypeKind) -> Vec<&str> {
    fn named(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name.as_str()),
            _ => None,
        }
    }
    match kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| named(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| named(&v.ty)).collect(),
        TypeKind::Alias(target) | TypeKind::Newtype(target) => named(target).into_iter().collect(),
        TypeKind::Enum(_) | TypeKind::Form(_) => Vec::new(),
    }
}

/// Tarjan's algorithm (iterative): the strongly connected component id of each node.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut component, mut stack, mut next_index, mut next_component) =
        (vec![usize::MAX; n], Vec::new(), 0, 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, child)) = work.pop() {
            if child == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&next) = edges[node].get(child) {
                work.push((node, child + 1));
                if index[next] == usize::MAX {
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

/// Every type gets a `Default`, so that a required property the server leaves out does not
/// fail the response: it is filled with its type's default (see the runtime's `object` module).
///
/// Defaults must be finite, so which types have one is a least fixed point: a struct when each
/// required field's type has one, an enum always (its `Unknown` fallback), an alias when its
/// target has one, a union when its fallback exists or a variant outside its recursion cycle (a
/// variant that is not boxed) has one. A required field whose type still has none (only in
/// recursive shapes that no finite JSON satisfies) is made optional, and the point recomputed.
fn mark_defaultable(types: &mut [TypeDef]) {
    let known = loop {
        let known = finite_defaults(types);
        let mut relaxed = false;
        for def in types.iter_mut() {
            if let TypeKind::Struct(s) = &mut def.kind {
                for field in &mut s.fields {
                    if !field.is_optional() && !has_default(&field.ty, &known) {
                        field.required = false;
                        relaxed = true;
                    }
                }
            }
        }
        if !relaxed {
            break known;
        }
    };
    for def in types.iter_mut() {
        match &mut def.kind {
            TypeKind::Struct(s) => s.defaultable = known.contains(&def.name),
            TypeKind::Union(u) => u.default_variant = default_variant(u, &known),
            TypeKind::Enum(_) | TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Form(_) => {}
        }
    }
}

/// The names of the types that have a finite default.
fn finite_defaults(types: &[TypeDef]) -> BTreeSet<String> {
    let mut known = BTreeSet::new();
    loop {
        let mut changed = false;
        for def in types {
            if known.contains(&def.name) {
                continue;
            }
            let finite = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.is_optional() || has_default(&f.ty, &known)),
                TypeKind::Enum(_) => true,
                TypeKind::Union(u) => default_variant(u, &known).is_some(),
                TypeKind::Alias(target) => has_default(target, &known),
                // Emitted with `Default` only around a collection (see emit's `newtype_def`).
                TypeKind::Newtype(target) => {
                    matches!(
                        target,
                        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object
                    )
                }
                // Files have no default.
                TypeKind::Form(_) => false,
            };
            if finite {
                known.insert(def.name.clone());
                changed = true;
            }
        }
        if !changed {
            return known;
        }
    }
}

/// The fallback variant (any JSON, default `null`), else the first variant outside the union's
/// recursion cycle with a default: boxing marks every reference within a cycle, so a variant
/// that is not boxed cannot lead back to the union.
fn default_variant(union: &Union, known: &BTreeSet<String>) -> Option<usize> {
    union
        .variants
        .iter()
        .position(|v| v.ty == TypeRef::Json)
        .or_else(|| {
            union
                .variants
                .iter()
                .position(|v| !matches!(v.ty, TypeRef::Boxed(_)) && has_default(&v.ty, known))
        })
}

fn has_default(ty: &TypeRef, known: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => known.contains(name),
        TypeRef::Boxed(inner) => has_default(inner, known),
        TypeRef::Binary => false,
        _ => true,
    }
}

/// A search endpoint (paginated by a cursor in its body) takes a body with a required `query`
/// that is a union with a fallback (one filter, or an `AND`/`OR` of queries): that body type is
/// built from a `runtime::search::Query` (see `Struct::search_query`).
fn mark_search_queries(operations: &[crate::ir::Operation], types: &mut [TypeDef]) {
    let found: Vec<(String, String)> = {
        let index = type_index::TypeIndex::new(types);
        operations
            .iter()
            .filter(|op| {
                matches!(
                    op.pagination.as_ref().map(|p| &p.style),
                    Some(crate::ir::PaginationStyle::BodyCursor { .. })
                )
            })
            .filter_map(|op| {
                let body = op.body.as_ref()?;
                let TypeRef::Named(name) = &body.ty else {
                    return None;
                };
                let query = index.structure(&body.ty)?.fields.iter().find(|f| {
                    f.wire_name == "query"
                        && index
                            .union(&f.ty)
                            .is_some_and(|u| u.variants.iter().any(|v| v.ty == TypeRef::Json))
                })?;
                Some((name.clone(), query.name.clone()))
            })
            .collect()
    };
    for (name, field) in found {
        if let Some(TypeKind::Struct(s)) = types
            .iter_mut()
            .find(|t| t.name == name)
            .map(|t| &mut t.kind)
        {
            s.search_query = Some(field);
        }
    }
}

/// When the body is a method argument rather than an optional setter. A body that nothing but a
/// deliberate value can satisfy cannot be left out, whatever `requestBody.required` says
/// (Intercom never sets it): a struct with required properties or with groups of which one must
/// be set, or a union (the caller has to choose one of its shapes; no body would fit none). And
/// the body of a write (`POST`, `PUT`, `PATCH`) is the operation's input: it is an argument too,
/// so a call can never send an empty body by omission (`Default::default()` says so explicitly).
fn require_bodies_with_required_fields(
    operation: &mut crate::ir::Operation,
    types: &type_index::TypeIndex<'_>,
) {
    let write = matches!(
        operation.method,
        crate::ir::HttpMethod::Post | crate::ir::HttpMethod::Put | crate::ir::HttpMethod::Patch
    );
    if let Some(body) = operation.body.as_mut() {
        let has_required_field = types.structure(&body.ty).is_some_and(|s| {
            s.fields.iter().any(|f| !f.is_optional()) || !s.at_least_one_of.is_empty()
        });
        let is_union = types.union(&body.ty).is_some();
        if !body.required && (write || has_required_field || is_union) {
            body.required = true;
        }
    }
}
