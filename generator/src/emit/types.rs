//! Emits the `types` module of one API version: structs, enums, untagged unions and aliases.

use super::tokens::{doc_attrs, ident, type_tokens, uses_ident, Scope};
use crate::ir::{
    Discriminator, Enum, EnumRepr, EnumValue, ExtraProperties, Field, Struct, TypeDef, TypeKind,
    TypeRef, Union,
};
use proc_macro2::TokenStream;
use quote::quote;

pub fn types_module(types: &[TypeDef]) -> TokenStream {
    let items: TokenStream = types.iter().map(type_def).collect();
    // Aliases alone use neither trait: an unused import would be a warning.
    let serde = ["Deserialize", "Serialize"]
        .into_iter()
        .filter(|name| uses_ident(&items, name))
        .map(ident)
        .collect::<Vec<_>>();
    let import = (!serde.is_empty()).then(|| quote!(use serde::{#(#serde),*};));
    quote! {
        //! Request and response types of this API version, one per schema of the description.
        #import
        #items
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let origin = format!("Generated from `{}`.", def.origin);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(def, s, &origin),
        TypeKind::Enum(e) => enum_def(def, e, &origin),
        TypeKind::Union(u) => union_def(def, u, &origin),
        TypeKind::Alias(target) => {
            let docs = doc_attrs([def.docs.as_deref(), Some(&origin)]);
            let name = ident(&def.name);
            let target = type_tokens(target, Scope::Types);
            quote! { #docs pub type #name = #target; }
        }
    }
}

fn struct_def(def: &TypeDef, s: &Struct, origin: &str) -> TokenStream {
    let constraint = at_least_one_of_doc(&s.at_least_one_of);
    let docs = doc_attrs([def.docs.as_deref(), constraint.as_deref(), Some(origin)]);
    let name = ident(&def.name);
    let default = s.defaultable.then(|| quote!(Default,));
    let fields = s.fields.iter().map(field_def);
    let extra = match &s.extra {
        ExtraProperties::Keep => quote! {
            /// Properties the schema does not declare, kept so that nothing the server sends is lost.
            #[serde(flatten)]
            pub additional_properties: serde_json::Map<String, serde_json::Value>,
        },
        ExtraProperties::Typed(value) => {
            let value = type_tokens(value, Scope::Types);
            quote! {
                /// The object's other properties.
                #[serde(flatten)]
                pub additional_properties: std::collections::BTreeMap<String, #value>,
            }
        }
        ExtraProperties::Flattened => TokenStream::new(),
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        pub struct #name {
            #(#fields)*
            #extra
        }
    }
}

fn field_def(field: &Field) -> TokenStream {
    let default_doc = field
        .default
        .as_ref()
        .map(|value| format!("Defaults to `{value}`."));
    let deprecated_doc = field.deprecated.then_some("**Deprecated.**");
    let docs = doc_attrs([
        deprecated_doc,
        field.docs.as_deref(),
        default_doc.as_deref(),
    ]);
    let name = ident(&field.name);
    let ty = type_tokens(&field.ty, Scope::Types);
    if field.flatten {
        return quote! { #docs #[serde(flatten)] pub #name: #ty, };
    }
    let rename = (field.name != field.wire_name).then(|| {
        let wire = &field.wire_name;
        quote!(rename = #wire,)
    });
    let lenient = lenient_reader(&field.ty, field.is_optional())
        .map(|path| quote!(deserialize_with = #path,));
    if field.is_optional() {
        quote! {
            #docs
            #[serde(#rename default, #lenient skip_serializing_if = "Option::is_none")]
            pub #name: Option<#ty>,
        }
    } else {
        let attr =
            (rename.is_some() || lenient.is_some()).then(|| quote!(#[serde(#rename #lenient)]));
        quote! { #docs #attr pub #name: #ty, }
    }
}

/// Scalars are read leniently (see the runtime's `lenient` module): the API sends integer ids
/// where strings are declared and numeric strings where integers are.
fn lenient_reader(ty: &TypeRef, optional: bool) -> Option<String> {
    let kind = match ty {
        TypeRef::String => "string",
        TypeRef::Integer => "integer",
        TypeRef::Number => "number",
        TypeRef::Map(value) if **value == TypeRef::String => "string_map",
        _ => return None,
    };
    Some(format!(
        "crate::runtime::lenient::{}{kind}",
        if optional { "opt_" } else { "" }
    ))
}

fn at_least_one_of_doc(groups: &[Vec<String>]) -> Option<String> {
    if groups.is_empty() {
        return None;
    }
    let alternatives: Vec<String> = groups
        .iter()
        .map(|group| {
            group
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(" + ")
        })
        .collect();
    Some(format!(
        "The API requires one of these sets of fields: {}.",
        alternatives.join("; or ")
    ))
}

fn enum_def(def: &TypeDef, e: &Enum, origin: &str) -> TokenStream {
    let docs = doc_attrs([def.docs.as_deref(), Some(origin)]);
    let name = ident(&def.name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let variant_docs: Vec<String> = e
        .variants
        .iter()
        .map(|v| format!(" `{}`", display_value(&v.value)))
        .collect();
    let (unknown_ty, derives) = match e.repr {
        EnumRepr::String => (
            quote!(String),
            quote!(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord),
        ),
        EnumRepr::Integer => (
            quote!(i64),
            quote!(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord),
        ),
        EnumRepr::Mixed => (
            quote!(serde_json::Value),
            quote!(Debug, Clone, PartialEq, Eq),
        ),
    };
    let conversions = enum_conversions(&name, e, &variants);
    quote! {
        #docs
        #[derive(#derives)]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the crate does not know; kept as sent.
            Unknown(#unknown_ty),
        }
        #conversions
    }
}

fn display_value(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s) => s.clone(),
        EnumValue::Integer(i) => i.to_string(),
    }
}

fn enum_conversions(
    name: &proc_macro2::Ident,
    e: &Enum,
    variants: &[proc_macro2::Ident],
) -> TokenStream {
    match e.repr {
        EnumRepr::String => {
            let values: Vec<String> = e.variants.iter().map(|v| display_value(&v.value)).collect();
            quote! {
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => value,
                        }
                    }
                }
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other.to_owned()),
                        }
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(self.as_str())
                    }
                }
                impl Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.as_str())
                    }
                }
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        let value = String::deserialize(deserializer)?;
                        Ok(Self::from(value.as_str()))
                    }
                }
            }
        }
        EnumRepr::Integer => {
            let values: Vec<i64> = e
                .variants
                .iter()
                .map(|v| match v.value {
                    EnumValue::Integer(i) => i,
                    EnumValue::String(_) => 0,
                })
                .collect();
            quote! {
                impl #name {
                    /// The value as sent on the wire.
                    pub fn value(&self) -> i64 {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => *value,
                        }
                    }
                }
                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #( #values => Self::#variants, )*
                            other => Self::Unknown(other),
                        }
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "{}", self.value())
                    }
                }
                impl Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        i64::deserialize(deserializer).map(Self::from)
                    }
                }
            }
        }
        EnumRepr::Mixed => {
            let values: Vec<TokenStream> = e
                .variants
                .iter()
                .map(|v| match &v.value {
                    EnumValue::String(s) => quote!(serde_json::Value::from(#s)),
                    EnumValue::Integer(i) => quote!(serde_json::Value::from(#i)),
                })
                .collect();
            // `Value` compares with literals directly (clippy's `cmp_owned` rejects building one).
            let literals = e.variants.iter().map(|v| match &v.value {
                EnumValue::String(s) => quote!(#s),
                EnumValue::Integer(i) => quote!(#i),
            });
            quote! {
                impl #name {
                    /// The value as sent on the wire.
                    pub fn value(&self) -> serde_json::Value {
                        match self {
                            #( Self::#variants => #values, )*
                            Self::Unknown(value) => value.clone(),
                        }
                    }
                }
                impl From<serde_json::Value> for #name {
                    fn from(value: serde_json::Value) -> Self {
                        #( if value == #literals { return Self::#variants; } )*
                        Self::Unknown(value)
                    }
                }
                impl std::fmt::Display for #name {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self.value() {
                            serde_json::Value::String(s) => f.write_str(&s),
                            other => write!(f, "{other}"),
                        }
                    }
                }
                impl Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        self.value().serialize(serializer)
                    }
                }
                impl<'de> Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        serde_json::Value::deserialize(deserializer).map(Self::from)
                    }
                }
            }
        }
    }
}

