//! Emits test support for a version module: a dispatch from operation name to the generated
//! request/response types and client method, so conformance tests (spec examples, Prism) can
//! drive every operation through the real generated code without a hand-kept list.

use super::tokens::{ident, type_tokens, Scope};
use crate::ir::{
    Api, BodyEncoding, Operation, ParamLocation, PartKind, RequestBody, SuccessResponse, TypeDef,
    TypeKind, TypeRef,
};
use proc_macro2::TokenStream;
use quote::quote;

/// `crate_name::module` is where the generated client lives, e.g. `intercom_api::v2_14`.
pub fn conformance_module(api: &Api, crate_name: &str, module: &str) -> TokenStream {
    let krate = ident(crate_name);
    let module = ident(module);
    let responses = api.operations.iter().filter_map(|op| match &op.response {
        SuccessResponse::Json(ty) => {
            let name = &op.name;
            let ty = type_tokens(ty, Scope::Sibling);
            Some(quote!(#name => Some(crate::roundtrip::<#ty>(body)),))
        }
        _ => None,
    });
    let requests = api.operations.iter().filter_map(|op| {
        let body = op.body.as_ref()?;
        if !matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form) {
            return None;
        }
        let name = &op.name;
        let ty = type_tokens(&body.ty, Scope::Sibling);
        Some(quote!(#name => Some(crate::roundtrip::<#ty>(body)),))
    });
    let calls = api.operations.iter().map(|op| call_arm(op, &api.types));
    quote! {
        //! Conformance dispatch for one API version: operation name → generated types and method.
        #![allow(clippy::too_many_lines)]
        use #krate::#module::{types, Client};
        use crate::{Args, CallFailure, Called, Roundtrip};

        /// Decodes `body` as the success response type of `operation` and encodes it again.
        /// `None` when the operation has no JSON success response.
        pub fn decode_response(operation: &str, body: &str) -> Option<Roundtrip> {
            match operation {
                #(#responses)*
                _ => None,
            }
        }

        /// Decodes `body` as the request body type of `operation` and encodes it again.
        /// `None` when the operation takes no body.
        pub fn decode_request(operation: &str, body: &str) -> Option<Roundtrip> {
            match operation {
                #(#requests)*
                _ => None,
            }
        }

        /// Calls `operation` through its generated method with typed arguments parsed from
        /// `args`; a success means the response was decoded into the generated type.
        pub async fn call(client: &Client, operation: &str, args: &Args) -> Result<Called, CallFailure> {
            match operation {
                #(#calls)*
                other => Err(CallFailure::UnknownOperation(other.to_owned())),
            }
        }
    }
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The expression that builds an operation's body from the example arguments.
fn body_value(body: &RequestBody, types: &[TypeDef], optional: bool) -> TokenStream {
    let ty = type_tokens(&body.ty, Scope::Sibling);
    match body.encoding {
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Text if optional => {
            quote!(args.optional_body::<#ty>()?)
        }
        BodyEncoding::Json | BodyEncoding::Form | BodyEncoding::Text => quote!(args.body::<#ty>()?),
        BodyEncoding::Binary if optional => quote!(Some(args.upload())),
        BodyEncoding::Binary => quote!(args.upload()),
        BodyEncoding::Multipart => {
            let form = match &body.ty {
                TypeRef::Named(name) => types.iter().find(|def| &def.name == name),
                _ => None,
            };
            let Some(TypeKind::Form(form)) = form.map(|def| &def.kind) else {
                return quote!(compile_error!("multipart body without a form type"));
            };
            let fields = form.parts.iter().map(|part| {
                let field = ident(&part.name);
                let wire = &part.wire_name;
                let value = match (&part.kind, part.required) {
                    (PartKind::File, true) => quote!(args.file_part(#wire)),
                    (PartKind::File, false) => quote!(Some(args.file_part(#wire))),
                    (PartKind::Files, _) => quote!(vec![args.file_part(#wire)]),
                    (PartKind::Text(ty) | PartKind::Json(ty), true) => {
                        let ty = type_tokens(ty, Scope::Sibling);
                        quote!(args.form_part::<#ty>(#wire)?)
                    }
                    (PartKind::Text(ty) | PartKind::Json(ty), false) => {
                        let ty = type_tokens(ty, Scope::Sibling);
                        quote!(args.optional_form_part::<#ty>(#wire)?)
                    }
                };
                quote!(#field: #value,)
            });
            let value = quote!(#ty { #(#fields)* });
            if optional {
                quote!(Some(#value))
            } else {
                value
            }
        }
    }
}

fn call_arm(op: &Operation, types: &[TypeDef]) -> TokenStream {
    let name = &op.name;
    let method = ident(&op.name);
    let required = op.params.iter().filter(|p| p.required).map(|param| {
        let ty = type_tokens(&param.ty, Scope::Sibling);
        let (loc, wire) = (location(param.location), &param.wire_name);
        quote!(args.required::<#ty>(#loc, #wire)?)
    });
    let body_arg = op
        .body
        .as_ref()
        .filter(|b| b.required)
        .map(|body| body_value(body, types, false));
    let args = required.chain(body_arg);
    let optional = op.params.iter().filter(|p| !p.required).map(|param| {
        let ty = type_tokens(&param.ty, Scope::Sibling);
        let setter = ident(&param.name);
        let (loc, wire) = (location(param.location), &param.wire_name);
        quote! {
            let request = match args.optional::<#ty>(#loc, #wire)? {
                Some(value) => request.#setter(value),
                None => request,
            };
        }
    });
    let optional_body = op.body.as_ref().filter(|b| !b.required).map(|body| {
        let value = body_value(body, types, true);
        quote! {
            let request = match #value {
                Some(value) => request.body(value),
                None => request,
            };
        }
    });
    quote! {
        #name => {
            let request = client.#method(#(#args),*);
            #(#optional)*
            #optional_body
            let response = request.send_with_response().await.map_err(CallFailure::Client)?;
            Ok(crate::Called::from_parts(response.status(), response.headers()))
        }
    }
}
