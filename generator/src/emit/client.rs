//! Emits a version module's `Client` and one request builder per operation.
//!
//! Every non-generic function emitted here (client methods, `new`, `to_request`, setters,
//! pagination accessors) is `#[inline]`: an inline function is not compiled in the crate that
//! defines it unless something compiled there calls it, so the intercom-api build only
//! type-checks operations, and a user's crate compiles (with each body type's serialization)
//! only the operations it calls. Without it, every enabled operation was compiled to machine
//! code in the library whether used or not.

use super::tokens::{
    cfg_features, cfg_items, doc_attrs, file_with_items, ident, type_tokens, uses_path, Scope,
};
use crate::ir::{
    Api, BodyEncoding, FieldPath, HttpMethod, Operation, Pagination, PaginationStyle, Param,
    ParamLocation, ParamSerialization, ParamStyle, PathSegment, RequestBody, SuccessResponse,
    TypeRef,
};
use crate::names::OPERATIONS_RUNTIME_IMPORTS;
use proc_macro2::TokenStream;
use quote::quote;

/// The version module's root: the version constant and the `Client` with one method per operation.
pub fn client_module(
    api: &Api,
    version_doc: &str,
    example_docs: &std::collections::HashMap<String, String>,
) -> TokenStream {
    let version = &api.version;
    let methods = api
        .operations
        .iter()
        .map(|op| client_method(op, example_docs.get(&op.name)));
    let module_doc = format!(" {version_doc}");
    quote! {
        #![doc = #module_doc]
        pub mod operations;
        pub mod types;
        pub mod webhooks;
        #[cfg(feature = "test-util")]
        mod examples;

        use crate::runtime::{ClientBuilder, RateLimit, Transport};

        /// The `Intercom-Version` this module was generated from; every request sends it.
        pub const API_VERSION: &str = #version;

        /// A client for this version of the Intercom API.
        ///
        /// Cheap to clone: clones share the connection pool and the last seen rate limit.
        /// Every method returns a request builder; await it (or call `send`) to make the call.
        #[derive(Clone, Debug)]
        pub struct Client {
            transport: Transport,
        }

        impl Client {
            /// A client for the US region with default settings, authenticated with `token`.
            ///
            /// # Panics
            ///
            /// When `token` is empty or blank (e.g. an unset environment variable read with
            /// `unwrap_or_default`), or the TLS backend cannot be initialised (as
            /// `reqwest::Client::new` does). [`Client::builder`] returns both as an
            /// [`Error::Config`](crate::Error::Config) instead, and `.token_from_env()` reads
            /// `INTERCOM_API_KEY` with an error that names it when it is unset.
            pub fn new(token: impl Into<String>) -> Self {
                match Self::builder().token(token).build() {
                    Ok(client) => client,
                    Err(error) => panic!("cannot build the Intercom client: {error}"),
                }
            }

            /// Configures a client: region, base URL, timeouts, retries, user agent, HTTP client.
            pub fn builder() -> ClientBuilder<Self> {
                ClientBuilder::new(API_VERSION)
            }

            /// The HTTP transport this client sends requests through.
            pub fn transport(&self) -> &Transport {
                &self.transport
            }

            /// The rate limit the API reported on the last response, if any.
            pub fn rate_limit(&self) -> Option<RateLimit> {
                self.transport.last_rate_limit()
            }

            #(#methods)*
        }

        /// Shares the transport (connection pool, token, region, retries, rate limit); requests
        /// send this module's `Intercom-Version` unless the builder set one explicitly.
        impl From<Transport> for Client {
            fn from(transport: Transport) -> Self {
                Self { transport: transport.for_module_version(API_VERSION) }
            }
        }
    }
}

