//! The generator's intermediate model: plain data describing the Rust that will be emitted.
//!
//! Nothing here knows about OpenAPI (no `openapiv3` types) and nothing here knows about tokens:
//! `lower` fills it from a spec, `emit` turns it into Rust. Every name in the IR is already a
//! valid, unique Rust identifier; every `origin` is the JSON pointer of the spec location that
//! produced the item, so diagnostics and docs can point back at the source.

use std::collections::BTreeSet;

/// One API description, lowered.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title` of the description.
    pub title: String,
    /// `info.version`, sent as the `Intercom-Version` header.
    pub version: String,
    /// Base URLs from `servers`, in spec order.
    pub servers: Vec<Server>,
    /// Every named type, in a deterministic order: component schemas by name (the loader keeps
    /// JSON objects sorted), each followed by the inline types it introduced.
    pub types: Vec<TypeDef>,
    /// Every operation, by method name (not by path, so a changed path moves nothing).
    pub operations: Vec<Operation>,
    /// What the description gets wrong and how the generator degraded it (e.g. a dangling
    /// `$ref` became any JSON). Listed in the generated module's docs.
    pub warnings: Vec<Diagnostic>,
    /// The description's success-response example of each operation that has a success
    /// response, in operation order (the `test-util` mock's default answers).
    pub response_examples: Vec<ResponseExample>,
    /// A request for every operation, from the description's request examples where it has
    /// them: each client method's documented (and compiled) example.
    pub request_examples: Vec<RequestExample>,
    /// The item kinds of the runtime's webhook notifications and this version's type for each.
    pub webhook_items: Vec<WebhookItem>,
}

impl Api {
    /// The resources (Cargo features) its operations and types belong to, sorted.
    pub fn resources(&self) -> BTreeSet<&str> {
        self.operations
            .iter()
            .flat_map(|op| &op.resources)
            .chain(self.types.iter().flat_map(|def| &def.resources))
            .map(String::as_str)
            .collect()
    }
}

/// The cargo feature of the typed webhook items (`{version}::webhooks::Item`), a resource like
/// the tags' features: the types the items reach are compiled with it.
pub const WEBHOOKS_FEATURE: &str = "webhooks";

/// The feature of the types that no operation and no webhook item reaches (and of what they
/// reach), a resource like the tags' features.
pub const OTHER_SCHEMAS_FEATURE: &str = "other-schemas";

/// The feature that turns every resource on (part of the crate's default features).
pub const ALL_RESOURCES_FEATURE: &str = "all-resources";

/// One associated type of `runtime::webhooks::ItemTypes`.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookItem {
    /// The associated type's name (`Contact`, `Conversation`, ...).
    pub kind: String,
    /// The generated type for items of this kind; `None` when the description has no schema for
    /// it (the item is then any JSON).
    pub type_name: Option<String>,
}

/// An operation's first success status and the description's example body for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseExample {
    /// `Operation::name`.
    pub operation: String,
    pub status: u16,
    /// The declared media type (`application/json` or a `text/*` type); `None` for a response
    /// without a body.
    pub content_type: Option<String>,
    /// The example: compact JSON, or the text. `None` when the description gives none.
    pub body: Option<String>,
}

