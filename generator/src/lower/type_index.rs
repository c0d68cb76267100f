//! Looking types up by name once lowering is done, through aliases and boxes.

use crate::ir::{Enum, EnumRepr, JsonKind, Struct, TypeDef, TypeKind, TypeRef, Union};
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

    /// The kind of JSON a value of this type is, without leniency (`Any` when it may be several).
    pub fn json_kind(&self, ty: &TypeRef) -> JsonKind {
        self.json_kind_within(ty, 0)
    }

    fn json_kind_within(&self, ty: &TypeRef, depth: usize) -> JsonKind {
        if depth > 32 {
            return JsonKind::Any;
        }
        match self.end(ty) {
            Some(End::Definition(kind)) => match kind {
                TypeKind::Struct(_) => JsonKind::Object,
                TypeKind::Enum(e) => match e.repr {
                    EnumRepr::String => JsonKind::String,
                    EnumRepr::Integer => JsonKind::Integer,
                    EnumRepr::Mixed => JsonKind::Any,
                },
                TypeKind::Newtype(target) => self.json_kind_within(target, depth + 1),
                TypeKind::Union(_) | TypeKind::Alias(_) | TypeKind::Form(_) => JsonKind::Any,
            },
            Some(End::Unnamed(unnamed)) => match unnamed {
                TypeRef::String => JsonKind::String,
                TypeRef::Integer | TypeRef::Timestamp => JsonKind::Integer,
                TypeRef::Number => JsonKind::Number,
                TypeRef::Boolean => JsonKind::Boolean,
                TypeRef::Array(_) => JsonKind::Array,
                TypeRef::Map(_) | TypeRef::Object => JsonKind::Object,
                TypeRef::Nullable(inner) => self.json_kind_within(inner, depth + 1),
                TypeRef::Json | TypeRef::Binary | TypeRef::Named(_) | TypeRef::Boxed(_) => {
                    JsonKind::Any
                }
            },
            None => JsonKind::Any,
        }
    }

    pub fn is_defaultable(&self, ty: &TypeRef) -> bool {
        self.structure(ty).is_some_and(|s| s.defaultable)
    }
}