fn client_method(op: &Operation, example_doc: Option<&String>) -> TokenStream {
    let name = ident(&op.name);
    let builder = ident(&op.builder_name);
    let required = required_inputs(op);
    let args = required.iter().map(|input| {
        let name = ident(&input.name);
        let ty = &input.arg_type;
        quote!(#name: #ty)
    });
    let values = required.iter().map(|input| {
        let name = ident(&input.name);
        if input.into {
            quote!(#name.into())
        } else {
            quote!(#name)
        }
    });
    let endpoint = format!("`{} {}`", method_name(op.method), op.path);
    let stream_doc = op.pagination.as_ref().map(|_| {
        "Paginated: [`Request::into_stream`](crate::runtime::Request::into_stream) yields every \
         item across pages, [`Request::pages`](crate::runtime::Request::pages) every page."
            .to_owned()
    });
    let deprecated = op.deprecated.then_some("**Deprecated.**");
    let docs = doc_attrs([
        deprecated,
        op.docs.as_deref(),
        Some(&endpoint),
        stream_doc.as_deref(),
        example_doc.map(String::as_str),
    ]);
    let args: Vec<TokenStream> = args.collect();
    // Each method (and its alias) is compiled with its resource's feature.
    let cfg = cfg_features(&op.resources);
    let alias = op.renamed_from.as_ref().map(|old| {
        let old = ident(old);
        let names = required.iter().map(|input| ident(&input.name));
        let note = format!("renamed to `{}` (the upstream name is a typo)", op.name);
        let doc = format!(" The upstream name of [`Client::{}`].", op.name);
        quote! {
            #cfg
            #[doc = #doc]
            #[deprecated(note = #note)]
            #[inline]
            pub fn #old(&self, #(#args),*) -> crate::runtime::Request<operations::#builder> {
                self.#name(#(#names),*)
            }
        }
    });
    quote! {
        #cfg
        #docs
        #[inline]
        pub fn #name(&self, #(#args),*) -> crate::runtime::Request<operations::#builder> {
            let inputs = operations::#builder::new(#(#values),*);
            crate::runtime::Request::new(&self.transport, inputs)
        }
        #alias
    }
}

/// A required input of an operation: a path parameter, a required query/header parameter, or
/// a required body. Required inputs are method arguments; everything else is a builder setter.
struct Input {
    name: String,
    /// Type of the builder field.
    field_type: TokenStream,
    /// Type of the method argument (`impl Into<String>` for strings).
    arg_type: TokenStream,
    /// The argument converts into the field with `.into()`.
    into: bool,
}

fn required_inputs(op: &Operation) -> Vec<Input> {
    let mut inputs: Vec<Input> = op
        .params
        .iter()
        .filter(|p| p.required)
        .map(param_input)
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        let ty = type_tokens(&body.ty, Scope::Sibling);
        inputs.push(Input {
            name: "body".to_owned(),
            field_type: ty.clone(),
            arg_type: ty,
            into: false,
        });
    }
    inputs
}

/// Text and points in time are taken as `impl Into<_>`: `&str`, `&String`; `i64`, `SystemTime`.
fn takes_into(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Timestamp)
}

fn param_input(param: &Param) -> Input {
    let ty = type_tokens(&param.ty, Scope::Sibling);
    if takes_into(&param.ty) {
        Input {
            name: param.name.clone(),
            field_type: ty.clone(),
            arg_type: quote!(impl Into<#ty>),
            into: true,
        }
    } else {
        Input {
            name: param.name.clone(),
            field_type: ty.clone(),
            arg_type: ty,
            into: false,
        }
    }
}

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Head => "HEAD",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Trace => "TRACE",
    }
}