/// The values of one call of an operation: its documented example. Values are JSON as the
/// description gives them (they may not fit the declared types: emit converts them leniently).
#[derive(Debug, Clone, PartialEq)]
pub struct RequestExample {
    /// `Operation::name`.
    pub operation: String,
    /// A value for every required parameter and for the optional ones the description gives
    /// an example for, in `Operation::params` order.
    pub params: Vec<ParamExample>,
    /// The body: `None` only for an operation without a body, or whose body is optional and
    /// has no example.
    pub body: Option<ExampleValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParamExample {
    /// `Param::name`.
    pub name: String,
    pub value: ExampleValue,
}

/// An example value and where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct ExampleValue {
    pub value: serde_json::Value,
    pub source: ExampleSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleSource {
    /// The description's example of the parameter or request body.
    Description,
    /// Built from the examples of the schema's properties.
    SchemaExamples,
    /// No example anywhere: a plausible value of the declared type.
    Placeholder,
}

pub use crate::diagnostic::Diagnostic;

/// A server from the description's `servers` list.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

/// A named Rust type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// UpperCamelCase Rust name, unique within the API.
    pub name: String,
    /// JSON pointer of the schema this type comes from.
    pub origin: String,
    /// Rustdoc (already converted from the spec's Markdown/Markdoc).
    pub docs: Option<String>,
    pub kind: TypeKind,
    /// The cargo features (resources) that compile this type: those of every operation that
    /// reaches it (through parameters, bodies, responses, transitively), and
    /// [`WEBHOOKS_FEATURE`] when a webhook item reaches it, [`OTHER_SCHEMAS_FEATURE`] when a
    /// type that nothing else reaches does. Sorted, without duplicates; never empty once
    /// lowered (empty would mean compiled whatever the features).
    pub resources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A name for another type (single-`$ref` wrappers, maps, arrays).
    Alias(TypeRef),
    /// A type of its own that wraps another (`struct Name(Target)`, transparent on the wire):
    /// used where an alias would refer to itself (`tree: {type: array, items: {$ref: tree}}`).
    Newtype(TypeRef),
    /// A `multipart/form-data` request body: named parts, files among them.
    Form(Form),
}

