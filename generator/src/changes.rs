//! The API change report: what a user of the generated crate sees change between two lowered
//! descriptions, each change classified as breaking or compatible by semver.
//!
//! The report is computed from the IR only (never from the spec): the IR already holds the Rust
//! names, types, required flags and the JSON pointer (`origin`) of every item, so the report
//! names exactly the items a user touches.
//!
//! Classification follows what users of the crate actually write:
//! - Client methods, their positional arguments (path parameters, required parameters and
//!   required bodies) and the builders' setters are called: removing or retyping any of them, or
//!   moving an input between argument and setter, is breaking; a new setter is compatible.
//! - Request types (reachable from a parameter or a request body) are built with struct
//!   literals: a new field is compatible only when it is optional and the struct has `Default`
//!   (the documented idiom is `..Default::default()`); otherwise it breaks those literals.
//! - Response types (reachable only from responses) are read: a new field of any kind is
//!   compatible. Code that builds response types or destructures them without `..` is not
//!   covered by the crate's compatibility promise.
//! - Enums and unions are `#[non_exhaustive]` and keep unknown values in a fallback variant, so a
//!   new value or variant is compatible; a removed one is breaking.
//! - A changed URL (an operation moved to another path or HTTP method, a renamed path parameter)
//!   does not change the Rust signature: it is reported as a compatible move.

use crate::ir::{
    Api, Enum, EnumValue, ExtraProperties, Field, Operation, Param, ParamLocation, Struct,
    SuccessResponse, TypeDef, TypeKind, TypeRef, Union,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Whether a change breaks code written against the old crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    Breaking,
    Compatible,
}

/// One change, as one line of the report.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Change {
    pub impact: Impact,
    /// The Rust item a user touches, e.g. `Client::merge_contact`, `types::Contact::email`.
    pub item: String,
    /// What changed, e.g. "became required: `Option<String>` → `String`".
    pub what: String,
    /// JSON pointer of the spec location (in the old description for removals).
    pub pointer: String,
}

/// Every change between two descriptions, sorted by impact, then item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

/// How far the crate's version has to move for a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing a user can see changed (docs, URLs only).
    Patch,
    /// Only compatible changes (additions).
    Additions,
    /// At least one breaking change.
    Breaking,
}

impl Report {
    pub fn breaking(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.impact == Impact::Breaking)
    }

    pub fn compatible(&self) -> impl Iterator<Item = &Change> {
        self.changes
            .iter()
            .filter(|c| c.impact == Impact::Compatible)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn bump(&self) -> Bump {
        if self.breaking().next().is_some() {
            Bump::Breaking
        } else if self.compatible().next().is_some() {
            Bump::Additions
        } else {
            Bump::Patch
        }
    }

    /// The same report with every item prefixed by a module path (e.g. `v2_14`), so reports of
    /// several version modules can be merged into one.
    pub fn in_module(mut self, module: &str) -> Self {
        for change in &mut self.changes {
            change.item = format!("{module}::{}", change.item);
        }
        self
    }

    /// Merges reports (e.g. one per version module) into one, keeping the order.
    pub fn merge(reports: impl IntoIterator<Item = Report>) -> Self {
        let mut changes: Vec<Change> = reports.into_iter().flat_map(|r| r.changes).collect();
        changes.sort();
        Report { changes }
    }

    /// One line of counts, e.g. "2 breaking, 5 compatible changes".
    pub fn counts(&self) -> String {
        format!(
            "{} breaking, {} compatible changes",
            self.breaking().count(),
            self.compatible().count()
        )
    }

    /// The full report as Markdown (for a pull request), under `title`.
    pub fn to_markdown(&self, title: &str) -> String {
        let mut out = format!("# {title}\n\n{}.\n", self.counts());
        for (heading, impact) in [
            ("Breaking", Impact::Breaking),
            ("Compatible", Impact::Compatible),
        ] {
            let lines: Vec<&Change> = self.changes.iter().filter(|c| c.impact == impact).collect();
            if lines.is_empty() {
                continue;
            }
            out.push_str(&format!("\n## {heading} ({})\n\n", lines.len()));
            for change in lines {
                out.push_str(&format!("- {change}\n"));
            }
        }
        out
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {} (`{}`)", self.item, self.what, self.pointer)
    }
}

