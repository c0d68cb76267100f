//! Each operation's request example (`Api::request_examples`) as Rust: the client call that
//! sends it, built with the generated types. Shown in the client method's docs and compiled, and
//! run against the `test-util` mock, in one test file per version (`tests/examples_{module}.rs`).
//!
//! The expression of a value is driven by the IR type it must have, never by the JSON alone:
//! structs become literals (`..Default::default()` for the fields the example leaves out),
//! enums their variant, unions the variant the value fits best, newtypes and boxes their
//! wrapper. The description's examples often contradict their schemas (an integer where a
//! string is declared): a scalar is converted where its text allows, anything else is replaced
//! by a minimal value of the type, and both are counted in the test file's docs.

use super::tokens::{cfg_features, ident, type_tokens, uses_path, Scope};
use crate::ir::{
    Api, EnumValue, ExampleSource, ExampleValue, Field, Form, Operation, Param, PartKind,
    RequestExample, Struct, SuccessResponse, TypeDef, TypeKind, TypeRef, Union,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;
use std::collections::HashMap;

/// How deep values are followed: examples are shallow, and a recursive type's minimal value
/// ends here.
const MAX_DEPTH: usize = 24;

/// How well an example fit the types it was written into.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// Values that did not fit at all and became a minimal value of the type.
    replaced: usize,
    /// Scalars converted to the declared kind (`"42"` for an integer, `42` for a string).
    converted: usize,
    /// Properties the type does not declare, left out.
    dropped: usize,
}

impl Fit {
    fn add(&mut self, other: Fit) {
        self.replaced += other.replaced;
        self.converted += other.converted;
        self.dropped += other.dropped;
    }

    fn is_exact(&self) -> bool {
        *self == Fit::default()
    }
}

/// One operation's example call: `client.method(..).setter(..)` (without `.await`).
struct Call {
    operation: String,
    resources: Vec<String>,
    call: TokenStream,
    returns_value: bool,
    fit: Fit,
    sources: Vec<ExampleSource>,
}

/// Builds Rust expressions of the generated types from example JSON.
struct Builder<'a> {
    types: HashMap<&'a str, &'a TypeDef>,
    /// The path of the generated crate (`intercom_api`) for the runtime's `Upload`.
    crate_path: TokenStream,
}

/// The rustdoc of each operation's example, by operation name: the call in an `ignore` block
/// (it is compiled in the test file instead, once, rather than as one doctest each).
pub fn method_docs(api: &Api, module: &str, crate_name: &str) -> HashMap<String, String> {
    calls(api, crate_name)
        .into_iter()
        .map(|call| {
            let code = render_statement(&doc_statement(&call));
            let doc = format!(
                "# Example\n\n```ignore\n{code}\n```\n\nCompiled, and run against `test_util::MockApi`, in the crate's `tests/examples_{module}.rs`."
            );
            (call.operation, doc)
        })
        .collect()
}

