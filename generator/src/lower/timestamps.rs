//! Points in time are `Timestamp`s.
//!
//! Intercom sends every point in time as whole seconds since the Unix epoch, declared as an
//! integer: sometimes with `format: date-time` or `format: timestamp` (which `schema.rs` lowers
//! to [`TypeRef::Timestamp`] wherever it appears), often with no format at all (23 of the 105
//! `*_at` properties of 2.14). Typed as `i64`, a creation time could be added to a count or
//! passed as an id; as the runtime's `Timestamp` it converts to `SystemTime` (and, with the
//! `jiff` feature, to `jiff::Timestamp`) while the wire stays the same integer. So an integer
//! property named `*_at` (`created_at`, `last_seen_at`) is a point in time too.

use crate::ir::{Field, TypeDef, TypeKind, TypeRef};

/// Whether a property name names a point in time: `created_at`, `signed_up_at`.
fn is_time_name(wire_name: &str) -> bool {
    wire_name.len() > "_at".len() && wire_name.ends_with("_at")
}

/// Makes every integer field named like a point in time a [`TypeRef::Timestamp`].
pub fn points_in_time(types: &mut [TypeDef]) {
    for def in types {
        if let TypeKind::Struct(s) = &mut def.kind {
            s.fields.iter_mut().for_each(field_as_timestamp);
        }
    }
}

fn field_as_timestamp(field: &mut Field) {
    if !field.flatten && field.ty == TypeRef::Integer && is_time_name(&field.wire_name) {
        field.ty = TypeRef::Timestamp;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_names() {
        assert!(is_time_name("created_at"));
        assert!(is_time_name("last_seen_at"));
        assert!(!is_time_name("_at"));
        assert!(!is_time_name("format"));
        assert!(!is_time_name("at"));
    }
}