/// The next crate version for a report: breaking changes bump the major version from 1.0 on and
/// the minor version before; additions bump the minor version from 1.0 on and the patch version
/// before; anything else bumps the patch version. `None` if `current` is not `MAJOR.MINOR.PATCH`.
pub fn next_version(current: &str, bump: Bump) -> Option<String> {
    let parts: Vec<u64> = current
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [major, minor, patch] = parts[..] else {
        return None;
    };
    let next = match (major, bump) {
        (0, Bump::Breaking) => (0, minor + 1, 0),
        (0, _) => (0, minor, patch + 1),
        (_, Bump::Breaking) => (major + 1, 0, 0),
        (_, Bump::Additions) => (major, minor + 1, 0),
        (_, Bump::Patch) => (major, minor, patch + 1),
    };
    Some(format!("{}.{}.{}", next.0, next.1, next.2))
}

/// Compares two lowered descriptions.
pub fn compare(old: &Api, new: &Api) -> Report {
    let mut changes = Vec::new();
    compare_operations(old, new, &mut changes);
    compare_types(old, new, &mut changes);
    changes.sort();
    changes.dedup();
    Report { changes }
}

/// A type as the user writes it in Rust.
pub struct RustType<'a>(pub &'a TypeRef);

impl fmt::Display for RustType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            TypeRef::Named(name) => write!(f, "{name}"),
            TypeRef::String => write!(f, "String"),
            TypeRef::Integer => write!(f, "i64"),
            TypeRef::Timestamp => write!(f, "Timestamp"),
            TypeRef::Number => write!(f, "f64"),
            TypeRef::Boolean => write!(f, "bool"),
            TypeRef::Json => write!(f, "serde_json::Value"),
            TypeRef::Object => write!(f, "serde_json::Map<String, serde_json::Value>"),
            TypeRef::Array(item) => write!(f, "Vec<{}>", RustType(item)),
            TypeRef::Map(value) => write!(f, "BTreeMap<String, {}>", RustType(value)),
            TypeRef::Boxed(inner) => write!(f, "Box<{}>", RustType(inner)),
            TypeRef::Nullable(inner) => write!(f, "Option<{}>", RustType(inner)),
            TypeRef::Binary => write!(f, "Upload"),
        }
    }
}

fn field_type(field: &Field) -> String {
    if field.is_optional() {
        format!("Option<{}>", RustType(&field.ty))
    } else {
        RustType(&field.ty).to_string()
    }
}

fn response_type(response: &SuccessResponse) -> String {
    match response {
        SuccessResponse::Json(ty) => RustType(ty).to_string(),
        SuccessResponse::Text(media_type) => format!("String ({media_type})"),
        SuccessResponse::Empty => "()".to_owned(),
        // Redirect, Undeclared, and any kind of response the IR gains: named by its variant.
        other => format!("{other:?}"),
    }
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn change(impact: Impact, item: String, what: String, pointer: &str) -> Change {
    Change {
        impact,
        item,
        what,
        pointer: pointer.to_owned(),
    }
}

// ---------------------------------------------------------------------------------------------
// Operations

/// `GET /contacts/{}`: an operation's endpoint with path parameter names left out, so an
/// operation whose path parameter was renamed is still the same endpoint.
fn endpoint(op: &Operation) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in op.path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    format!("{} {out}", http_method(op))
}

fn http_method(op: &Operation) -> String {
    format!("{:?}", op.method).to_uppercase()
}