/// `tests/examples_{module}.rs` of the generated crate: every example as an async function,
/// each behind its operation's resource features, and one test that runs them all against the
/// mock and checks that each sent its request.
pub fn test_file(api: &Api, module: &str, crate_name: &str) -> TokenStream {
    let calls = calls(api, crate_name);
    let crate_ident = ident(crate_name);
    let module_ident = ident(module);
    let functions: Vec<TokenStream> = calls.iter().map(example_fn).collect();
    let checks = calls.iter().map(|call| {
        let cfg = cfg_features(&call.resources);
        let name = ident(&call.operation);
        let operation = &call.operation;
        quote! {
            #cfg
            check(&mock, #operation, block_on(#name(&client)), &mut failures);
        }
    });
    let all: TokenStream = functions.iter().cloned().collect();
    let types_import = uses_path(&all, "types").then(|| quote!(types,));
    let summary = summary(&calls);
    let header = format!(
        " Every `{module}::Client` method's documented example (its `# Example`), compiled, and run against `test_util::MockApi`, which answers with the description's response examples: each example must send its request.\n\n {summary}"
    );
    let header_lines = header.lines().map(|line| line.trim_end().to_owned());
    quote! {
        #( #![doc = #header_lines] )*
        #![cfg(all(feature = #module, feature = "test-util"))]
        // Formatted by prettyplease when generated; rustfmt would make it stale.
        #![cfg_attr(rustfmt, rustfmt::skip)]
        // With only some resources' features on, some examples (or all) are left out.
        #![cfg_attr(not(feature = "all-resources"), allow(dead_code, unused_imports))]
        // Large examples nest deeply in `serde_json::json!`.
        #![recursion_limit = "512"]

        use #crate_ident::futures::executor::block_on;
        use #crate_ident::test_util::MockApi;
        use #crate_ident::#module_ident::{#types_import Client};
        use #crate_ident::Error;

        #all

        #[test]
        fn every_example_sends_its_request() {
            let mock = MockApi::new();
            // The mock answers at once; a retry would wait on a timer no executor drives here.
            let client: Client = mock.builder().max_retries(0).build().expect("a mock client");
            let mut failures: Vec<String> = Vec::new();
            #(#checks)*
            assert!(failures.is_empty(), "examples that did not send their request:\n{}", failures.join("\n"));
        }

        /// The example sent exactly one request; its answer (the description's example, or
        /// an error where it has none) is not the example's concern.
        fn check(mock: &MockApi, operation: &str, result: Result<(), Error>, failures: &mut Vec<String>) {
            let sent = mock.requests_to(operation).len();
            if sent != 1 {
                failures.push(format!("{operation}: {sent} requests sent ({result:?})"));
            }
        }
    }
}

fn calls(api: &Api, crate_name: &str) -> Vec<Call> {
    let crate_ident = ident(crate_name);
    let builder = Builder {
        types: api.types.iter().map(|t| (t.name.as_str(), t)).collect(),
        crate_path: quote!(#crate_ident),
    };
    let examples: HashMap<&str, &RequestExample> = api
        .request_examples
        .iter()
        .map(|example| (example.operation.as_str(), example))
        .collect();
    api.operations
        .iter()
        .map(|op| builder.call(op, examples.get(op.name.as_str()).copied()))
        .collect()
}

fn example_fn(call: &Call) -> TokenStream {
    let cfg = cfg_features(&call.resources);
    let name = ident(&call.operation);
    let expr = &call.call;
    quote! {
        #cfg
        async fn #name(client: &Client) -> Result<(), Error> {
            #expr.await?;
            Ok(())
        }
    }
}

fn doc_statement(call: &Call) -> TokenStream {
    let expr = &call.call;
    if call.returns_value {
        quote!(let response = #expr.await?;)
    } else {
        quote!(#expr.await?;)
    }
}

/// The statement as prettyplease prints it (the body of a function, dedented).
fn render_statement(statement: &TokenStream) -> String {
    let file = quote!(
        fn example() {
            #statement
        }
    );
    let Ok(file) = syn::parse2::<syn::File>(file) else {
        // Invalid tokens are reported when the test file, which holds the same call, is parsed.
        return statement.to_string();
    };
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    let body = lines
        .get(1..lines.len().saturating_sub(1))
        .unwrap_or_default();
    body.iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The counts stated in the test file's docs.
fn summary(calls: &[Call]) -> String {
    let count = |source: ExampleSource| {
        calls
            .iter()
            .filter(|call| call.sources.contains(&source))
            .count()
    };
    let placeholders_only = calls
        .iter()
        .filter(|call| {
            call.sources
                .iter()
                .all(|source| *source == ExampleSource::Placeholder)
        })
        .count();
    let mut total = Fit::default();
    for call in calls {
        total.add(call.fit);
    }
    let misfits = calls.iter().filter(|call| !call.fit.is_exact()).count();
    format!(
        "{} operations, each with an example: {} use the description's request or parameter examples, {} its schemas' property examples, {} only placeholders (or nothing to send). {misfits} examples do not fit their schema: {} scalars converted, {} values replaced by a minimal value of their type, {} undeclared properties left out.",
        calls.len(),
        count(ExampleSource::Description),
        count(ExampleSource::SchemaExamples),
        placeholders_only,
        total.converted,
        total.replaced,
        total.dropped,
    )
}

impl Builder<'_> {
    /// The call: the required inputs as arguments (in the order the method takes them:
    /// required parameters, then a required body), optional ones through their setters.
    fn call(&self, op: &Operation, example: Option<&RequestExample>) -> Call {
        let mut fit = Fit::default();
        let mut sources = Vec::new();
        let param_value = |param: &Param| {
            example
                .and_then(|e| e.params.iter().find(|p| p.name == param.name))
                .map(|p| &p.value)
        };
        let mut args = Vec::new();
        let mut setters = Vec::new();
        for param in &op.params {
            let value = param_value(param);
            if let Some(value) = value {
                sources.push(value.source);
            }
            let expr = match value {
                Some(value) => self.argument(&value.value, &param.ty, &mut fit),
                None if param.required => self.minimal(&param.ty, 0),
                None => continue,
            };
            if param.required {
                args.push(expr);
            } else {
                let setter = ident(&param.name);
                setters.push(quote!(.#setter(#expr)));
            }
        }
        if let Some(body) = &op.body {
            let value = example.and_then(|e| e.body.as_ref());
            if let Some(value) = value {
                sources.push(value.source);
            }
            let expr = match value {
                Some(ExampleValue { value, .. }) => Some(self.value(value, &body.ty, &mut fit, 0)),
                None if body.required => Some(self.minimal(&body.ty, 0)),
                None => None,
            };
            match expr {
                Some(expr) if body.required => args.push(expr),
                Some(expr) => setters.push(quote!(.body(#expr))),
                None => {}
            }
        }
        let method = ident(&op.name);
        Call {
            operation: op.name.clone(),
            resources: op.resources.clone(),
            call: quote!(client.#method(#(#args),*) #(#setters)*),
            returns_value: !matches!(op.response, SuccessResponse::Empty),
            fit,
            sources,
        }
    }

    /// A method argument or setter value: strings are taken as `impl Into<String>`, so a
    /// literal is enough.
    fn argument(&self, value: &Value, ty: &TypeRef, fit: &mut Fit) -> TokenStream {
        if *ty == TypeRef::String {
            if let Some(text) = self.text(value, fit) {
                return quote!(#text);
            }
        }
        self.value(value, ty, fit, 0)
    }

    /// The text of a string value; numbers and booleans converted (and counted).
    fn text(&self, value: &Value, fit: &mut Fit) -> Option<String> {
        match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(_) | Value::Bool(_) => {
                fit.converted += 1;
                Some(value.to_string())
            }
            _ => None,
        }
    }

    /// An expression of type `ty` holding `value`, as far as it fits.
    fn value(&self, value: &Value, ty: &TypeRef, fit: &mut Fit, depth: usize) -> TokenStream {
        if depth > MAX_DEPTH {
            fit.replaced += 1;
            return self.minimal(ty, depth);
        }
        let built = match ty {
            TypeRef::Named(name) => self.named(name, value, fit, depth),
            TypeRef::String => self.text(value, fit).map(|text| quote!(#text.to_owned())),
            TypeRef::Integer => integer(value, fit),
            TypeRef::Timestamp => integer(value, fit).map(|seconds| {
                let crate_path = &self.crate_path;
                quote!(#crate_path::Timestamp::from_unix_seconds(#seconds))
            }),
            TypeRef::Number => number(value, fit),
            TypeRef::Boolean => boolean(value, fit),
            TypeRef::Json => Some(json_macro(value)),
            TypeRef::Object => value.as_object().map(|object| {
                let entries = object.iter().map(|(key, value)| {
                    let value = json_macro(value);
                    quote!((#key.to_owned(), #value))
                });
                quote!(serde_json::Map::from_iter([#(#entries),*]))
            }),
            TypeRef::Array(item) => Some(self.array(value, item, fit, depth)),
            TypeRef::Map(item) => value.as_object().map(|object| {
                let entries = object.iter().map(|(key, value)| {
                    let value = self.value(value, item, fit, depth + 1);
                    quote!((#key.to_owned(), #value))
                });
                quote!(std::collections::BTreeMap::from([#(#entries),*]))
            }),
            TypeRef::Boxed(inner) => {
                let inner = self.value(value, inner, fit, depth + 1);
                Some(quote!(Box::new(#inner)))
            }
            TypeRef::Nullable(inner) => Some(if value.is_null() {
                quote!(None)
            } else {
                let inner = self.value(value, inner, fit, depth + 1);
                quote!(Some(#inner))
            }),
            TypeRef::Binary => Some(self.upload(value)),
        };
        built.unwrap_or_else(|| {
            fit.replaced += 1;
            self.minimal(ty, depth)
        })
    }

    /// An array; a single value where an array is declared becomes its one item (converted).
    fn array(&self, value: &Value, item: &TypeRef, fit: &mut Fit, depth: usize) -> TokenStream {
        let items: Vec<TokenStream> = match value {
            Value::Array(items) => items
                .iter()
                .map(|value| self.value(value, item, fit, depth + 1))
                .collect(),
            single => {
                fit.converted += 1;
                vec![self.value(single, item, fit, depth + 1)]
            }
        };
        quote!(Vec::from([#(#items),*]))
    }

    fn upload(&self, value: &Value) -> TokenStream {
        let crate_path = &self.crate_path;
        let bytes = match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        quote!(#crate_path::Upload::bytes(#bytes))
    }

    fn named(&self, name: &str, value: &Value, fit: &mut Fit, depth: usize) -> Option<TokenStream> {
        let def = self.types.get(name)?;
        let path = type_tokens(&TypeRef::Named(name.to_owned()), Scope::Sibling);
        match &def.kind {
            TypeKind::Struct(s) => {
                let object = value.as_object()?;
                Some(self.struct_literal(&path, s, object, fit, depth))
            }
            // A tag is a unit struct: its one value is the type itself.
            TypeKind::Enum(e) if e.tag().is_some() => Some(quote!(#path)),
            TypeKind::Enum(e) => {
                let variant = e.variants.iter().find(|v| match (&v.value, value) {
                    (EnumValue::String(known), Value::String(given)) => known == given,
                    (EnumValue::Integer(known), Value::Number(given)) => {
                        given.as_i64() == Some(*known)
                    }
                    _ => false,
                })?;
                let variant = ident(&variant.name);
                Some(quote!(#path::#variant))
            }
            TypeKind::Union(u) => Some(self.union_variant(&path, u, value, fit, depth)),
            TypeKind::Alias(target) => Some(self.value(value, target, fit, depth + 1)),
            TypeKind::Newtype(target) => {
                let inner = self.value(value, target, fit, depth + 1);
                Some(quote!(#path(#inner)))
            }
            TypeKind::Form(form) => {
                let object = value.as_object()?;
                Some(self.form_literal(&path, form, object, fit, depth))
            }
        }
    }

    /// A struct literal with the example's properties; the rest from `Default` where the
    /// struct has it, else each field's minimal value. Undeclared properties go into a typed
    /// `additional_properties`, or are left out (and counted).
    fn struct_literal(
        &self,
        path: &TokenStream,
        s: &Struct,
        object: &serde_json::Map<String, Value>,
        fit: &mut Fit,
        depth: usize,
    ) -> TokenStream {
        let declared: Vec<&Field> = s.fields.iter().filter(|f| !f.flatten).collect();
        let mut fields = Vec::new();
        let mut omitted = false;
        for field in &declared {
            let member = ident(&field.name);
            let value = object.get(&field.wire_name);
            let expr = match value {
                Some(Value::Null) if field.is_optional() => None,
                Some(value) => {
                    let expr = self.value(value, &field.ty, fit, depth + 1);
                    Some(if field.is_optional() {
                        quote!(Some(#expr))
                    } else {
                        expr
                    })
                }
                None => None,
            };
            match expr {
                Some(expr) => fields.push(quote!(#member: #expr)),
                None if s.defaultable => omitted = true,
                None if field.is_optional() => fields.push(quote!(#member: None)),
                None => {
                    let minimal = self.minimal(&field.ty, depth + 1);
                    fields.push(quote!(#member: #minimal));
                }
            }
        }
        let undeclared: Vec<(&String, &Value)> = object
            .iter()
            .filter(|(key, _)| !declared.iter().any(|f| &f.wire_name == *key))
            .collect();
        let flattened = s.fields.iter().find(|f| f.flatten);
        match (&s.extra, flattened) {
            (crate::ir::ExtraProperties::Typed(item), None) if !undeclared.is_empty() => {
                let entries = undeclared.iter().map(|(key, value)| {
                    let value = self.value(value, item, fit, depth + 1);
                    quote!((#key.to_string(), #value))
                });
                fields.push(quote!(
                    additional_properties: std::collections::BTreeMap::from([#(#entries),*])
                ));
            }
            _ => {
                fit.dropped += undeclared.len();
                if s.defaultable {
                    omitted = true;
                } else if let Some(field) = flattened {
                    let member = ident(&field.name);
                    let minimal = self.minimal(&field.ty, depth + 1);
                    fields.push(quote!(#member: #minimal));
                } else {
                    fields.push(quote!(additional_properties: Default::default()));
                }
            }
        }
        let rest = omitted.then(|| quote!(..Default::default()));
        quote!(#path { #(#fields,)* #rest })
    }

    /// The variant named by the discriminator's value, else the declared variant the value
    /// fits best (fewest replaced, converted, then dropped values; the first on a tie); the
    /// fallback variant only when the union declares nothing else.
    fn union_variant(
        &self,
        path: &TokenStream,
        u: &Union,
        value: &Value,
        fit: &mut Fit,
        depth: usize,
    ) -> TokenStream {
        let tagged = u.discriminator.as_ref().and_then(|d| {
            let tag = value.get(&d.wire_name)?.as_str()?;
            d.values
                .iter()
                .find(|(_, known)| known == tag)
                .map(|(index, _)| *index)
        });
        let candidates: Vec<usize> = match tagged {
            Some(index) => vec![index],
            None => {
                let declared: Vec<usize> = (0..u.variants.len())
                    .filter(|&i| u.variants[i].ty != TypeRef::Json)
                    .collect();
                if declared.is_empty() {
                    (0..u.variants.len()).collect()
                } else {
                    declared
                }
            }
        };
        let best = candidates
            .into_iter()
            .filter_map(|index| {
                let variant = u.variants.get(index)?;
                let mut trial = Fit::default();
                let expr = self.value(value, &variant.ty, &mut trial, depth + 1);
                Some((trial, index, expr))
            })
            .min_by_key(|(trial, index, _)| (*trial, *index));
        match best {
            Some((trial, index, expr)) => {
                fit.add(trial);
                let variant = ident(&u.variants[index].name);
                quote!(#path::#variant(#expr))
            }
            None => {
                fit.replaced += 1;
                quote!(Default::default())
            }
        }
    }

    /// A multipart form literal: files from the example's text, other parts as their types.
    fn form_literal(
        &self,
        path: &TokenStream,
        form: &Form,
        object: &serde_json::Map<String, Value>,
        fit: &mut Fit,
        depth: usize,
    ) -> TokenStream {
        let crate_path = &self.crate_path;
        let parts = form.parts.iter().map(|part| {
            let member = ident(&part.name);
            let value = object.get(&part.wire_name);
            let wire = &part.wire_name;
            let expr = match (&part.kind, value) {
                (PartKind::File, Some(value)) => {
                    let upload = self.upload(value);
                    quote!(#upload.file_name(#wire))
                }
                (PartKind::File, None) => {
                    quote!(#crate_path::Upload::bytes("").file_name(#wire))
                }
                (PartKind::Files, Some(value)) => {
                    let upload = self.upload(value);
                    quote!(Vec::from([#upload.file_name(#wire)]))
                }
                (PartKind::Files, None) => quote!(Vec::new()),
                (PartKind::Text(ty) | PartKind::Json(ty), Some(value)) => {
                    self.value(value, ty, fit, depth + 1)
                }
                (PartKind::Text(ty) | PartKind::Json(ty), None) => self.minimal(ty, depth + 1),
            };
            let optional = part.kind != PartKind::Files && !part.required;
            let expr = match (optional, value) {
                (true, None) => quote!(None),
                (true, Some(_)) => quote!(Some(#expr)),
                (false, _) => expr,
            };
            quote!(#member: #expr)
        });
        quote!(#path { #(#parts),* })
    }

    /// The simplest value of a type: empty, zero, the first variant, `Default` where the type
    /// has it.
    fn minimal(&self, ty: &TypeRef, depth: usize) -> TokenStream {
        match ty {
            TypeRef::String => quote!(String::new()),
            TypeRef::Integer => quote!(0),
            TypeRef::Timestamp => {
                let crate_path = &self.crate_path;
                quote!(#crate_path::Timestamp::default())
            }
            TypeRef::Number => quote!(0.0),
            TypeRef::Boolean => quote!(false),
            TypeRef::Json => quote!(serde_json::Value::Null),
            TypeRef::Object => quote!(serde_json::Map::new()),
            TypeRef::Array(_) => quote!(Vec::new()),
            TypeRef::Map(_) => quote!(std::collections::BTreeMap::new()),
            TypeRef::Nullable(_) => quote!(None),
            TypeRef::Binary => {
                let crate_path = &self.crate_path;
                quote!(#crate_path::Upload::bytes(""))
            }
            TypeRef::Boxed(inner) if self.has_default(inner) => quote!(Box::default()),
            TypeRef::Boxed(inner) => {
                let inner = self.minimal(inner, depth + 1);
                quote!(Box::new(#inner))
            }
            TypeRef::Named(name) => self.minimal_named(name, depth),
        }
    }

    fn minimal_named(&self, name: &str, depth: usize) -> TokenStream {
        let path = type_tokens(&TypeRef::Named(name.to_owned()), Scope::Sibling);
        let Some(def) = self.types.get(name) else {
            return quote!(Default::default());
        };
        if depth > MAX_DEPTH || self.has_default(&TypeRef::Named(name.to_owned())) {
            return quote!(#path::default());
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                let mut unused = Fit::default();
                self.struct_literal(&path, s, &serde_json::Map::new(), &mut unused, depth)
            }
            TypeKind::Enum(e) if e.tag().is_some() => quote!(#path),
            TypeKind::Enum(e) => match e.variants.first() {
                Some(first) => {
                    let variant = ident(&first.name);
                    quote!(#path::#variant)
                }
                None => quote!(#path::default()),
            },
            TypeKind::Union(u) => {
                let Some(variant) = u.variants.first() else {
                    return quote!(#path::default());
                };
                let name = ident(&variant.name);
                let inner = self.minimal(&variant.ty, depth + 1);
                quote!(#path::#name(#inner))
            }
            TypeKind::Alias(target) => self.minimal(target, depth + 1),
            TypeKind::Newtype(target) => {
                let inner = self.minimal(target, depth + 1);
                quote!(#path(#inner))
            }
            TypeKind::Form(form) => {
                let mut unused = Fit::default();
                self.form_literal(&path, form, &serde_json::Map::new(), &mut unused, depth)
            }
        }
    }

    /// Whether the generated type implements `Default`, as emit/types.rs derives it: structs
    /// marked defaultable, every enum (an empty `Unknown`), unions with a default variant.
    fn has_default(&self, ty: &TypeRef) -> bool {
        let TypeRef::Named(name) = ty else {
            return false;
        };
        match self.types.get(name.as_str()).map(|def| &def.kind) {
            Some(TypeKind::Struct(s)) => s.defaultable,
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Union(u)) => u.default_variant.is_some(),
            _ => false,
        }
    }
}

fn integer(value: &Value, fit: &mut Fit) -> Option<TokenStream> {
    let number = match value {
        Value::Number(number) => match number.as_i64() {
            Some(integer) => integer,
            None => {
                let float = number.as_f64()?;
                let whole = float.fract() == 0.0 && float.abs() < 9.0e15;
                if !whole {
                    return None;
                }
                fit.converted += 1;
                float as i64
            }
        },
        Value::String(text) => {
            let integer = text.trim().parse::<i64>().ok()?;
            fit.converted += 1;
            integer
        }
        _ => return None,
    };
    Some(integer_literal(number))
}

/// An unsuffixed integer literal (the type comes from where it is used), negated by a
/// separate `-` as Rust parses it.
fn integer_literal(number: i64) -> TokenStream {
    let literal = Literal::u64_unsuffixed(number.unsigned_abs());
    if number < 0 {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

fn float_literal(number: f64) -> TokenStream {
    let literal = Literal::f64_unsuffixed(number.abs());
    if number.is_sign_negative() {
        quote!(-#literal)
    } else {
        quote!(#literal)
    }
}

fn number(value: &Value, fit: &mut Fit) -> Option<TokenStream> {
    let number = match value {
        Value::Number(number) => number.as_f64()?,
        Value::String(text) => {
            let number = text.trim().parse::<f64>().ok().filter(|n| n.is_finite())?;
            fit.converted += 1;
            number
        }
        _ => return None,
    };
    Some(float_literal(number))
}

fn boolean(value: &Value, fit: &mut Fit) -> Option<TokenStream> {
    let flag = match value {
        Value::Bool(flag) => *flag,
        Value::String(text) => {
            let flag = text.trim().parse::<bool>().ok()?;
            fit.converted += 1;
            flag
        }
        _ => return None,
    };
    Some(quote!(#flag))
}

/// `serde_json::json!(..)` of any JSON value.
fn json_macro(value: &Value) -> TokenStream {
    let inner = json_tokens(value);
    quote!(serde_json::json!(#inner))
}

fn json_tokens(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(null),
        Value::Bool(flag) => quote!(#flag),
        Value::Number(number) => match (number.as_i64(), number.as_u64(), number.as_f64()) {
            (Some(integer), _, _) => integer_literal(integer),
            (None, Some(unsigned), _) => {
                let literal = Literal::u64_unsuffixed(unsigned);
                quote!(#literal)
            }
            (None, None, Some(float)) => float_literal(float),
            _ => quote!(null),
        },
        Value::String(text) => quote!(#text),
        Value::Array(items) => {
            let items = items.iter().map(json_tokens);
            quote!([#(#items),*])
        }
        Value::Object(object) => {
            let entries = object.iter().map(|(key, value)| {
                let value = json_tokens(value);
                quote!(#key: #value)
            });
            quote!({#(#entries),*})
        }
    }
}
