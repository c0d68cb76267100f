//! The generator's intermediate model: plain data describing the Rust that will be emitted.
//!
//! Nothing here knows about OpenAPI (no `openapiv3` types) and nothing here knows about tokens:
//! `lower` fills it from a spec, `emit` turns it into Rust. Every name in the IR is already a
//! valid, unique Rust identifier; every `origin` is the JSON pointer of the spec location that
//! produced the item, so diagnostics and docs can point back at the source.

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
    /// Every operation, by path, then method (GET, PUT, POST, DELETE, PATCH).
    pub operations: Vec<Operation>,
    /// The description's success-response example of each operation that has a success
    /// response, in operation order (the `test-util` mock's default answers).
    pub response_examples: Vec<ResponseExample>,
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
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    Union(Union),
    /// A name for another type (single-`$ref` wrappers, maps, arrays).
    Alias(TypeRef),
}

/// An object with known properties.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Whether every field has a default, so the struct can derive `Default`.
    pub defaultable: bool,
    /// What happens to properties that are not declared.
    pub extra: ExtraProperties,
    /// Groups of fields of which at least one must be set (the "anyOf of required" shape).
    pub at_least_one_of: Vec<Vec<String>>,
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

/// An untagged union (`oneOf`/`anyOf` without a discriminator): the first variant that parses
/// wins. Lowering ends every union with an `Other` variant holding any JSON that fits none of
/// the declared ones, so a value the description did not foresee does not fail the response.
#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// A property that tells the variants apart, when lowering found one.
    pub discriminator: Option<Discriminator>,
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
}

/// A reference to a type, as it appears in a field, parameter or response.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    Named(String),
    String,
    Integer,
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
    pub deprecated: bool,
    pub params: Vec<Param>,
    /// Headers whose only allowed value the description fixes for this operation (e.g. an
    /// `Intercom-Version` that must be `unstable`), sent instead of the client's default.
    pub fixed_headers: Vec<(String, String)>,
    pub body: Option<RequestBody>,
    pub response: SuccessResponse,
    pub pagination: Option<Pagination>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    /// A scalar (or array of scalars) query value.
    Query,
    /// An object whose fields each become a query pair (`style: form`, `explode: true`).
    QueryObject,
    Header,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub ty: TypeRef,
    pub required: bool,
    pub docs: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessResponse {
    Json(TypeRef),
    /// A text body of this media type (sent as `Accept`).
    Text(String),
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