fn compare_operations(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let old_by_name: BTreeMap<&str, &Operation> = old
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let new_by_name: BTreeMap<&str, &Operation> = new
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect();
    let mut pairs: Vec<(&Operation, &Operation)> = Vec::new();
    let mut removed: Vec<&Operation> = Vec::new();
    for (name, old_op) in &old_by_name {
        match new_by_name.get(name) {
            Some(new_op) => pairs.push((old_op, new_op)),
            None => removed.push(old_op),
        }
    }
    let mut added: Vec<&Operation> = new_by_name
        .iter()
        .filter(|(name, _)| !old_by_name.contains_key(*name))
        .map(|(_, op)| *op)
        .collect();
    // A method whose name changed but whose endpoint did not was renamed.
    removed.retain(|old_op| {
        let key = endpoint(old_op);
        match added.iter().position(|new_op| endpoint(new_op) == key) {
            Some(index) => {
                let new_op = added.remove(index);
                out.push(change(
                    Impact::Breaking,
                    format!("Client::{}", old_op.name),
                    format!(
                        "renamed to `Client::{}` (builder `operations::{}`)",
                        new_op.name, new_op.builder_name
                    ),
                    &new_op.origin,
                ));
                pairs.push((old_op, new_op));
                false
            }
            None => true,
        }
    });
    for op in removed {
        out.push(change(
            Impact::Breaking,
            format!("Client::{}", op.name),
            format!("removed (was `{} {}`)", http_method(op), op.path),
            &op.origin,
        ));
    }
    for op in added {
        out.push(change(
            Impact::Compatible,
            format!("Client::{}", op.name),
            format!("added (`{} {}`)", http_method(op), op.path),
            &op.origin,
        ));
    }
    for (old_op, new_op) in pairs {
        compare_operation(old_op, new_op, out);
    }
}

fn compare_operation(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let method = format!("Client::{}", new.name);
    if old.path != new.path || old.method != new.method {
        out.push(change(
            Impact::Compatible,
            method.clone(),
            format!(
                "moved to `{} {}` (was `{} {}`); the Rust signature is unchanged",
                http_method(new),
                new.path,
                http_method(old),
                old.path
            ),
            &new.origin,
        ));
    }
    compare_path_params(old, new, &method, out);
    compare_params(old, new, &method, out);
    compare_body(old, new, &method, out);
    let (old_response, new_response) = (response_type(&old.response), response_type(&new.response));
    if old_response != new_response {
        out.push(change(
            Impact::Breaking,
            method.clone(),
            format!("now returns `{new_response}` (was `{old_response}`)"),
            &format!("{}/responses", new.origin),
        ));
    }
    compare_pagination(old, new, out);
}

fn path_params(op: &Operation) -> Vec<&Param> {
    op.params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect()
}

