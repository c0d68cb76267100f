//! Ids are text.
//!
//! Intercom's ids are strings on the wire almost everywhere, but the descriptions declare some
//! of them as integers, and not consistently: `admin_id` is an integer in paths and a string in
//! bodies, `conversation_id` an integer in `GET /conversations/{id}` and a string in
//! `POST /conversations/{id}/reply`, while `Conversation.id` is a string. Typed as declared, the
//! id a response holds could not be passed to the next call. An id is not a quantity (nobody adds
//! ids), so every id has one Rust type, `String`, in paths, queries, bodies and responses.
//!
//! What is sent does not change: a path or query parameter is text anyway, and a body field the
//! description declares as an integer keeps its numbers on the wire (the field is marked
//! [`Field::integer_on_wire`]; the runtime writes a numeric string as a JSON number). Reading
//! already accepts numbers in string fields (`runtime::lenient`).

use crate::ir::{Field, Operation, Param, TypeDef, TypeKind, TypeRef};

/// Whether a property or parameter name names an id (or a list of ids): `id`, `admin_id`,
/// `team_ids`.
fn is_id_name(wire_name: &str) -> bool {
    wire_name == "id" || wire_name.ends_with("_id") || wire_name.ends_with("_ids")
}

/// The type an id declared as `ty` has: integers (and lists of them) become text; anything else
/// (a string already, an object some descriptions call `id`) stays. `None`: unchanged.
fn as_text(ty: &TypeRef) -> Option<TypeRef> {
    match ty {
        TypeRef::Integer => Some(TypeRef::String),
        TypeRef::Array(item) => as_text(item).map(|t| TypeRef::Array(Box::new(t))),
        TypeRef::Nullable(item) => as_text(item).map(|t| TypeRef::Nullable(Box::new(t))),
        _ => None,
    }
}

/// Makes every integer id text: struct fields (written back as numbers) and parameters.
pub fn ids_as_text(types: &mut [TypeDef], operations: &mut [Operation]) {
    for def in types {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.fields.iter_mut().for_each(field_as_text);
        }
    }
    for param in operations.iter_mut().flat_map(|op| op.params.iter_mut()) {
        param_as_text(param);
    }
}

fn field_as_text(field: &mut Field) {
    if field.flatten || !is_id_name(&field.wire_name) {
        return;
    }
    if let Some(text) = as_text(&field.ty) {
        field.ty = text;
        field.integer_on_wire = true;
    }
}

/// A parameter is sent as text whatever its type, so only the Rust type changes.
fn param_as_text(param: &mut Param) {
    if !is_id_name(&param.wire_name) {
        return;
    }
    if let Some(text) = as_text(&param.ty) {
        param.ty = text;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_names() {
        assert!(is_id_name("id"));
        assert!(is_id_name("admin_id"));
        assert!(is_id_name("team_ids"));
        assert!(!is_id_name("idle"));
        assert!(!is_id_name("paid"));
        assert!(!is_id_name("identity"));
    }

    #[test]
    fn integers_and_lists_of_integers_become_text() {
        assert_eq!(as_text(&TypeRef::Integer), Some(TypeRef::String));
        assert_eq!(
            as_text(&TypeRef::Array(Box::new(TypeRef::Integer))),
            Some(TypeRef::Array(Box::new(TypeRef::String)))
        );
        assert_eq!(as_text(&TypeRef::String), None);
        assert_eq!(as_text(&TypeRef::Object), None);
    }
}
