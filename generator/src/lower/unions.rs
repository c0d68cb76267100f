//! Post-passes over untagged unions, once every type is known.

use super::type_index::TypeIndex;
use crate::ir::{
    Discriminator, EnumValue, ExtraProperties, Struct, TypeDef, TypeKind, TypeRef, VariantShape,
};
use std::collections::BTreeSet;

/// The name of the fallback variant that lowering gives every union.
const FALLBACK: &str = "Other";

/// A union used as a variant of another union keeps no fallback: the outer union tries its
/// variants in order, and an inner fallback would accept anything, so the outer union's later
/// variants could never be chosen. The outer union's own fallback still keeps unknown JSON.
pub fn drop_nested_fallbacks(types: &mut [TypeDef]) {
    let nested: BTreeSet<String> = types
        .iter()
        .filter_map(|def| match &def.kind {
            TypeKind::Union(union) => Some(union),
            _ => None,
        })
        .flat_map(|union| union.variants.iter().filter_map(|v| named(&v.ty)))
        .filter(|name| {
            types
                .iter()
                .any(|def| &def.name == name && matches!(def.kind, TypeKind::Union(_)))
        })
        .collect();
    for def in types.iter_mut().filter(|def| nested.contains(&def.name)) {
        if let TypeKind::Union(union) = &mut def.kind {
            union.variants.retain(|v| v.name != FALLBACK);
        }
    }
}

/// Describes each variant's JSON (see [`VariantShape`]), so the generated code ranks the
/// variants a value decodes into by how well it fits them.
pub fn describe_shapes(types: &mut [TypeDef]) {
    let shapes: Vec<(usize, Vec<VariantShape>)> = {
        let index = TypeIndex::new(types);
        types
            .iter()
            .enumerate()
            .filter_map(|(position, def)| match &def.kind {
                TypeKind::Union(union) => Some((
                    position,
                    union
                        .variants
                        .iter()
                        .map(|v| shape(&v.ty, &index, 0))
                        .collect(),
                )),
                _ => None,
            })
            .collect()
    };
    for (position, found) in shapes {
        if let TypeKind::Union(union) = &mut types[position].kind {
            for (variant, shape) in union.variants.iter_mut().zip(found) {
                variant.shape = shape;
            }
        }
    }
}

fn shape(ty: &TypeRef, index: &TypeIndex<'_>, depth: usize) -> VariantShape {
    let kind = index.json_kind(ty);
    let Some(structure) = index.structure(ty) else {
        let items = index
            .array_item(ty)
            .filter(|_| depth < 4)
            .map(|item| Box::new(shape(&item, index, depth + 1)));
        return VariantShape {
            kind,
            items,
            ..VariantShape::default()
        };
    };
    // An embedded component's properties are the struct's own on the wire.
    let bases: Vec<&Struct> = structure
        .fields
        .iter()
        .filter(|f| f.base)
        .filter_map(|f| index.structure(&f.ty))
        .collect();
    let declared = structure
        .fields
        .iter()
        .chain(bases.iter().flat_map(|b| b.fields.iter()))
        .filter(|f| !f.flatten);
    VariantShape {
        kind,
        declared: declared.clone().map(|f| f.wire_name.clone()).collect(),
        required: declared
            .clone()
            .filter(|f| f.required)
            .map(|f| f.wire_name.clone())
            .collect(),
        enums: declared
            .filter_map(|f| {
                let values: Vec<String> = index
                    .enumeration(&f.ty)?
                    .variants
                    .iter()
                    .map(|v| match &v.value {
                        EnumValue::String(value) => Some(value.clone()),
                        EnumValue::Integer(_) => None,
                    })
                    .collect::<Option<_>>()?;
                Some((f.wire_name.clone(), values))
            })
            .collect(),
        open: structure.fields.iter().any(|f| f.flatten && !f.base)
            || bases.iter().any(|b| b.fields.iter().any(|f| f.flatten))
            || matches!(structure.extra, ExtraProperties::Typed(_)),
        items: None,
    }
}

/// Finds implicit discriminators (see [`Discriminator`]).
pub fn find_discriminators(types: &mut [TypeDef]) {
    let found: Vec<(usize, Discriminator)> = {
        let index = TypeIndex::new(types);
        types
            .iter()
            .enumerate()
            .filter_map(|(position, def)| match &def.kind {
                // A discriminator the description declares is kept as declared.
                TypeKind::Union(union) if union.discriminator.is_none() => {
                    discriminator(union, &index).map(|d| (position, d))
                }
                _ => None,
            })
            .collect()
    };
    for (position, found) in found {
        if let TypeKind::Union(union) = &mut types[position].kind {
            union.discriminator = Some(found);
        }
    }
}

fn discriminator(union: &crate::ir::Union, index: &TypeIndex<'_>) -> Option<Discriminator> {
    let declared: Vec<(usize, &TypeRef)> = union
        .variants
        .iter()
        .enumerate()
        .filter(|(_, v)| v.name != FALLBACK)
        .map(|(i, v)| (i, &v.ty))
        .collect();
    if declared.len() < 2 {
        return None;
    }
    let first = index.structure(declared[0].1)?;
    first
        .fields
        .iter()
        .filter(|f| !f.is_optional())
        .find_map(|candidate| {
            let values: Vec<(usize, String)> = declared
                .iter()
                .map(|(position, ty)| {
                    let variant = index.structure(ty)?;
                    let field = variant
                        .fields
                        .iter()
                        .find(|f| f.wire_name == candidate.wire_name && !f.is_optional())?;
                    Some((*position, single_value(&field.ty, index)?))
                })
                .collect::<Option<_>>()?;
            let distinct: BTreeSet<&str> = values.iter().map(|(_, v)| v.as_str()).collect();
            (distinct.len() == values.len()).then(|| Discriminator {
                wire_name: candidate.wire_name.clone(),
                values,
            })
        })
}

/// The only value a string enum allows.
fn single_value(ty: &TypeRef, index: &TypeIndex<'_>) -> Option<String> {
    match index.enumeration(ty)?.variants.as_slice() {
        [only] => match &only.value {
            EnumValue::String(value) => Some(value.clone()),
            EnumValue::Integer(_) => None,
        },
        _ => None,
    }
}

fn named(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Named(name) => Some(name.clone()),
        TypeRef::Boxed(inner) => named(inner),
        _ => None,
    }
}