/// Path parameters are positional arguments: their names do not matter to callers, their number
/// and types do.
fn compare_path_params(old: &Operation, new: &Operation, method: &str, out: &mut Vec<Change>) {
    let (old_params, new_params) = (path_params(old), path_params(new));
    let signature = |params: &[&Param]| {
        params
            .iter()
            .map(|p| format!("{}: {}", p.name, RustType(&p.ty)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if old_params.len() != new_params.len() {
        out.push(change(
            Impact::Breaking,
            method.to_owned(),
            format!(
                "path arguments are now `({})` (were `({})`)",
                signature(&new_params),
                signature(&old_params)
            ),
            &new.origin,
        ));
        return;
    }
    for (old_param, new_param) in old_params.iter().zip(&new_params) {
        if old_param.ty != new_param.ty {
            out.push(change(
                Impact::Breaking,
                method.to_owned(),
                format!(
                    "path argument `{}` is now `{}` (was `{}`)",
                    new_param.name,
                    RustType(&new_param.ty),
                    RustType(&old_param.ty)
                ),
                &new.origin,
            ));
        }
    }
}

fn location_name(location: ParamLocation) -> &'static str {
    // Not a `match`: locations the IR may gain are query-like for the report's purpose.
    if location == ParamLocation::Header {
        "header"
    } else if location == ParamLocation::Path {
        "path parameter"
    } else {
        "query parameter"
    }
}

/// Query and header parameters: required ones are method arguments, optional ones are setters.
fn compare_params(old: &Operation, new: &Operation, method: &str, out: &mut Vec<Change>) {
    let by_name = |op: &'_ Operation| -> BTreeMap<String, Param> {
        op.params
            .iter()
            .filter(|p| p.location != ParamLocation::Path)
            .map(|p| (p.name.clone(), p.clone()))
            .collect()
    };
    let (old_params, new_params) = (by_name(old), by_name(new));
    let pointer = format!("{}/parameters", new.origin);
    let setter =
        |op: &Operation, param: &Param| format!("operations::{}::{}", op.builder_name, param.name);
    for (name, param) in &old_params {
        if new_params.contains_key(name) {
            continue;
        }
        let (item, kind) = if param.required {
            (method.to_owned(), "argument")
        } else {
            (setter(new, param), "setter")
        };
        out.push(change(
            Impact::Breaking,
            item,
            format!(
                "{kind} `{name}` removed ({} `{}`)",
                location_name(param.location),
                param.wire_name
            ),
            &format!("{}/parameters", old.origin),
        ));
    }
    for (name, param) in &new_params {
        let wire = format!("{} `{}`", location_name(param.location), param.wire_name);
        let ty = RustType(&param.ty);
        let Some(before) = old_params.get(name) else {
            if param.required {
                out.push(change(
                    Impact::Breaking,
                    method.to_owned(),
                    format!("new required argument `{name}: {ty}` ({wire})"),
                    &pointer,
                ));
            } else {
                out.push(change(
                    Impact::Compatible,
                    setter(new, param),
                    format!("new optional setter `{name}: {ty}` ({wire})"),
                    &pointer,
                ));
            }
            continue;
        };
        if before.ty != param.ty {
            out.push(change(
                Impact::Breaking,
                if param.required {
                    method.to_owned()
                } else {
                    setter(new, param)
                },
                format!(
                    "`{name}` is now `{ty}` (was `{}`) ({wire})",
                    RustType(&before.ty)
                ),
                &pointer,
            ));
        }
        match (before.required, param.required) {
            (false, true) => out.push(change(
                Impact::Breaking,
                method.to_owned(),
                format!(
                    "`{name}` became a required argument; the setter `{}` is gone ({wire})",
                    setter(new, param)
                ),
                &pointer,
            )),
            (true, false) => out.push(change(
                Impact::Breaking,
                method.to_owned(),
                format!(
                    "`{name}` is no longer an argument; set it with `{}` ({wire})",
                    setter(new, param)
                ),
                &pointer,
            )),
            _ => {}
        }
    }
}

fn compare_body(old: &Operation, new: &Operation, method: &str, out: &mut Vec<Change>) {
    let pointer = format!("{}/requestBody", new.origin);
    let setter = format!("operations::{}::body", new.builder_name);
    let (impact, item, what) = match (&old.body, &new.body) {
        (None, None) => return,
        (Some(_), None) => (
            Impact::Breaking,
            method.to_owned(),
            "the request body was removed".to_owned(),
        ),
        (None, Some(body)) if body.required => (
            Impact::Breaking,
            method.to_owned(),
            format!("new required argument `body: {}`", RustType(&body.ty)),
        ),
        (None, Some(body)) => (
            Impact::Compatible,
            setter,
            format!("new optional request body `{}`", RustType(&body.ty)),
        ),
        (Some(before), Some(after)) => {
            if before.ty != after.ty {
                out.push(change(
                    Impact::Breaking,
                    method.to_owned(),
                    format!(
                        "the request body is now `{}` (was `{}`)",
                        RustType(&after.ty),
                        RustType(&before.ty)
                    ),
                    &pointer,
                ));
            }
            match (before.required, after.required) {
                (false, true) => (
                    Impact::Breaking,
                    method.to_owned(),
                    format!(
                        "the request body became required: new argument `body: {}`, and the setter `{setter}` is gone",
                        RustType(&after.ty)
                    ),
                ),
                (true, false) => (
                    Impact::Breaking,
                    method.to_owned(),
                    format!("the request body became optional: no longer an argument; set it with `{setter}`"),
                ),
                _ => return,
            }
        }
    };
    out.push(change(impact, item, what, &pointer));
}

fn compare_pagination(old: &Operation, new: &Operation, out: &mut Vec<Change>) {
    let item = format!("operations::{}::into_stream", new.builder_name);
    let pointer = format!("{}/responses", new.origin);
    match (&old.pagination, &new.pagination) {
        (None, Some(p)) => out.push(change(
            Impact::Compatible,
            item,
            format!(
                "added: streams every `{}` across pages",
                RustType(&p.item_type)
            ),
            &pointer,
        )),
        (Some(_), None) => out.push(change(
            Impact::Breaking,
            item,
            "removed: the response is no longer paginated".to_owned(),
            &pointer,
        )),
        (Some(before), Some(after)) if before.item_type != after.item_type => out.push(change(
            Impact::Breaking,
            item,
            format!(
                "now streams `{}` (was `{}`)",
                RustType(&after.item_type),
                RustType(&before.item_type)
            ),
            &pointer,
        )),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// Types

fn compare_types(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let old_by_name: BTreeMap<&str, &TypeDef> =
        old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_by_name: BTreeMap<&str, &TypeDef> =
        new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let inputs = input_types(new);
    let mut removed: Vec<&TypeDef> = old_by_name
        .iter()
        .filter(|(name, _)| !new_by_name.contains_key(*name))
        .map(|(_, t)| *t)
        .collect();
    let mut added: Vec<&TypeDef> = new_by_name
        .iter()
        .filter(|(name, _)| !old_by_name.contains_key(*name))
        .map(|(_, t)| *t)
        .collect();
    let mut pairs: Vec<(&TypeDef, &TypeDef)> = old_by_name
        .iter()
        .filter_map(|(name, old_def)| new_by_name.get(name).map(|new_def| (*old_def, *new_def)))
        .collect();
    // A type whose name changed but whose schema location did not was renamed.
    removed.retain(
        |old_def| match added.iter().position(|t| t.origin == old_def.origin) {
            Some(index) => {
                let new_def = added.remove(index);
                out.push(change(
                    Impact::Breaking,
                    format!("types::{}", old_def.name),
                    format!("renamed to `types::{}`", new_def.name),
                    &new_def.origin,
                ));
                pairs.push((old_def, new_def));
                false
            }
            None => true,
        },
    );
    for def in outermost(&removed) {
        out.push(change(
            Impact::Breaking,
            format!("types::{}", def.name),
            "removed".to_owned(),
            &def.origin,
        ));
    }
    for def in outermost(&added) {
        out.push(change(
            Impact::Compatible,
            format!("types::{}", def.name),
            format!("added: {}", kind_name(&def.kind)),
            &def.origin,
        ));
    }
    for (old_def, new_def) in pairs {
        let input = inputs.contains(new_def.name.as_str());
        compare_type(old_def, new_def, input, out);
    }
}

/// Types not nested in another of the list (an inline type of an added component is part of
/// that addition, not a change of its own).
fn outermost<'a>(defs: &[&'a TypeDef]) -> Vec<&'a TypeDef> {
    defs.iter()
        .filter(|def| {
            !defs.iter().any(|parent| {
                parent.origin != def.origin
                    && def.origin.starts_with(&format!("{}/", parent.origin))
            })
        })
        .copied()
        .collect()
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "a struct",
        TypeKind::Enum(_) => "an enum",
        TypeKind::Union(_) => "a union (enum)",
        TypeKind::Alias(_) => "a type alias",
        TypeKind::Newtype(_) => "a newtype struct",
        TypeKind::Form(_) => "a multipart form",
    }
}

