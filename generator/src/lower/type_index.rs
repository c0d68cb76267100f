//! Looking types up by name once lowering is done, through aliases and boxes.

use crate::ir::{Enum, Struct, TypeDef, TypeKind, TypeRef, Union};
use std::collections::HashMap;

pub struct TypeIndex<'t> {
    by_name: HashMap<&'t str, &'t TypeDef>,
}

/// Where a type reference ends once aliases and boxes are followed.
enum End<'a, 't> {
    /// A named struct, enum or union.
    Definition(&'t TypeKind),
    /// A reference that names nothing: a primitive, an array, a map.
    Unnamed(&'a TypeRef),
}

impl<'t> TypeIndex<'t> {
    pub fn new(types: &'t [TypeDef]) -> Self {
        Self {
            by_name: types.iter().map(|t| (t.name.as_str(), t)).collect(),
        }
    }

    /// Follows aliases and boxes; `None` for an unknown name or an alias cycle.
    fn end<'a>(&self, ty: &'a TypeRef) -> Option<End<'a, 't>>
    where
        't: 'a,
    {
        let mut current = ty;
        for _ in 0..32 {
            match current {
                TypeRef::Boxed(inner) => current = inner,
                TypeRef::Named(name) => match &self.by_name.get(name.as_str())?.kind {
                    TypeKind::Alias(target) => current = target,
                    kind => return Some(End::Definition(kind)),
                },
                other => return Some(End::Unnamed(other)),
            }
        }
        None
    }

    /// The struct a type reference ends at.
    pub fn structure(&self, ty: &TypeRef) -> Option<&'t Struct> {
        match self.end(ty)? {
            End::Definition(TypeKind::Struct(found)) => Some(found),
            _ => None,
        }
    }

    /// The untagged union a type reference ends at.
    pub fn union(&self, ty: &TypeRef) -> Option<&'t Union> {
        match self.end(ty)? {
            End::Definition(TypeKind::Union(found)) => Some(found),
            _ => None,
        }
    }

    /// The item type of the array a type reference ends at.
    pub fn array_item(&self, ty: &TypeRef) -> Option<TypeRef> {
        match self.end(ty)? {
            End::Unnamed(TypeRef::Array(item)) => Some((**item).clone()),
            _ => None,
        }
    }

    /// The enum a type reference ends at.
    pub fn enumeration(&self, ty: &TypeRef) -> Option<&'t Enum> {
        match self.end(ty)? {
            End::Definition(TypeKind::Enum(found)) => Some(found),
            _ => None,
        }
    }

    pub fn is_defaultable(&self, ty: &TypeRef) -> bool {
        self.structure(ty).is_some_and(|s| s.defaultable)
    }
}