/// A multipart form: one part per property of the body's schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    pub parts: Vec<FormPart>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// snake_case Rust field name.
    pub name: String,
    /// The part's name in the form.
    pub wire_name: String,
    pub kind: PartKind,
    pub required: bool,
    pub docs: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PartKind {
    /// A file (`format: binary`): bytes, a path or a stream, with a file name and content type.
    File,
    /// Several files under one name (an array of `format: binary`).
    Files,
    /// A scalar sent as its text.
    Text(TypeRef),
    /// Anything else, sent as JSON text (`application/json`), OpenAPI's default for objects.
    Json(TypeRef),
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Whether the struct derives `Default`: lowering makes this true for every struct (see
    /// `lower::mark_defaultable`), so a required property the server leaves out can be filled.
    pub defaultable: bool,
    /// What happens to properties that are not declared.
    pub extra: ExtraProperties,
    /// Groups of fields of which at least one must be set (the "anyOf of required" shape).
    pub at_least_one_of: Vec<Vec<String>>,
    /// The body of a search endpoint (an operation paginated by a cursor in its body): the
    /// field (Rust name) that holds the query, so the struct is built from a
    /// `runtime::search::Query` (`From`), its other fields left at their defaults.
    pub search_query: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExtraProperties {
    /// Undeclared properties are kept as JSON so nothing the server sends is lost.
    Keep,
    /// `additionalProperties` declares their type.
    Typed(TypeRef),
    /// A flattened field already receives every property that is not declared here.
    Flattened,
}

impl Field {
    /// The Rust type is `Option<..>`: the property may be absent or `null`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// snake_case Rust identifier (keywords get a trailing underscore).
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    pub ty: TypeRef,
    /// Listed in the schema's `required`.
    pub required: bool,
    /// The value may be `null`.
    pub nullable: bool,
    /// The field's value holds the object's other properties (`#[serde(flatten)]`).
    pub flatten: bool,
    /// A flattened field whose type is the component struct this struct extends (`allOf` of
    /// one component plus properties of its own, `lower::shared`): the struct derefs to it and
    /// converts into it, so code written for the component takes this struct too.
    pub base: bool,
    /// The Rust type is text (an id, `lower::ids`) where the description declares integers:
    /// numeric strings are written as JSON numbers, so the server gets the type it declares.
    pub integer_on_wire: bool,
    pub docs: Option<String>,
    /// The spec's `default`, for documentation.
    pub default: Option<serde_json::Value>,
    pub deprecated: bool,
}

/// A closed set of values with a fallback variant that keeps values added later.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<EnumVariant>,
    /// The schema allows exactly one string (a tag such as `type: admin`): the type itself is
    /// the value, so the caller never writes it. Emitted as a unit struct whose `Default` is the
    /// value and that always writes it; a different value read from the wire does not fit the
    /// type, and the struct holding it keeps it as sent (`additional_properties`), so nothing
    /// is lost. Lowering sets it for every string enum of one value.
    pub set_by_type: bool,
}

impl Enum {
    /// The one value of an enum set by its type (a tag), emitted as a unit struct.
    pub fn tag(&self) -> Option<&EnumVariant> {
        match (self.set_by_type, self.variants.as_slice()) {
            (true, [only]) => Some(only),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
    /// Strings and integers in one enum.
    Mixed,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// UpperCamelCase variant name.
    pub name: String,
    pub value: EnumValue,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EnumValue {
    String(String),
    Integer(i64),
}

/// An untagged union (`oneOf`/`anyOf` without a discriminator): of the variants the JSON
/// decodes into, the one it fits best wins (see [`VariantShape`]; ties go to the first). Lowering ends every union with an `Other` variant holding any JSON that fits none of
/// the declared ones, so a value the description did not foresee does not fail the response.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// A property that tells the variants apart, when lowering found one.
    pub discriminator: Option<Discriminator>,
    /// The variant `Default` builds, holding its own default: the fallback when there is one,
    /// else the first variant whose default cannot lead back to this union. `None`: no finite
    /// default exists, and the union has no `Default`.
    pub default_variant: Option<usize>,
}

/// An implicit discriminator: every variant is an object with a required property of this name
/// whose only allowed value differs between variants (Intercom's `message_type`, `type`). The
/// union is then decoded by that value instead of by trying each variant in turn.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    pub wire_name: String,
    /// The value of each variant, by index into `Union::variants`.
    pub values: Vec<(usize, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    pub docs: Option<String>,
    /// What the variant's JSON looks like, to rank the variants a value decodes into (filled by
    /// `lower::unions::describe_shapes` once every type is known).
    pub shape: VariantShape,
}

/// The JSON a union variant expects, as far as it tells variants apart: a value is read as the
/// variant it fits best (its JSON kind first, then no required property missing, no enum value
/// the variant does not know, no undeclared property, most declared properties present), so
/// `{"operator": "AND", "value": [..]}` is a multiple-filter query even though the
/// single-filter variant, all of whose properties are optional, would also accept it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VariantShape {
    pub kind: JsonKind,
    /// Object variants: the declared properties (wire names). Empty for other kinds.
    pub declared: Vec<String>,
    /// Object variants: the required properties.
    pub required: Vec<String>,
    /// Object variants: properties whose type is a string enum, with the values it knows.
    pub enums: Vec<(String, Vec<String>)>,
    /// Whether the object keeps undeclared properties by design (a typed
    /// `additionalProperties` or a flattened field): then they are no sign of a misfit.
    pub open: bool,
    /// Array variants: the shape of the items (each item is ranked, and the fits add up).
    pub items: Option<Box<VariantShape>>,
}

/// The kind of JSON value a variant reads without leniency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonKind {
    #[default]
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Boolean,
}

/// A reference to a type, as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(String),
    String,
    Integer,
    /// A point in time, sent as whole seconds since the Unix epoch (the runtime's `Timestamp`).
    Timestamp,
    Number,
    Boolean,
    /// Any JSON value.
    Json,
    Array(Box<TypeRef>),
    /// A JSON object with values of one type.
    Map(Box<TypeRef>),
    /// A JSON object with arbitrary values.
    Object,
    /// Indirection that breaks a recursive type.
    Boxed(Box<TypeRef>),
    /// An array item or map value that may be `null`.
    Nullable(Box<TypeRef>),
    /// Raw bytes supplied by the caller (a binary request body): the runtime's `Upload`.
    Binary,
}

impl TypeRef {
    /// The named type this reference ends in, through arrays, maps, boxes and nullables
    /// (a reference names at most one type).
    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Nullable(inner) => inner.named(),
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::Timestamp
            | TypeRef::Number
            | TypeRef::Boolean
            | TypeRef::Json
            | TypeRef::Object
            | TypeRef::Binary => None,
        }
    }

    /// [`TypeRef::named`], to rename it.
    pub fn named_mut(&mut self) -> Option<&mut String> {
        match self {
            TypeRef::Named(name) => Some(name),
            TypeRef::Array(inner)
            | TypeRef::Map(inner)
            | TypeRef::Boxed(inner)
            | TypeRef::Nullable(inner) => inner.named_mut(),
            TypeRef::String
            | TypeRef::Integer
            | TypeRef::Timestamp
            | TypeRef::Number
            | TypeRef::Boolean
            | TypeRef::Json
            | TypeRef::Object
            | TypeRef::Binary => None,
        }
    }
}