/// Types users build themselves: everything reachable from a parameter or a request body.
fn input_types(api: &Api) -> BTreeSet<&str> {
    let by_name: BTreeMap<&str, &TypeDef> =
        api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut pending: Vec<&TypeRef> = api
        .operations
        .iter()
        .flat_map(|op| {
            op.params
                .iter()
                .map(|p| &p.ty)
                .chain(op.body.iter().map(|b| &b.ty))
        })
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(ty) = pending.pop() {
        let Some(def) = ty.named().and_then(|name| by_name.get(name)) else {
            continue;
        };
        if seen.insert(def.name.as_str()) {
            pending.extend(referenced(&def.kind));
        }
    }
    seen
}

/// The type references a type's definition contains.
fn referenced(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => {
            let mut refs: Vec<&TypeRef> = s.fields.iter().map(|f| &f.ty).collect();
            if let ExtraProperties::Typed(ty) = &s.extra {
                refs.push(ty);
            }
            refs
        }
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        _ => Vec::new(),
    }
}

fn compare_type(old: &TypeDef, new: &TypeDef, input: bool, out: &mut Vec<Change>) {
    let item = format!("types::{}", new.name);
    match (&old.kind, &new.kind) {
        (TypeKind::Struct(before), TypeKind::Struct(after)) => {
            compare_struct(before, after, &item, new, input, out)
        }
        (TypeKind::Enum(before), TypeKind::Enum(after)) => {
            compare_enum(before, after, &item, &new.origin, out)
        }
        (TypeKind::Union(before), TypeKind::Union(after)) => {
            compare_union(before, after, &item, &new.origin, out)
        }
        (TypeKind::Alias(before), TypeKind::Alias(after)) if before != after => out.push(change(
            Impact::Breaking,
            item,
            format!(
                "now an alias of `{}` (was `{}`)",
                RustType(after),
                RustType(before)
            ),
            &new.origin,
        )),
        (TypeKind::Alias(_), TypeKind::Alias(_)) => {}
        (before, after) => out.push(change(
            Impact::Breaking,
            item,
            format!("is now {} (was {})", kind_name(after), kind_name(before)),
            &new.origin,
        )),
    }
}

