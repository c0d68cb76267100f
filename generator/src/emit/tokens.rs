//! Small token-building helpers shared by the emitters.

use crate::ir::TypeRef;
use crate::names::repair;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::quote;
use syn::parse::Parser;

/// The identifier for a name from the IR. Never panics: lowering makes every name an
/// identifier, and `names::repair` turns anything else into one.
pub fn ident(name: &str) -> Ident {
    Ident::new(&repair(name), Span::call_site())
}

/// Whether `tokens` use `name` as the first segment of a path (`name::...`), so that an import of
/// `name` is needed; imports nothing uses would be `unused_imports` warnings.
pub fn uses_path(tokens: &TokenStream, name: &str) -> bool {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    trees.iter().enumerate().any(|(index, tree)| match tree {
        TokenTree::Ident(ident) => {
            ident == name
                && matches!(trees.get(index + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
        }
        TokenTree::Group(group) => uses_path(&group.stream(), name),
        _ => false,
    })
}

/// Whether `tokens` mention the identifier `name` anywhere.
pub fn uses_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => uses_ident(&group.stream(), name),
        _ => false,
    })
}

/// `#[doc = ...]` attributes, one per paragraph line, or nothing.
pub fn doc_attrs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let text: Vec<&str> = paragraphs
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    if text.is_empty() {
        return TokenStream::new();
    }
    let lines: Vec<String> = text
        .join("\n\n")
        .lines()
        .map(|line| format!(" {line}").trim_end().to_owned())
        .collect();
    quote! { #( #[doc = #lines] )* }
}

/// Where a type reference is written: inside the `types` module or next to it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Sibling,
}

pub fn type_tokens(ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(name) => {
            let name = ident(name);
            match scope {
                Scope::Types => quote!(#name),
                Scope::Sibling => quote!(types::#name),
            }
        }
        TypeRef::String => quote!(String),
        TypeRef::Integer => quote!(i64),
        TypeRef::Timestamp => quote!(crate::runtime::Timestamp),
        TypeRef::Number => quote!(f64),
        TypeRef::Boolean => quote!(bool),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Object => quote!(serde_json::Map<String, serde_json::Value>),
        TypeRef::Array(item) => {
            let item = type_tokens(item, scope);
            quote!(Vec<#item>)
        }
        TypeRef::Map(value) => {
            let value = type_tokens(value, scope);
            quote!(std::collections::BTreeMap<String, #value>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Box<#inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Binary => quote!(crate::runtime::Upload),
    }
}

/// `#[cfg(...)]` for an item compiled with any of `features`; nothing when the list is empty
/// (the item is compiled whatever the features).
pub fn cfg_features(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [feature] => quote!(#[cfg(feature = #feature)]),
        _ => quote!(#[cfg(any(#(feature = #features),*))]),
    }
}

/// `items` (module-level items) parsed, each with the attribute `cfg` in front of its own
/// attributes (as `#cfg #item` would parse). The items of the big modules are parsed once,
/// here, and put into their file as they are ([`file_with_items`]): printing them back to
/// tokens and parsing the whole file again took a third of the generator's time.
pub fn cfg_items(cfg: &TokenStream, items: TokenStream) -> syn::Result<Vec<syn::Item>> {
    let mut items = syn::parse2::<syn::File>(items)?.items;
    if cfg.is_empty() {
        return Ok(items);
    }
    let attributes = syn::Attribute::parse_outer.parse2(cfg.clone())?;
    for item in &mut items {
        match outer_attrs(item) {
            Some(attrs) => {
                attrs.splice(0..0, attributes.iter().cloned());
            }
            // An item syn keeps only as tokens: the attribute goes in front of those.
            None => *item = syn::parse2(quote!(#cfg #item))?,
        }
    }
    Ok(items)
}

/// The attributes of an item, outer ones first (as syn stores them).
fn outer_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    use syn::Item;
    Some(match item {
        Item::Const(item) => &mut item.attrs,
        Item::Enum(item) => &mut item.attrs,
        Item::ExternCrate(item) => &mut item.attrs,
        Item::Fn(item) => &mut item.attrs,
        Item::ForeignMod(item) => &mut item.attrs,
        Item::Impl(item) => &mut item.attrs,
        Item::Macro(item) => &mut item.attrs,
        Item::Mod(item) => &mut item.attrs,
        Item::Static(item) => &mut item.attrs,
        Item::Struct(item) => &mut item.attrs,
        Item::Trait(item) => &mut item.attrs,
        Item::TraitAlias(item) => &mut item.attrs,
        Item::Type(item) => &mut item.attrs,
        Item::Union(item) => &mut item.attrs,
        Item::Use(item) => &mut item.attrs,
        _ => return None,
    })
}

/// A file of `head` (its inner attributes and first items, as tokens) followed by `items`,
/// already parsed.
pub fn file_with_items(
    head: TokenStream,
    items: impl IntoIterator<Item = syn::Result<Vec<syn::Item>>>,
) -> syn::Result<syn::File> {
    let mut file: syn::File = syn::parse2(head)?;
    for parsed in items {
        file.items.extend(parsed?);
    }
    Ok(file)
}
