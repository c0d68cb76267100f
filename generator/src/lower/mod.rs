//! Lowering: an `openapiv3` description becomes the IR.
//!
//! This is the only phase that reads the spec. It either lowers everything or reports every
//! unsupported construct with its JSON pointer; it never skips anything silently.

mod examples;
mod operation;
mod pagination;
mod schema;
mod type_index;
mod unions;
mod view;

use crate::ir::{Api, Server, TypeDef, TypeKind, TypeRef};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Something in the spec the generator cannot lower, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// JSON pointer into the description, e.g. `#/components/schemas/contact/properties/id`.
    pub pointer: String,
    pub message: String,
}

impl Diagnostic {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Lowers a whole description. Errors list every unsupported construct, in spec order.
pub fn lower(spec: &OpenAPI) -> Result<Api, Vec<Diagnostic>> {
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
    let mut types = schemas.into_types();
    box_recursive_fields(&mut types);
    unions::drop_nested_fallbacks(&mut types);
    unions::find_discriminators(&mut types);
    mark_defaultable(&mut types);
    let index = type_index::TypeIndex::new(&types);
    for operation in &mut operations {
        require_bodies_with_required_fields(operation, &index);
        pagination::detect(operation, &index);
    }
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
        response_examples: examples::response_examples(spec, &operations),
        operations,
    })
}

/// Types that contain themselves (directly or through other structs/unions, not through a
/// `Vec` or map) would have infinite size: those edges get a `Box`.
fn box_recursive_fields(types: &mut [TypeDef]) {
    let index: HashMap<String, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
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
            TypeKind::Alias(target) => boxed(target),
            TypeKind::Enum(_) => {}
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
        TypeKind::Alias(target) => named(target).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
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

/// A struct can derive `Default` when each required field's type has a default; computed to a
/// fixed point because structs contain structs.
fn mark_defaultable(types: &mut [TypeDef]) {
    let mut defaultable: BTreeMap<String, bool> = BTreeMap::new();
    loop {
        let mut changed = false;
        for def in types.iter() {
            let value = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.is_optional() || has_default(&f.ty, &defaultable)),
                TypeKind::Alias(target) => has_default(target, &defaultable),
                TypeKind::Enum(_) | TypeKind::Union(_) => false,
            };
            if defaultable.get(&def.name) != Some(&value) {
                defaultable.insert(def.name.clone(), value);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for def in types.iter_mut() {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.defaultable = defaultable.get(&def.name).copied().unwrap_or(false);
        }
    }
}

fn has_default(ty: &TypeRef, known: &BTreeMap<String, bool>) -> bool {
    match ty {
        TypeRef::Named(name) => known.get(name).copied().unwrap_or(false),
        TypeRef::Boxed(inner) => has_default(inner, known),
        _ => true,
    }
}

/// A body whose schema has required properties cannot be left out, whatever `requestBody.required`
/// says (the search endpoints leave it false): such a body is a required argument of the method.
fn require_bodies_with_required_fields(
    operation: &mut crate::ir::Operation,
    types: &type_index::TypeIndex<'_>,
) {
    if let Some(body) = operation.body.as_mut() {
        if !body.required
            && types
                .structure(&body.ty)
                .is_some_and(|s| s.fields.iter().any(|f| !f.is_optional()))
        {
            body.required = true;
        }
    }
}