fn compare_struct(
    old: &Struct,
    new: &Struct,
    item: &str,
    def: &TypeDef,
    input: bool,
    out: &mut Vec<Change>,
) {
    let old_fields: BTreeMap<&str, &Field> =
        old.fields.iter().map(|f| (f.name.as_str(), f)).collect();
    let field_pointer = |f: &Field| {
        if f.wire_name.is_empty() {
            def.origin.clone()
        } else {
            format!("{}/properties/{}", def.origin, escape_pointer(&f.wire_name))
        }
    };
    for field in &new.fields {
        let field_item = format!("{item}::{}", field.name);
        let pointer = field_pointer(field);
        let ty = field_type(field);
        let Some(before) = old_fields.get(field.name.as_str()) else {
            let (impact, what) = match (input, field.is_optional(), new.defaultable) {
                (true, false, _) => (
                    Impact::Breaking,
                    format!("new required field `{ty}`: struct literals of this request type must set it"),
                ),
                (true, true, false) => (
                    Impact::Breaking,
                    format!("new field `{ty}`: this request type has no `Default`, so struct literals must set it"),
                ),
                (true, true, true) => (
                    Impact::Compatible,
                    format!("new field `{ty}` (struct literals ending in `..Default::default()` are unaffected)"),
                ),
                (false, _, _) => (Impact::Compatible, format!("new field `{ty}` (type not used in requests)")),
            };
            out.push(change(impact, field_item, what, &pointer));
            continue;
        };
        let old_ty = field_type(before);
        if before.ty != field.ty {
            out.push(change(
                Impact::Breaking,
                field_item,
                format!("is now `{ty}` (was `{old_ty}`)"),
                &pointer,
            ));
        } else if before.is_optional() != field.is_optional() {
            let became = if field.is_optional() {
                "optional"
            } else {
                "required"
            };
            out.push(change(
                Impact::Breaking,
                field_item,
                format!("became {became}: `{old_ty}` → `{ty}`"),
                &pointer,
            ));
        }
    }
    let new_names: BTreeSet<&str> = new.fields.iter().map(|f| f.name.as_str()).collect();
    for field in old
        .fields
        .iter()
        .filter(|f| !new_names.contains(f.name.as_str()))
    {
        out.push(change(
            Impact::Breaking,
            format!("{item}::{}", field.name),
            format!("removed (was `{}`)", field_type(field)),
            &field_pointer(field),
        ));
    }
    if old.extra != new.extra {
        out.push(change(
            Impact::Breaking,
            format!("{item}::additional_properties"),
            format!(
                "undeclared properties are now {} (were {})",
                extra_name(&new.extra),
                extra_name(&old.extra)
            ),
            &def.origin,
        ));
    }
    match (old.defaultable, new.defaultable) {
        (true, false) => out.push(change(
            if input {
                Impact::Breaking
            } else {
                Impact::Compatible
            },
            item.to_owned(),
            "no longer implements `Default`".to_owned(),
            &def.origin,
        )),
        (false, true) => out.push(change(
            Impact::Compatible,
            item.to_owned(),
            "now implements `Default`".to_owned(),
            &def.origin,
        )),
        _ => {}
    }
}

