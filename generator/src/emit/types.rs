//! Emits the `types` module of one API version: structs, enums, untagged unions and aliases.

use super::tokens::{
    cfg_features, cfg_items, doc_attrs, file_with_items, ident, type_tokens, uses_ident, Scope,
};
use crate::ir::{
    Discriminator, Enum, EnumRepr, EnumValue, ExtraProperties, Field, Form, JsonKind, PartKind,
    Struct, TypeDef, TypeKind, TypeRef, Union, VariantShape,
};
use proc_macro2::TokenStream;
use quote::quote;

pub fn types_module(types: &[TypeDef]) -> syn::Result<syn::File> {
    let defs: Vec<TokenStream> = types.iter().map(type_def).collect();
    // Aliases alone use neither trait: an unused import would be a warning.
    let serde = ["Deserialize", "Serialize"]
        .into_iter()
        .filter(|name| defs.iter().any(|tokens| uses_ident(tokens, name)))
        .map(ident)
        .collect::<Vec<_>>();
    // With only some resources' features on, the types that use them may all be left out.
    let import = (!serde.is_empty()).then(|| {
        quote! {
            #[allow(unused_imports)]
            use serde::{#(#serde),*};
        }
    });
    let head = quote! {
        //! Request and response types of this API version, one per schema of the description.
        #import
    };
    let items = types
        .iter()
        .zip(defs)
        .map(|(def, tokens)| cfg_items(&cfg_features(&def.resources), tokens));
    file_with_items(head, items)
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
        TypeKind::Newtype(target) => newtype_def(def, target, &origin),
        TypeKind::Form(form) => form_def(def, form, &origin),
    }
}

/// A named wrapper, transparent on the wire; it may contain itself (an alias may not).
fn newtype_def(def: &TypeDef, target: &TypeRef, origin: &str) -> TokenStream {
    let docs = doc_attrs([def.docs.as_deref(), Some(origin)]);
    let name = ident(&def.name);
    let default = matches!(
        target,
        TypeRef::Array(_) | TypeRef::Map(_) | TypeRef::Object
    )
    .then(|| quote!(Default,));
    let target = type_tokens(target, Scope::Types);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #target);
        crate::runtime::object::value!(#name, |value: &serde_json::Value| {
            <#target as crate::runtime::object::FromJson>::fits(value)
        });
    }
}

