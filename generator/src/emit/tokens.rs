//! Small token-building helpers shared by the emitters.

use crate::ir::TypeRef;
use crate::names::repair;
use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::quote;

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

/// `items` (module-level items) with the attribute `cfg` added to each of them.
pub fn with_cfg(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    let Ok(file) = syn::parse2::<syn::File>(items.clone()) else {
        // Not items: emission reports the unparsable tokens when it parses the whole file.
        return items;
    };
    // An outer attribute in front of an item's own attributes applies to the item.
    let items = file.items.iter().map(|item| quote!(#cfg #item));
    quote!(#(#items)*)
}
