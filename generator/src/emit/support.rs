//! Per-version support modules for the runtime's version-independent features: the webhook
//! item types (`webhooks.rs`) and the description's response examples for the `test-util` mock
//! (`examples.rs`).

use super::tokens::{cfg_features, cfg_items, file_with_items, ident};
use crate::ir::{Api, WEBHOOKS_FEATURE};
use proc_macro2::TokenStream;
use quote::quote;

/// `webhooks.rs`: this version's types for webhook items (`serde_json::Value` for an item kind
/// the description has no schema for), compiled with the `webhooks` feature.
pub fn webhooks_module(api: &Api) -> syn::Result<syn::File> {
    let associated = api.webhook_items.iter().map(|item| {
        let kind = ident(&item.kind);
        let ty = match &item.type_name {
            Some(name) => {
                let name = ident(name);
                quote!(super::types::#name)
            }
            None => quote!(serde_json::Value),
        };
        quote!(type #kind = #ty;)
    });
    let cfg = cfg_features(&[WEBHOOKS_FEATURE.to_owned()]);
    let items = quote! {
        /// This version's item types, for [`Notification::item`](crate::webhooks::Notification::item).
        #[derive(Debug, Clone, Copy)]
        pub struct Types;

        impl crate::webhooks::ItemTypes for Types {
            #(#associated)*
        }

        /// A webhook item typed with this version's schemas:
        /// `let item: Item = notification.item()?;`.
        pub type Item = crate::webhooks::Item<Types>;
    };
    let head = quote! {
        //! Webhook items typed with this version's schemas (with the `webhooks` feature); see
        //! [`crate::webhooks`].
    };
    file_with_items(head, [cfg_items(&cfg, items)])
}

/// `examples.rs` (compiled with the `test-util` feature): the description's success examples,
/// the mock's default answer for each operation.
pub fn examples_module(api: &Api) -> TokenStream {
    let arms = api.response_examples.iter().map(|example| {
        let operation = &example.operation;
        let status = example.status;
        let content_type = option_str(example.content_type.as_deref());
        let body = option_str(example.body.as_deref());
        quote! {
            #operation => Some(SpecExample { status: #status, content_type: #content_type, body: #body }),
        }
    });
    quote! {
        //! The description's success-response examples: what `test_util::MockApi` answers for an
        //! operation it was given no response for.

        use crate::test_util::{SpecExample, SpecExamples};

        impl SpecExamples for super::Client {
            fn spec_example(operation: &str) -> Option<SpecExample> {
                match operation {
                    #(#arms)*
                    _ => None,
                }
            }

            fn api_version() -> &'static str {
                super::API_VERSION
            }
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}
