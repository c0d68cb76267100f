//! Choosing the variant of an untagged union: the one the JSON fits best, not the first that
//! accepts it.
//!
//! Intercom's unions often have a variant whose properties are all optional (a single search
//! filter: `field`, `operator`, `value`), which accepts almost any object. Trying the variants
//! in order would read `{"operator": "AND", "value": [..]}` as a single filter with an unknown
//! operator. Instead each variant states the JSON it expects (a [`Shape`], written by the
//! generator from the description), the variants are ranked by how well the value fits each
//! ([`ranked`]), and the value becomes the best-ranked variant that decodes strictly (see
//! [`strict`](super::object::strict)). Since the ranking depends only on the JSON, a value that
//! is decoded, encoded and decoded again comes back as the same variant.

use serde_json::Value;
use std::cmp::Reverse;

/// The kind of JSON a variant reads without leniency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Several kinds (any JSON, a nested union, an enum of strings and integers).
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

/// What one variant of a union expects, as far as it tells the variants apart.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub kind: Kind,
    /// An object's declared properties (wire names).
    pub declared: &'static [&'static str],
    /// An object's required properties.
    pub required: &'static [&'static str],
    /// An object's string-enum properties with the values the variant knows.
    pub enums: &'static [(&'static str, &'static [&'static str])],
    /// The object takes undeclared properties by design (typed `additionalProperties`).
    pub open: bool,
    /// An array's items: each is ranked, and the fits add up.
    pub items: Option<&'static Shape>,
}

/// How well a value fits a [`Shape`]; a greater `Fit` is a better one. Compared in this order:
/// the JSON kind (exact, then `Any`, then a lenient conversion), required properties missing,
/// enum values the variant does not know, undeclared properties, declared properties present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fit {
    kind: u8,
    missing: Reverse<usize>,
    unknown_values: Reverse<usize>,
    undeclared: Reverse<usize>,
    declared: usize,
}

impl Shape {
    /// How well `value` fits this variant.
    pub fn fit(&self, value: &Value) -> Fit {
        let kind = match (self.kind, value) {
            (Kind::Any, _) => 1,
            (Kind::Object, Value::Object(_))
            | (Kind::Array, Value::Array(_))
            | (Kind::String, Value::String(_))
            | (Kind::Boolean, Value::Bool(_)) => 2,
            (Kind::Integer, Value::Number(n)) if n.is_i64() || n.is_u64() => 2,
            (Kind::Number, Value::Number(_)) => 2,
            _ => 0,
        };
        if let (Some(items), Value::Array(values)) = (self.items, value) {
            return values.iter().map(|item| items.fit(item)).fold(
                Fit {
                    kind,
                    missing: Reverse(0),
                    unknown_values: Reverse(0),
                    undeclared: Reverse(0),
                    declared: 0,
                },
                |total, item| Fit {
                    kind: total.kind.min(item.kind),
                    missing: Reverse(total.missing.0 + item.missing.0),
                    unknown_values: Reverse(total.unknown_values.0 + item.unknown_values.0),
                    undeclared: Reverse(total.undeclared.0 + item.undeclared.0),
                    declared: total.declared + item.declared,
                },
            );
        }
        let Value::Object(object) = value else {
            return Fit {
                kind,
                missing: Reverse(0),
                unknown_values: Reverse(0),
                undeclared: Reverse(0),
                declared: 0,
            };
        };
        let present = |key: &str| object.get(key).is_some_and(|v| !v.is_null());
        let unknown_values = self
            .enums
            .iter()
            .filter(|(key, known)| {
                matches!(object.get(*key), Some(Value::String(s)) if !known.contains(&s.as_str()))
            })
            .count();
        let undeclared = if self.open {
            0
        } else {
            object
                .keys()
                .filter(|key| !self.declared.contains(&key.as_str()))
                .count()
        };
        Fit {
            kind,
            missing: Reverse(self.required.iter().filter(|k| !present(k)).count()),
            unknown_values: Reverse(unknown_values),
            undeclared: Reverse(undeclared),
            declared: self.declared.iter().filter(|k| present(k)).count(),
        }
    }
}

/// The indices of `shapes`, the best fit for `value` first; variants that fit equally well keep
/// their order in the description.
pub fn ranked(value: &Value, shapes: &[Shape]) -> Vec<usize> {
    let mut order: Vec<(usize, Fit)> = shapes
        .iter()
        .enumerate()
        .map(|(index, shape)| (index, shape.fit(value)))
        .collect();
    order.sort_by_key(|&(_, fit)| Reverse(fit));
    order.into_iter().map(|(index, _)| index).collect()
}