/// A multipart form: a plain struct (files are not JSON) that turns itself into the runtime's
/// `Multipart` body.
fn form_def(def: &TypeDef, form: &Form, origin: &str) -> TokenStream {
    let docs = doc_attrs([def.docs.as_deref(), Some(origin)]);
    let name = ident(&def.name);
    let fields = form.parts.iter().map(|part| {
        let docs = doc_attrs([part.docs.as_deref()]);
        let field = ident(&part.name);
        let ty = match &part.kind {
            PartKind::File => quote!(crate::runtime::Upload),
            PartKind::Files => quote!(Vec<crate::runtime::Upload>),
            PartKind::Text(ty) | PartKind::Json(ty) => type_tokens(ty, Scope::Types),
        };
        let ty = match (&part.kind, part.required) {
            (PartKind::Files, _) | (_, true) => ty,
            (_, false) => quote!(Option<#ty>),
        };
        quote! { #docs pub #field: #ty, }
    });
    let steps = form.parts.iter().map(|part| {
        let field = ident(&part.name);
        let wire = &part.wire_name;
        let add = match &part.kind {
            PartKind::File => quote!(form.file(#wire, value.clone())),
            PartKind::Files => quote!(form.file(#wire, value.clone())),
            PartKind::Text(_) => quote!(form.text(#wire, value)),
            PartKind::Json(_) => quote!(form.json(#wire, value)?),
        };
        match (&part.kind, part.required) {
            (PartKind::Files, _) => quote! {
                for value in &self.#field { form = #add; }
            },
            (_, true) => quote! { let value = &self.#field; form = #add; },
            (_, false) => quote! {
                if let Some(value) = &self.#field { form = #add; }
            },
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// The form's parts, in the order the description lists them.
            pub fn to_multipart(&self) -> Result<crate::runtime::Multipart, crate::runtime::Error> {
                #[allow(unused_mut)]
                let mut form = crate::runtime::Multipart::new();
                #(#steps)*
                Ok(form)
            }
        }
    }
}

/// A struct is plain data; its `Deserialize`, `Serialize` and `FromJson` come from the
/// runtime's `object!` macro, which reads drifted responses without failing (see
/// `runtime::object`): the generated code states only the names and wire names.
fn struct_def(def: &TypeDef, s: &Struct, origin: &str) -> TokenStream {
    let constraint = at_least_one_of_doc(&s.at_least_one_of);
    let docs = doc_attrs([def.docs.as_deref(), constraint.as_deref(), Some(origin)]);
    let name = ident(&def.name);
    let default = s.defaultable.then(|| quote!(Default,));
    let fields = s.fields.iter().map(field_def);
    let declared = s.fields.iter().filter(|f| !f.flatten).map(|f| {
        let field = ident(&f.name);
        let wire = &f.wire_name;
        let wire_type = f.integer_on_wire.then(|| quote!(as integer));
        quote!(#field: #wire #wire_type)
    });
    let (extra, rest) = match s.fields.iter().find(|f| f.flatten) {
        Some(flattened) => {
            let field = ident(&flattened.name);
            (TokenStream::new(), quote!(flattened #field))
        }
        None => (extra_field(&s.extra), quote!(kept additional_properties)),
    };
    let search = s
        .search_query
        .as_ref()
        .filter(|_| s.defaultable)
        .and_then(|field| s.fields.iter().find(|f| &f.name == field))
        .map(|field| {
            let member = ident(&field.name);
            let value = if field.is_optional() {
                quote!(Some(decoded))
            } else {
                quote!(decoded)
            };
            quote! {
                /// The search query as the request body, its other fields at their defaults.
                impl From<crate::runtime::search::Query> for #name {
                    fn from(query: crate::runtime::search::Query) -> Self {
                        // The query's type is a union with a fallback: every JSON decodes.
                        let decoded = serde::Deserialize::deserialize(query.to_json()).unwrap_or_default();
                        Self { #member: #value, ..Default::default() }
                    }
                }
                impl From<crate::runtime::search::Filter> for #name {
                    fn from(filter: crate::runtime::search::Filter) -> Self {
                        crate::runtime::search::Query::from(filter).into()
                    }
                }
            }
        });
    let base = base_impls(&name, s);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
            #extra
        }
        crate::runtime::object::object!(#name { #(#declared,)* } #rest);
        #search
        #base
    }
}

/// A struct that embeds the component it extends (`Field::base`) reads as that component:
/// `Deref`/`DerefMut` to its fields and methods, `AsRef` for functions that take it, and
/// `From` both ways (the extra fields are dropped one way, left at their defaults the other).
fn base_impls(name: &proc_macro2::Ident, s: &Struct) -> Option<TokenStream> {
    let field = s.fields.iter().find(|f| f.base)?;
    let member = ident(&field.name);
    let (base, unbox, rebox) = match &field.ty {
        TypeRef::Named(base) => (base, quote!(), quote!(base)),
        TypeRef::Boxed(inner) => match inner.as_ref() {
            TypeRef::Named(base) => (base, quote!(*), quote!(Box::new(base))),
            _ => return None,
        },
        _ => return None,
    };
    let base = ident(base);
    let from_base = s.defaultable.then(|| {
        quote! {
            impl From<#base> for #name {
                fn from(base: #base) -> Self {
                    Self { #member: #rebox, ..Default::default() }
                }
            }
        }
    });
    Some(quote! {
        impl std::ops::Deref for #name {
            type Target = #base;
            fn deref(&self) -> &#base {
                &self.#member
            }
        }
        impl std::ops::DerefMut for #name {
            fn deref_mut(&mut self) -> &mut #base {
                &mut self.#member
            }
        }
        impl AsRef<#base> for #name {
            fn as_ref(&self) -> &#base {
                &self.#member
            }
        }
        impl From<#name> for #base {
            fn from(value: #name) -> Self {
                #unbox value.#member
            }
        }
        #from_base
    })
}

/// The field that keeps the properties a struct does not declare, and the values of declared
/// properties that did not fit their type.
fn extra_field(extra: &ExtraProperties) -> TokenStream {
    match extra {
        ExtraProperties::Typed(value) => {
            let value = type_tokens(value, Scope::Types);
            quote! {
                /// The object's other properties.
                pub additional_properties: std::collections::BTreeMap<String, #value>,
            }
        }
        // A `Flattened` struct without its flattened field has nowhere else to keep them.
        ExtraProperties::Keep | ExtraProperties::Flattened => quote! {
            /// Properties the schema does not declare, and declared properties whose value does
            /// not fit the declared type (kept as sent, and written instead of the field), so
            /// that nothing the server sends is lost.
            pub additional_properties: crate::runtime::AdditionalProperties,
        },
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
    if field.is_optional() && !field.flatten {
        quote! { #docs pub #name: Option<#ty>, }
    } else {
        quote! { #docs pub #name: #ty, }
    }
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
    if let Some(only) = e.tag() {
        return tag_def(def, &display_value(&only.value), origin);
    }
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
    let impls = enum_impls(&name, e, &variants);
    quote! {
        #docs
        #[derive(#derives)]
        #[non_exhaustive]
        pub enum #name {
            #( #[doc = #variant_docs] #variants, )*
            /// A value this version of the crate does not know; kept as sent.
            Unknown(#unknown_ty),
        }
        #impls
    }
}

/// A string the schema allows alone: a unit struct that is the value (lowering's
/// `Enum::set_by_type`), so callers leave it to `Default` instead of naming a variant.
fn tag_def(def: &TypeDef, value: &str, origin: &str) -> TokenStream {
    let note = format!(
        "Always `{value}`, the only value the description allows: the type is the value (and \
         its `Default`), so it is written without being set. A different value read from the \
         wire does not fit; the struct holding it keeps it as sent."
    );
    let docs = doc_attrs([def.docs.as_deref(), Some(&note), Some(origin)]);
    let name = ident(&def.name);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct #name;
        crate::runtime::enums::string_tag!(#name = #value);
    }
}

fn display_value(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s) => s.clone(),
        EnumValue::Integer(i) => i.to_string(),
    }
}

/// String and integer enums get their impls from the runtime's macros (see
/// `runtime::enums`); the rare mixed enums are written out.
fn enum_impls(name: &proc_macro2::Ident, e: &Enum, variants: &[proc_macro2::Ident]) -> TokenStream {
    match e.repr {
        EnumRepr::String => {
            let values = e.variants.iter().map(|v| display_value(&v.value));
            quote! {
                crate::runtime::enums::string_enum!(#name { #( #variants = #values ),* });
            }
        }
        EnumRepr::Integer => {
            let values = e.variants.iter().map(|v| match v.value {
                EnumValue::Integer(i) => proc_macro2::Literal::i64_unsuffixed(i),
                EnumValue::String(_) => proc_macro2::Literal::i64_unsuffixed(0),
            });
            quote! {
                crate::runtime::enums::integer_enum!(#name { #( #variants = #values ),* });
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
                /// An empty unknown value: what a required field the server left out holds.
                impl Default for #name {
                    fn default() -> Self {
                        Self::Unknown(Default::default())
                    }
                }
                crate::runtime::object::value!(#name, crate::runtime::object::any);
            }
        }
    }
}

fn union_def(def: &TypeDef, u: &Union, origin: &str) -> TokenStream {
    let note = match &u.discriminator {
        None => "An untagged union: of the variants the JSON decodes into, the one it fits best \
            is chosen (its JSON kind, required and declared properties, known enum values; see \
            `runtime::union`), the first in this order when several fit equally well."
            .to_owned(),
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
    let deserialize = match &u.discriminator {
        None => ranked_deserialize(&name, u),
        Some(discriminator) => discriminated_deserialize(&name, u, discriminator),
    };
    let default = union_default(&name, u);
    // With a fallback variant every JSON value fits; without one, only what a variant accepts.
    let fits = if u.variants.iter().any(|v| v.ty == TypeRef::Json) {
        quote!(crate::runtime::object::any)
    } else {
        quote!(crate::runtime::object::deserializes::<#name>)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
        #deserialize
        #default
        crate::runtime::object::value!(#name, #fits);
    }
}

/// Reads an untagged union: the declared variants are ranked by how well the JSON fits each
/// (`runtime::union`), and the best-ranked one that decodes strictly (see
/// `runtime::object::strict`) wins; the fallback keeps what none decodes.
fn ranked_deserialize(name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let declared: Vec<_> = u
        .variants
        .iter()
        .filter(|v| v.ty != TypeRef::Json)
        .collect();
    let shapes = declared.iter().map(|v| shape_tokens(&v.shape));
    let arms = declared.iter().enumerate().map(|(index, v)| {
        let variant = ident(&v.name);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        quote!(#index => crate::runtime::object::strict(value.clone()).map(Self::#variant),)
    });
    let fallback = match u.variants.iter().find(|v| v.ty == TypeRef::Json) {
        Some(other) => {
            let other = ident(&other.name);
            quote!(Ok(Self::#other(value)))
        }
        None => {
            let message = format!("the JSON fits no variant of `{name}`");
            quote!(Err(serde::de::Error::custom(#message)))
        }
    };
    let attempt = if declared.is_empty() {
        TokenStream::new()
    } else {
        quote! {
            const SHAPES: &[crate::runtime::union::Shape] = &[#(#shapes),*];
            for index in crate::runtime::union::ranked(&value, SHAPES) {
                let decoded: Result<Self, serde_json::Error> = match index {
                    #(#arms)*
                    _ => continue,
                };
                if let Ok(decoded) = decoded {
                    return Ok(decoded);
                }
            }
        }
    };
    quote! {
        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #attempt
                #fallback
            }
        }
    }
}

fn shape_tokens(shape: &VariantShape) -> TokenStream {
    let kind = ident(match shape.kind {
        JsonKind::Any => "Any",
        JsonKind::Object => "Object",
        JsonKind::Array => "Array",
        JsonKind::String => "String",
        JsonKind::Integer => "Integer",
        JsonKind::Number => "Number",
        JsonKind::Boolean => "Boolean",
    });
    let declared = &shape.declared;
    let required = &shape.required;
    let enums = shape
        .enums
        .iter()
        .map(|(key, values)| quote!((#key, &[#(#values),*])));
    let open = shape.open;
    let items = match &shape.items {
        Some(items) => {
            let items = shape_tokens(items);
            quote!(Some(&#items))
        }
        None => quote!(None),
    };
    quote! {
        crate::runtime::union::Shape {
            kind: crate::runtime::union::Kind::#kind,
            declared: &[#(#declared),*],
            required: &[#(#required),*],
            enums: &[#(#enums),*],
            open: #open,
            items: #items,
        }
    }
}

/// `Default` builds the variant lowering chose (the fallback, holding `null`, when there is one).
fn union_default(name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let Some(variant) = u.default_variant.and_then(|i| u.variants.get(i)) else {
        return TokenStream::new();
    };
    let variant = ident(&variant.name);
    quote! {
        impl Default for #name {
            fn default() -> Self {
                Self::#variant(Default::default())
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