fn union_def(def: &TypeDef, u: &Union, origin: &str) -> TokenStream {
    let note = match &u.discriminator {
        None => {
            "An untagged union: the first variant (in this order) that the JSON fits is chosen."
                .to_owned()
        }
        Some(d) => format!("The variant is chosen by the value of `{}`.", d.wire_name),
    };
    let docs = doc_attrs([def.docs.as_deref(), Some(&note), Some(origin)]);
    let name = ident(&def.name);
    let variants = u.variants.iter().map(|v| {
        let docs = doc_attrs([v.docs.as_deref()]);
        let variant = ident(&v.name);
        let ty = type_tokens(&v.ty, Scope::Types);
        quote! { #docs #variant(#ty), }
    });
    match &u.discriminator {
        None => quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #(#variants)*
            }
        },
        Some(discriminator) => {
            let deserialize = discriminated_deserialize(&name, u, discriminator);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Serialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#variants)*
                }
                #deserialize
            }
        }
    }
}

/// Chooses the variant by the discriminating property's value, so a variant whose open enums
/// would also accept another variant's value cannot win by coming first.
fn discriminated_deserialize(
    name: &proc_macro2::Ident,
    u: &Union,
    discriminator: &Discriminator,
) -> TokenStream {
    let wire = &discriminator.wire_name;
    let arms = discriminator.values.iter().map(|(index, value)| {
        let variant = ident(&u.variants[*index].name);
        quote!(Some(#value) => serde_json::from_value(value).map(Self::#variant),)
    });
    let fallback = match u.variants.iter().find(|v| v.ty == TypeRef::Json) {
        Some(other) => {
            let other = ident(&other.name);
            quote!(_ => return Ok(Self::#other(value)),)
        }
        None => {
            let message = format!("unknown or missing `{wire}`");
            quote!(_ => return Err(serde::de::Error::custom(#message)),)
        }
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let decoded = match value.get(#wire).and_then(serde_json::Value::as_str) {
                    #(#arms)*
                    #fallback
                };
                decoded.map_err(serde::de::Error::custom)
            }
        }
    }
}
