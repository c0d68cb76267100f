//! A uniform read-only view of an `openapiv3` schema.
//!
//! `openapiv3` splits schemas into typed variants (`Type(Object)`, `OneOf`, ...) and an `Any`
//! catch-all for mixed shapes (`type: object` beside `oneOf`). Lowering wants to ask the same
//! questions of both, so this module answers them once.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

/// A schema or a `$ref`, whether it came boxed (properties, items) or not (oneOf members).
#[derive(Clone, Copy)]
pub enum Node<'a> {
    Ref(&'a str),
    Schema(&'a Schema),
}

impl<'a> From<&'a ReferenceOr<Schema>> for Node<'a> {
    fn from(value: &'a ReferenceOr<Schema>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Schema(schema),
        }
    }
}

impl<'a> From<&'a ReferenceOr<Box<Schema>>> for Node<'a> {
    fn from(value: &'a ReferenceOr<Box<Schema>>) -> Self {
        match value {
            ReferenceOr::Reference { reference } => Node::Ref(reference),
            ReferenceOr::Item(schema) => Node::Schema(schema),
        }
    }
}

/// What the additionalProperties keyword says.
#[derive(Clone, Copy)]
pub enum Extra<'a> {
    /// Absent.
    Unspecified,
    /// `true` or `{}`.
    Any,
    /// `false`.
    Forbidden,
    Typed(Node<'a>),
}

#[derive(Clone)]
pub struct View<'a> {
    pub typ: Option<&'a str>,
    pub nullable: bool,
    pub title: Option<&'a str>,
    pub description: Option<&'a str>,
    pub default: Option<&'a Value>,
    pub deprecated: bool,
    pub enumeration: Vec<Value>,
    pub properties: Vec<(&'a str, Node<'a>)>,
    pub required: Vec<&'a str>,
    pub extra: Extra<'a>,
    pub items: Option<Node<'a>>,
    pub one_of: Vec<Node<'a>>,
    pub any_of: Vec<Node<'a>>,
    pub all_of: Vec<Node<'a>>,
    pub has_not: bool,
    /// `format` of a string or integer schema (`binary`, `date-time`, `timestamp`, ...).
    pub format: Option<&'a str>,
    /// `discriminator.propertyName` and its `mapping` (value → `$ref` or schema name).
    pub discriminator: Option<&'a openapiv3::Discriminator>,
}

impl<'a> View<'a> {
    pub fn of(schema: &'a Schema) -> Self {
        let data = &schema.schema_data;
        let mut view = View {
            typ: None,
            nullable: data.nullable,
            title: data.title.as_deref(),
            description: data.description.as_deref(),
            default: data.default.as_ref(),
            deprecated: data.deprecated,
            enumeration: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            extra: Extra::Unspecified,
            items: None,
            one_of: Vec::new(),
            any_of: Vec::new(),
            all_of: Vec::new(),
            has_not: false,
            format: None,
            discriminator: data.discriminator.as_ref(),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                view.typ = Some("string");
                view.format = match &s.format {
                    openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary) => {
                        Some("binary")
                    }
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(other) => Some(other.as_str()),
                    _ => None,
                };
                view.enumeration = s
                    .enumeration
                    .iter()
                    .map(|v| v.clone().map_or(Value::Null, Value::String))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(i)) => {
                view.typ = Some("integer");
                view.format = match &i.format {
                    openapiv3::VariantOrUnknownOrEmpty::Unknown(other) => Some(other.as_str()),
                    _ => None,
                };
                view.enumeration = i
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Number(n)) => {
                view.typ = Some("number");
                view.enumeration = n
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(b)) => {
                view.typ = Some("boolean");
                view.enumeration = b
                    .enumeration
                    .iter()
                    .map(|v| v.map_or(Value::Null, Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(o)) => {
                view.typ = Some("object");
                view.properties = o
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), Node::from(v)))
                    .collect();
                view.required = o.required.iter().map(String::as_str).collect();
                view.extra = extra(o.additional_properties.as_ref());
            }
            SchemaKind::Type(Type::Array(a)) => {
                view.typ = Some("array");
                view.items = a.items.as_ref().map(Node::from);
            }
            SchemaKind::OneOf { one_of } => view.one_of = one_of.iter().map(Node::from).collect(),
            SchemaKind::AnyOf { any_of } => view.any_of = any_of.iter().map(Node::from).collect(),
            SchemaKind::AllOf { all_of } => view.all_of = all_of.iter().map(Node::from).collect(),
            SchemaKind::Not { .. } => view.has_not = true,
            SchemaKind::Any(any) => {
                view.typ = any.typ.as_deref();
                view.format = any.format.as_deref();
                view.enumeration = any.enumeration.clone();
                view.properties = any
                    .properties
                    .iter()
                    .map(|(k, v)| (k.as_str(), Node::from(v)))
                    .collect();
                view.required = any.required.iter().map(String::as_str).collect();
                view.extra = extra(any.additional_properties.as_ref());
                view.items = any.items.as_ref().map(Node::from);
                view.one_of = any.one_of.iter().map(Node::from).collect();
                view.any_of = any.any_of.iter().map(Node::from).collect();
                view.all_of = any.all_of.iter().map(Node::from).collect();
                view.has_not = any.not.is_some();
            }
        }
        view
    }

    /// True when the schema constrains nothing about the value's shape.
    pub fn is_unconstrained(&self) -> bool {
        self.typ.is_none()
            && self.enumeration.is_empty()
            && self.properties.is_empty()
            && self.items.is_none()
            && self.one_of.is_empty()
            && self.any_of.is_empty()
            && self.all_of.is_empty()
            && matches!(self.extra, Extra::Unspecified | Extra::Any)
    }

    /// Enum values other than `null` (which only says the value may be absent).
    pub fn enum_values(&self) -> Vec<&Value> {
        self.enumeration.iter().filter(|v| !v.is_null()).collect()
    }
}

fn extra(additional: Option<&AdditionalProperties>) -> Extra<'_> {
    match additional {
        None => Extra::Unspecified,
        Some(AdditionalProperties::Any(true)) => Extra::Any,
        Some(AdditionalProperties::Any(false)) => Extra::Forbidden,
        Some(AdditionalProperties::Schema(schema)) => match schema.as_ref() {
            ReferenceOr::Item(s) if View::of(s).is_unconstrained() => Extra::Any,
            other => Extra::Typed(Node::from(other)),
        },
    }
}
