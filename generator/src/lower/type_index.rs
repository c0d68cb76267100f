//! Looking types up by name once lowering is done, through aliases and boxes.

use crate::ir::{Struct, TypeDef, TypeKind, TypeRef};
use std::collections::HashMap;

pub struct TypeIndex<'t> {
    by_name: HashMap<&'t str, &'t TypeDef>,
}

impl<'t> TypeIndex<'t> {
    pub fn new(types: &'t [TypeDef]) -> Self {
        Self {
            by_name: types.iter().map(|t| (t.name.as_str(), t)).collect(),
        }
    }

    /// The struct a type reference ends at, through aliases and boxes.
    pub fn structure(&self, ty: &TypeRef) -> Option<&'t Struct> {
        let mut current = ty;
        for _ in 0..32 {
            match current {
                TypeRef::Boxed(inner) => current = inner,
                TypeRef::Named(name) => match &self.by_name.get(name.as_str())?.kind {
                    TypeKind::Alias(target) => current = target,
                    TypeKind::Struct(found) => return Some(found),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    pub fn array_item(&self, ty: &TypeRef) -> Option<TypeRef> {
        let mut current = ty;
        for _ in 0..32 {
            match current {
                TypeRef::Array(item) => return Some((**item).clone()),
                TypeRef::Named(name) => match &self.by_name.get(name.as_str())?.kind {
                    TypeKind::Alias(target) => current = target,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// The enum a type reference ends at, through aliases.
    pub fn enumeration(&self, ty: &TypeRef) -> Option<&'t crate::ir::Enum> {
        let mut current = ty;
        for _ in 0..32 {
            match current {
                TypeRef::Named(name) => match &self.by_name.get(name.as_str())?.kind {
                    TypeKind::Alias(target) => current = target,
                    TypeKind::Enum(found) => return Some(found),
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    pub fn is_defaultable(&self, ty: &TypeRef) -> bool {
        self.structure(ty).is_some_and(|s| s.defaultable)
    }
}