/// The `operations` module: one request builder per operation.
pub fn operations_module(api: &Api) -> syn::Result<syn::File> {
    let builders: Vec<TokenStream> = api.operations.iter().map(builder).collect();
    // Only what the builders use is imported: a description without operations, or whose
    // operations name no schema, must not leave `unused_imports` warnings.
    let parent = if builders.iter().any(|tokens| uses_path(tokens, "types")) {
        quote!(
            use super::{types, Client};
        )
    } else {
        quote!(
            use super::Client;
        )
    };
    let imports = (!api.operations.is_empty()).then(|| {
        // The same list lowering keeps builder names away from.
        let runtime = OPERATIONS_RUNTIME_IMPORTS.iter().map(|name| ident(name));
        // With only some resources' features on, only some builders (or none) are compiled.
        quote! {
            #[allow(unused_imports)]
            #parent
            #[allow(unused_imports)]
            use crate::runtime::{#(#runtime),*};
        }
    });
    let head = quote! {
        //! The inputs of each operation, and how they become an HTTP request. A client method
        //! returns a [`Request`] of them: set optional inputs on it, then await it (or call
        //! `send`), or `send_with_response` for the status and headers too.
        #imports
    };
    let items = api
        .operations
        .iter()
        .zip(builders)
        .map(|(op, tokens)| cfg_items(&cfg_features(&op.resources), tokens));
    file_with_items(head, items)
}

fn builder(op: &Operation) -> TokenStream {
    let name = ident(&op.builder_name);
    let mut struct_doc = format!(
        "The inputs of [`Client::{}`]: `{} {}`.",
        op.name,
        method_name(op.method),
        op.path
    );
    if op.params.iter().any(|p| !p.required) || op.body.as_ref().is_some_and(|b| !b.required) {
        struct_doc.push_str(" Optional inputs are set on the [`Request`] the method returns.");
    }
    let required = required_inputs(op);
    let required_fields = required.iter().map(|input| {
        let field = ident(&input.name);
        let ty = &input.field_type;
        quote!(#field: #ty,)
    });
    let required_names: Vec<_> = required.iter().map(|input| ident(&input.name)).collect();
    let required_params = required.iter().map(|input| {
        let field = ident(&input.name);
        let ty = &input.field_type;
        quote!(#field: #ty)
    });
    let optional: Vec<&Param> = op.params.iter().filter(|p| !p.required).collect();
    let optional_fields = optional.iter().map(|param| {
        let field = ident(&param.name);
        let ty = type_tokens(&param.ty, Scope::Sibling);
        quote!(#field: Option<#ty>,)
    });
    let optional_names: Vec<_> = optional.iter().map(|param| ident(&param.name)).collect();
    let setters: Vec<TokenStream> = optional.iter().map(|param| setter(param)).collect();
    let (body_field, body_init, body_setter) = optional_body(op);
    let answer = answer_type(&op.response);
    let to_request = to_request_fn(op);
    let setters_impl = (!setters.is_empty() || !body_setter.is_empty()).then(|| {
        quote! {
            impl Request<#name> {
                #(#setters)*
                #body_setter
            }
        }
    });
    let paginated = op.pagination.as_ref().map(|p| paginated_impl(op, p));
    let struct_doc = doc_attrs([Some(struct_doc.as_str())]);
    quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        pub struct #name {
            #(#required_fields)*
            #(#optional_fields)*
            #body_field
        }

        impl #name {
            #[inline]
            pub(super) fn new(#(#required_params),*) -> Self {
                Self {
                    #(#required_names,)*
                    #(#optional_names: None,)*
                    #body_init
                }
            }
        }

        impl Endpoint for #name {
            type Answer = #answer;

            #to_request
        }

        #setters_impl
        #paginated
    }
}

fn setter(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let docs = doc_attrs([param.docs.as_deref()]);
    if takes_into(&param.ty) {
        let ty = type_tokens(&param.ty, Scope::Sibling);
        quote! {
            #docs
            pub fn #field(mut self, value: impl Into<#ty>) -> Self {
                self.endpoint.#field = Some(value.into());
                self
            }
        }
    } else {
        let ty = type_tokens(&param.ty, Scope::Sibling);
        quote! {
            #docs
            #[inline]
            pub fn #field(mut self, value: #ty) -> Self {
                self.endpoint.#field = Some(value);
                self
            }
        }
    }
}