/// One HTTP operation, emitted as one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// snake_case method name.
    pub name: String,
    /// UpperCamelCase name of the request builder type.
    pub builder_name: String,
    pub origin: String,
    pub method: HttpMethod,
    /// The spec's path template, e.g. `/contacts/{contact_id}`.
    pub path: String,
    pub path_segments: Vec<PathSegment>,
    pub summary: Option<String>,
    pub docs: Option<String>,
    pub tags: Vec<String>,
    /// The cargo features (resources) that compile this operation: one per tag, kebab-case
    /// (`Data Connectors` becomes `data-connectors`); `untagged` for an operation without tags.
    /// The method exists when any of them is on.
    pub resources: Vec<String>,
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// Headers whose only allowed value the description fixes for this operation, sent by the
    /// request itself rather than taken from the caller: a client header (`Intercom-Version`
    /// that must be `unstable`, instead of the client's default), and any required header
    /// whose schema is a string enum of one value (`Accept: application/octet-stream`).
    pub fixed_headers: Vec<(String, String)>,
    pub body: Option<RequestBody>,
    pub response: SuccessResponse,
    /// The `Accept` header to send when it is not `application/json` (the runtime's default).
    pub accept: Option<String>,
    pub pagination: Option<Pagination>,
    /// The upstream name (from `operationId`) when it was a typo that lowering corrected: kept
    /// as a deprecated alias method.
    pub renamed_from: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PathSegment {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub wire_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    /// How the value is written into the request.
    pub serialization: ParamSerialization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// How a parameter's value becomes text in the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamSerialization {
    /// A scalar or enum written as its text; no style adds anything to it.
    Display,
    /// Serialized with serde and laid out by the runtime in an OpenAPI style (arrays, objects,
    /// and the path styles that prefix even scalars).
    Styled { style: ParamStyle, explode: bool },
    /// `content: {application/json: ...}`: the value's JSON text.
    Json,
}

/// OpenAPI 3.0 parameter styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
    /// The media type sent as `Content-Type` (for multipart, the runtime adds the boundary).
    pub media_type: String,
    pub encoding: BodyEncoding,
}

/// How a request body is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyEncoding {
    /// JSON (any JSON media type: `application/json; charset=utf-8`, `application/*+json`).
    Json,
    /// `application/x-www-form-urlencoded`: the object's fields as form pairs.
    Form,
    /// `multipart/form-data`: the body type is a [`TypeKind::Form`].
    Multipart,
    /// Raw bytes from an `Upload` (octet-stream, images, PDFs, ...).
    Binary,
    /// A `text/*` body: the string as is.
    Text,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessResponse {
    Json(TypeRef),
    /// A text body of this media type (sent as `Accept`).
    Text(String),
    /// Bytes of this media type (sent as `Accept`), streamed to the caller, never buffered.
    Binary(String),
    Redirect,
    Empty,
    /// The description declares no success response: whatever JSON arrives (`null` if empty).
    Undeclared,
}

/// How an operation's results continue on the next page, detected from the spec's shapes.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// Where the page's items are in the response.
    pub items: FieldPath,
    pub item_type: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PaginationStyle {
    /// A cursor query parameter, continued from `pages.next.starting_after`.
    QueryCursor { param: String, next: FieldPath },
    /// Search endpoints: `pagination.starting_after` in the request body.
    BodyCursor { cursor: FieldPath, next: FieldPath },
    /// A page-number query parameter, up to `pages.total_pages`.
    PageNumber {
        param: String,
        total_pages: FieldPath,
    },
    /// `scroll_param` query parameter, continued from the response's `scroll_param`.
    Scroll { param: String, next: FieldPath },
}

/// A chain of field accesses from a struct to a value inside it.
pub type FieldPath = Vec<FieldStep>;

#[derive(Debug, Clone, PartialEq)]
pub struct FieldStep {
    /// The Rust field name.
    pub name: String,
    /// The field is an `Option`.
    pub optional: bool,
    /// The field's type is boxed.
    pub boxed: bool,
}