fn extra_name(extra: &ExtraProperties) -> String {
    match extra {
        ExtraProperties::Keep => "kept as JSON".to_owned(),
        ExtraProperties::Typed(ty) => format!("`{}` values", RustType(ty)),
        ExtraProperties::Flattened => "held by a flattened field".to_owned(),
    }
}

fn enum_value(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s) => format!("{s:?}"),
        EnumValue::Integer(i) => i.to_string(),
    }
}

fn compare_enum(old: &Enum, new: &Enum, item: &str, pointer: &str, out: &mut Vec<Change>) {
    if old.set_by_type != new.set_by_type {
        // A tag is a unit struct, an enum has variants: neither is written like the other.
        let now = if new.set_by_type {
            "is now a tag (a unit struct that is its one value)"
        } else {
            "is now an enum (was a tag, a unit struct that is its one value)"
        };
        out.push(change(
            Impact::Breaking,
            item.to_owned(),
            now.to_owned(),
            pointer,
        ));
        return;
    }
    let by_value = |e: &Enum| -> BTreeMap<String, String> {
        e.variants
            .iter()
            .map(|v| (enum_value(&v.value), v.name.clone()))
            .collect()
    };
    let (old_values, new_values) = (by_value(old), by_value(new));
    for (value, name) in &old_values {
        match new_values.get(value) {
            None => out.push(change(
                Impact::Breaking,
                format!("{item}::{name}"),
                format!("removed (value {value})"),
                pointer,
            )),
            Some(new_name) if new_name != name => out.push(change(
                Impact::Breaking,
                format!("{item}::{name}"),
                format!("renamed to `{item}::{new_name}` (value {value})"),
                pointer,
            )),
            Some(_) => {}
        }
    }
    for (value, name) in &new_values {
        if !old_values.contains_key(value) {
            out.push(change(
                Impact::Compatible,
                format!("{item}::{name}"),
                format!("new value {value}"),
                pointer,
            ));
        }
    }
}

fn compare_union(old: &Union, new: &Union, item: &str, pointer: &str, out: &mut Vec<Change>) {
    let old_variants: BTreeMap<&str, &TypeRef> = old
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    let new_variants: BTreeMap<&str, &TypeRef> = new
        .variants
        .iter()
        .map(|v| (v.name.as_str(), &v.ty))
        .collect();
    for (name, ty) in &old_variants {
        match new_variants.get(name) {
            None => out.push(change(
                Impact::Breaking,
                format!("{item}::{name}"),
                format!("variant removed (was `{}`)", RustType(ty)),
                pointer,
            )),
            Some(after) if after != ty => out.push(change(
                Impact::Breaking,
                format!("{item}::{name}"),
                format!(
                    "variant is now `{}` (was `{}`)",
                    RustType(after),
                    RustType(ty)
                ),
                pointer,
            )),
            Some(_) => {}
        }
    }
    for (name, ty) in &new_variants {
        if !old_variants.contains_key(name) {
            out.push(change(
                Impact::Compatible,
                format!("{item}::{name}"),
                format!("new variant `{}`", RustType(ty)),
                pointer,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_move_by_semver() {
        assert_eq!(
            next_version("0.1.0", Bump::Breaking).as_deref(),
            Some("0.2.0")
        );
        assert_eq!(
            next_version("0.1.3", Bump::Additions).as_deref(),
            Some("0.1.4")
        );
        assert_eq!(next_version("0.1.3", Bump::Patch).as_deref(), Some("0.1.4"));
        assert_eq!(
            next_version("1.4.2", Bump::Breaking).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next_version("1.4.2", Bump::Additions).as_deref(),
            Some("1.5.0")
        );
        assert_eq!(next_version("1.4.2", Bump::Patch).as_deref(), Some("1.4.3"));
        assert_eq!(next_version("1.4", Bump::Patch), None);
    }
}