fn optional_body(op: &Operation) -> (TokenStream, TokenStream, TokenStream) {
    match op.body.as_ref().filter(|b| !b.required) {
        None => (TokenStream::new(), TokenStream::new(), TokenStream::new()),
        Some(body) => {
            let ty = type_tokens(&body.ty, Scope::Sibling);
            let docs = doc_attrs([body.docs.as_deref().or(Some("The request body."))]);
            (
                quote!(body: Option<#ty>,),
                quote!(body: None,),
                quote! {
                    #docs
                    pub fn body(mut self, body: #ty) -> Self {
                        self.endpoint.body = Some(body);
                        self
                    }
                },
            )
        }
    }
}

/// How the runtime reads the answer (`crate::runtime::endpoint::*`), which gives `send`'s type.
fn answer_type(response: &SuccessResponse) -> TokenStream {
    match response {
        SuccessResponse::Json(ty) => {
            let ty = type_tokens(ty, Scope::Sibling);
            quote!(crate::runtime::endpoint::Json<#ty>)
        }
        SuccessResponse::Text(_) => quote!(crate::runtime::endpoint::Text),
        SuccessResponse::Binary(_) => quote!(crate::runtime::endpoint::Bytes),
        SuccessResponse::Redirect => quote!(crate::runtime::endpoint::RedirectTo),
        SuccessResponse::Empty => quote!(crate::runtime::endpoint::NoContent),
        SuccessResponse::Undeclared => quote!(crate::runtime::endpoint::AnyJson),
    }
}

/// `Endpoint::to_request`: the path, parameters, headers and body of the HTTP request.
fn to_request_fn(op: &Operation) -> TokenStream {
    let path = path_expr(op);
    let method = ident(method_name(op.method));
    let (operation, template) = (&op.name, &op.path);
    let query = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Query)
        .map(query_param_step);
    let headers = op
        .params
        .iter()
        .filter(|p| matches!(p.location, ParamLocation::Header | ParamLocation::Cookie))
        .map(|param| request_step(param, header_step(param)));
    let fixed_headers = op
        .fixed_headers
        .iter()
        .map(|(name, value)| quote!(let request = request.header(#name, #value)?;));
    // The runtime asks for `application/json` by default; other answers ask for their own.
    let accept = match &op.accept {
        Some(media_type) => quote!(let request = request.header("Accept", #media_type)?;),
        None => TokenStream::new(),
    };
    let body = match &op.body {
        Some(body) if body.required => {
            let apply = body_step(body, quote!(&self.body), quote!(self.body));
            quote!(let request = #apply;)
        }
        Some(body) => {
            let apply = body_step(body, quote!(body), quote!(body));
            quote! {
                let request = match &self.body {
                    Some(body) => #apply,
                    None => request,
                };
            }
        }
        None => TokenStream::new(),
    };
    quote! {
        #[inline]
        fn to_request(&self) -> Result<ApiRequest, Error> {
            let request = ApiRequest::new(reqwest::Method::#method, #path);
            let request = request.operation(#operation);
            let request = request.path_template(#template);
            #(#query)*
            #(#headers)*
            #(#fixed_headers)*
            #accept
            #body
            Ok(request)
        }
    }
}

/// An optional query parameter written as text is one `query_opt` call; others are steps.
fn query_param_step(param: &Param) -> TokenStream {
    if param.required || param.serialization != ParamSerialization::Display {
        return request_step(param, query_step(param));
    }
    let (field, wire) = (ident(&param.name), &param.wire_name);
    quote!(let request = request.query_opt(#wire, self.#field.as_ref());)
}

/// Shadows `request` with the parameter applied; optional parameters only when set.
fn request_step(param: &Param, apply: TokenStream) -> TokenStream {
    let field = ident(&param.name);
    if param.required {
        quote! {
            let value = &self.#field;
            let request = #apply;
        }
    } else {
        quote! {
            let request = match &self.#field {
                Some(value) => #apply,
                None => request,
            };
        }
    }
}

fn query_step(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    match param.serialization {
        ParamSerialization::Display => quote!(request.query(#wire, value)),
        ParamSerialization::Styled { style, explode } => {
            let style = style_tokens(style);
            quote!(request.query_styled(#wire, #style, #explode, value)?)
        }
        ParamSerialization::Json => {
            quote!(request.query(#wire, crate::runtime::style::json_text(#wire, value)?))
        }
    }
}

/// Headers, and cookies (which are headers too).
fn header_step(param: &Param) -> TokenStream {
    let wire = &param.wire_name;
    if param.location == ParamLocation::Cookie {
        let explode = matches!(
            param.serialization,
            ParamSerialization::Styled { explode: true, .. }
        );
        return quote!(request.cookie(#wire, #explode, value)?);
    }
    let text = match param.serialization {
        ParamSerialization::Display => quote!(value.to_string()),
        ParamSerialization::Styled { explode, .. } => {
            quote!(crate::runtime::style::header_value(#wire, #explode, value)?)
        }
        ParamSerialization::Json => quote!(crate::runtime::style::json_text(#wire, value)?),
    };
    quote!(request.header(#wire, &#text)?)
}

/// The path text of a parameter, already percent-encoded.
fn path_piece(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let wire = &param.wire_name;
    match param.serialization {
        ParamSerialization::Display => {
            quote!(crate::runtime::encode_path_segment(&self.#field.to_string()))
        }
        ParamSerialization::Styled { style, explode } => {
            let style = style_tokens(style);
            quote!(crate::runtime::style::path_value(#wire, #style, #explode, &self.#field)?)
        }
        ParamSerialization::Json => quote!(crate::runtime::encode_path_segment(
            &crate::runtime::style::json_text(#wire, &self.#field)?
        )),
    }
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    let variant = ident(match style {
        ParamStyle::Form => "Form",
        ParamStyle::Simple => "Simple",
        ParamStyle::Label => "Label",
        ParamStyle::Matrix => "Matrix",
        ParamStyle::SpaceDelimited => "SpaceDelimited",
        ParamStyle::PipeDelimited => "PipeDelimited",
        ParamStyle::DeepObject => "DeepObject",
    });
    quote!(crate::runtime::style::Style::#variant)
}

/// Applies the body to `request`, in its encoding: `reference` is an expression of type `&T`,
/// `receiver` one that methods can be called on.
fn body_step(body: &RequestBody, reference: TokenStream, receiver: TokenStream) -> TokenStream {
    let media_type = &body.media_type;
    match body.encoding {
        BodyEncoding::Json if media_type == "application/json" => {
            quote!(request.json(#reference)?)
        }
        BodyEncoding::Json => quote!(request.json_as(#reference, #media_type)?),
        BodyEncoding::Form => quote!(request.form(#reference)?),
        BodyEncoding::Multipart => quote!(request.multipart(#receiver.to_multipart()?)),
        BodyEncoding::Binary => quote!(request.upload(#receiver.clone(), #media_type)?),
        BodyEncoding::Text => quote!(request.body(#media_type, #receiver.clone())?),
    }
}

/// The request path with each parameter percent-encoded, so no value can change the path.
fn path_expr(op: &Operation) -> TokenStream {
    let pieces = op.path_segments.iter().map(|segment| match segment {
        PathSegment::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
            [single] => quote!(path.push(#single);),
            _ => quote!(path.push_str(#text);),
        },
        PathSegment::Param(index) => {
            let piece = path_piece(&op.params[*index]);
            quote!(path.push_str(&#piece);)
        }
    });
    if let [PathSegment::Literal(text)] = op.path_segments.as_slice() {
        return quote!(#text.to_owned());
    }
    quote! {{
        let mut path = String::new();
        #(#pieces)*
        path
    }}
}

/// `Paginated`: where a page's items are, which page comes next, and how to ask for it.
fn paginated_impl(op: &Operation, pagination: &Pagination) -> TokenStream {
    let name = ident(&op.builder_name);
    let page = output_type(&op.response);
    let item = type_tokens(&pagination.item_type, Scope::Sibling);
    let items = items_access(&pagination.items);
    let (cursor, next, set) = match &pagination.style {
        PaginationStyle::QueryCursor { param, next } | PaginationStyle::Scroll { param, next } => {
            let field = ident(param);
            let value = if param_is_required(op, param) {
                quote!(cursor)
            } else {
                quote!(Some(cursor))
            };
            (
                quote!(String),
                access_chain(next, quote!(.cloned())),
                quote!(self.#field = #value;),
            )
        }
        PaginationStyle::BodyCursor { cursor, next } => {
            let target = body_cursor_target(cursor);
            (
                quote!(String),
                access_chain(next, quote!(.cloned())),
                quote!(#target;),
            )
        }
        PaginationStyle::PageNumber { param, total_pages } => {
            let field = ident(param);
            let total = access_chain(total_pages, quote!(.copied()));
            let (current, value) = if param_is_required(op, param) {
                (quote!(self.#field), quote!(cursor))
            } else {
                (quote!(self.#field.unwrap_or(1)), quote!(Some(cursor)))
            };
            let next = quote! {{
                let current = #current;
                let total: Option<i64> = #total;
                total.filter(|total| current < *total).map(|_| current + 1)
            }};
            (quote!(i64), next, quote!(self.#field = #value;))
        }
    };
    quote! {
        impl Paginated for #name {
            type Item = #item;
            type Cursor = #cursor;

            #[inline]
            fn items(page: &mut #page) -> Option<&mut Vec<#item>> {
                #items
            }

            #[inline]
            fn next_cursor(&self, page: &#page) -> Option<#cursor> {
                #next
            }

            #[inline]
            fn set_cursor(&mut self, cursor: #cursor) {
                #set
            }
        }
    }
}

/// The type of a JSON answer (pages are JSON).
fn output_type(response: &SuccessResponse) -> TokenStream {
    match response {
        SuccessResponse::Json(ty) => type_tokens(ty, Scope::Sibling),
        _ => quote!(serde_json::Value),
    }
}

fn param_is_required(op: &Operation, name: &str) -> bool {
    op.params.iter().any(|p| p.name == name && p.required)
}

/// `Some(page).and_then(|v| v.pages.as_ref()).map(|v| &v.next)...` then `finish`.
fn access_chain(path: &FieldPath, finish: TokenStream) -> TokenStream {
    let steps = path.iter().map(|step| {
        let field = ident(&step.name);
        match (step.optional, step.boxed) {
            (true, false) => quote!(.and_then(|value| value.#field.as_ref())),
            (true, true) => quote!(.and_then(|value| value.#field.as_deref())),
            (false, false) => quote!(.map(|value| &value.#field)),
            (false, true) => quote!(.map(|value| &*value.#field)),
        }
    });
    quote!(Some(page) #(#steps)* #finish)
}

/// The page's items, mutably: `Some(page).and_then(|v| v.data.as_mut())`.
fn items_access(path: &FieldPath) -> TokenStream {
    let steps = path.iter().map(|step| {
        let field = ident(&step.name);
        match (step.optional, step.boxed) {
            (true, false) => quote!(.and_then(|value| value.#field.as_mut())),
            (true, true) => quote!(.and_then(|value| value.#field.as_deref_mut())),
            (false, false) => quote!(.map(|value| &mut value.#field)),
            (false, true) => quote!(.map(|value| &mut *value.#field)),
        }
    });
    quote!(Some(page) #(#steps)*)
}

/// `self.body.pagination.get_or_insert_with(Default::default).starting_after = Some(cursor)`.
fn body_cursor_target(path: &FieldPath) -> TokenStream {
    let mut target = quote!(self.body);
    for (index, step) in path.iter().enumerate() {
        let field = ident(&step.name);
        target = quote!(#target.#field);
        let last = index + 1 == path.len();
        if last {
            let value = if step.optional {
                quote!(Some(cursor))
            } else {
                quote!(cursor)
            };
            target = quote!(#target = #value);
        } else if step.optional {
            target = quote!(#target.get_or_insert_with(Default::default));
        }
    }
    target
}
