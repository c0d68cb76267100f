//! The error type returned by every operation.

use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::response::{header_request_id, RateLimit};

/// Errors returned by the client.
///
/// The token is never part of an error, neither in [`Display`](fmt::Display)
/// nor in [`Debug`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request could not be sent or the response could not be read
    /// (DNS failure, refused connection, TLS error, connection reset, ...).
    Transport(reqwest::Error),
    /// An attempt did not complete within its timeout.
    #[non_exhaustive]
    Timeout {
        /// The per-attempt timeout that elapsed, when known.
        timeout: Option<Duration>,
        /// The underlying HTTP client error, when the HTTP client itself
        /// reported the timeout.
        source: Option<reqwest::Error>,
    },
    /// The server answered with a status other than 2xx or 3xx.
    Api(Box<ApiError>),
    /// A successful answer could not be decoded into the expected type.
    Decode(Box<DecodeError>),
    /// The request could not be built (invalid header, serialization
    /// failure, malformed URL, ...). Nothing was sent.
    #[non_exhaustive]
    InvalidRequest {
        /// What is wrong with the request.
        message: String,
        /// The underlying error, if any.
        source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    },
    /// The client is misconfigured (for example no API token).
    Config(String),
}

impl Error {
    pub(crate) fn invalid_request(message: impl Into<String>) -> Self {
        Error::InvalidRequest {
            message: message.into(),
            source: None,
        }
    }

    pub(crate) fn invalid_request_with(
        message: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Error::InvalidRequest {
            message: message.into(),
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn timeout(timeout: Option<Duration>) -> Self {
        Error::Timeout {
            timeout,
            source: None,
        }
    }

    /// Classifies an HTTP client error; timeouts become [`Error::Timeout`].
    pub(crate) fn from_reqwest(error: reqwest::Error, timeout: Option<Duration>) -> Self {
        if error.is_timeout() {
            Error::Timeout {
                timeout,
                source: Some(error),
            }
        } else if error.is_builder() {
            Error::invalid_request_with("the HTTP request could not be built", error)
        } else {
            Error::Transport(error)
        }
    }

    /// The HTTP status of the answer, for API and decode errors.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status()),
            Error::Decode(decode) => Some(decode.status()),
            Error::Transport(error) => error.status(),
            _ => None,
        }
    }

    /// The Intercom request id of the failed call, when the server sent one
    /// (in the error body or in the `X-Request-Id` header).
    ///
    /// Quote it when contacting Intercom support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id(),
            Error::Decode(decode) => decode.request_id(),
            _ => None,
        }
    }

    /// Whether the failure is transient: `408`, `429`, `5xx`, timeouts and
    /// connection-level failures.
    ///
    /// Whether a failed request is actually retried also depends on its
    /// method; see [`RetryPolicy`](super::RetryPolicy).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(error) => {
                error.is_connect() || error.is_request() || error.is_body() || error.is_timeout()
            }
            Error::Timeout { .. } => true,
            Error::Api(api) => {
                let status = api.status();
                status == StatusCode::REQUEST_TIMEOUT
                    || status == StatusCode::TOO_MANY_REQUESTS
                    || status.is_server_error()
            }
            _ => false,
        }
    }

    /// Whether the API answered that the resource does not exist (`404`).
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Whether the server rejected the call because of rate limiting (`429`).
    pub fn is_rate_limited(&self) -> bool {
        self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// The codes of Intercom's error entries (`errors[].code`), in order; empty for errors
    /// that are not answers from the API, or answers without an Intercom error body.
    ///
    /// ```
    /// # use intercom_api::{Error, ErrorCode};
    /// fn explain(error: &Error) -> &'static str {
    ///     if error.codes().any(|code| code == ErrorCode::ParameterInvalid) {
    ///         "fix the request"
    ///     } else if error.codes().any(|code| code == ErrorCode::NotFound) {
    ///         "no such thing"
    ///     } else {
    ///         "something else"
    ///     }
    /// }
    /// ```
    pub fn codes(&self) -> impl Iterator<Item = ErrorCode> + '_ {
        self.api_error()
            .map(ApiError::errors)
            .unwrap_or_default()
            .iter()
            .map(ErrorItem::kind)
    }

    /// Whether an attempt timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The API error details, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(api) => Some(api),
            _ => None,
        }
    }

    /// The decode error details, for [`Error::Decode`].
    pub fn decode_error(&self) -> Option<&DecodeError> {
        match self {
            Error::Decode(decode) => Some(decode),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(f, "HTTP transport error: {error}"),
            Error::Timeout {
                timeout: Some(timeout),
                ..
            } => write!(f, "request timed out after {timeout:?}"),
            Error::Timeout { timeout: None, .. } => f.write_str("request timed out"),
            Error::Api(api) => fmt::Display::fmt(api, f),
            Error::Decode(decode) => fmt::Display::fmt(decode, f),
            Error::InvalidRequest { message, .. } => write!(f, "invalid request: {message}"),
            Error::Config(message) => write!(f, "invalid client configuration: {message}"),
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Timeout { source, .. } => {
                source.as_ref().map(|e| e as &(dyn StdError + 'static))
            }
            Error::Api(api) => Some(api.as_ref()),
            Error::Decode(decode) => Some(decode.as_ref()),
            Error::InvalidRequest { source, .. } => {
                source.as_deref().map(|e| e as &(dyn StdError + 'static))
            }
            Error::Config(_) => None,
        }
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::Api(Box::new(error))
    }
}

impl From<DecodeError> for Error {
    fn from(error: DecodeError) -> Self {
        Error::Decode(Box::new(error))
    }
}

/// One entry of an Intercom `error.list` body.
///
/// Deserialization is lenient: every field is optional and unknown fields
/// are ignored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorItem {
    /// Machine-readable error code such as `not_found` or `parameter_invalid`
    /// (empty when the server sent none).
    pub code: String,
    /// Human-readable description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The request field the error refers to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorItem {
    /// The entry's code as an [`ErrorCode`].
    pub fn kind(&self) -> ErrorCode {
        ErrorCode::from_code(&self.code)
    }
}

/// The kind of an Intercom error entry, from its `code`: the codes the descriptions document
/// most, and [`ErrorCode::NotFound`] for every `*_not_found` code (`contact_not_found`,
/// `tag_not_found`...). The exact text stays in [`ErrorItem::code`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// `unauthorized`, `token_unauthorized`, `token_not_found`: the token is missing, invalid
    /// or revoked.
    Unauthorized,
    /// `forbidden`: the token lacks the scope or permission.
    Forbidden,
    /// `api_plan_restricted`: the workspace's plan does not include this API.
    ApiPlanRestricted,
    /// `not_found` or any `*_not_found` code.
    NotFound,
    /// `parameter_invalid`, `data_invalid`, `type_mismatch`, `validation_error`,
    /// `invalid_field`, `bad_request`: the request is malformed.
    ParameterInvalid,
    /// `parameter_not_found`, `missing_parameter`: a required parameter is missing.
    ParameterMissing,
    /// `conflict`, `resource_conflict`: the resource is in a conflicting state.
    Conflict,
    /// `rate_limit_exceeded`.
    RateLimited,
    /// `intercom_version_invalid`: the `Intercom-Version` header names no version.
    VersionInvalid,
    /// `server_error`, `internal_error`, `service_unavailable`.
    ServerError,
    /// Any other code (empty when the entry had none).
    Other(String),
}

impl ErrorCode {
    /// The kind of the code `code`.
    pub fn from_code(code: &str) -> Self {
        match code {
            "unauthorized" | "token_unauthorized" | "token_not_found" => Self::Unauthorized,
            "forbidden" => Self::Forbidden,
            "api_plan_restricted" => Self::ApiPlanRestricted,
            "parameter_invalid" | "data_invalid" | "type_mismatch" | "validation_error"
            | "invalid_field" | "bad_request" => Self::ParameterInvalid,
            "parameter_not_found" | "missing_parameter" => Self::ParameterMissing,
            "conflict" | "resource_conflict" => Self::Conflict,
            "rate_limit_exceeded" => Self::RateLimited,
            "intercom_version_invalid" => Self::VersionInvalid,
            "server_error" | "internal_error" | "service_unavailable" => Self::ServerError,
            _ if code == "not_found" || code.ends_with("_not_found") => Self::NotFound,
            _ => Self::Other(code.to_owned()),
        }
    }
}

impl fmt::Display for ErrorItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let code = if self.code.is_empty() {
            "error"
        } else {
            &self.code
        };
        f.write_str(code)?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        Ok(())
    }
}

/// An answer with a status other than 2xx or 3xx.
///
/// The raw body is always kept. When it is an Intercom error body
/// (`{"type":"error.list","request_id":"..","errors":[{"code":"..","message":".."}]}`
/// or a single `{"type":"error","message":".."}` object), its entries are
/// available through [`errors`](Self::errors).
#[derive(Clone)]
pub struct ApiError {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    request_id: Option<String>,
    error_type: Option<String>,
    errors: Vec<ErrorItem>,
}

impl ApiError {
    /// Builds an API error from an answer, parsing the body leniently.
    ///
    /// ```
    /// use intercom_api::runtime::{ApiError, HeaderMap, StatusCode};
    ///
    /// let body = r#"{"type":"error.list","request_id":"req-1",
    ///               "errors":[{"code":"not_found","message":"User Not Found"}]}"#;
    /// let error = ApiError::new(StatusCode::NOT_FOUND, HeaderMap::new(), body);
    /// assert_eq!(error.request_id(), Some("req-1"));
    /// assert_eq!(error.errors()[0].code, "not_found");
    /// ```
    pub fn new(status: StatusCode, headers: HeaderMap, body: impl Into<Bytes>) -> Self {
        let body = body.into();
        let parsed = parse_error_body(&body);
        let request_id = parsed
            .request_id
            .or_else(|| header_request_id(&headers).map(str::to_owned));
        Self {
            status,
            headers,
            body,
            request_id,
            error_type: parsed.error_type,
            errors: parsed.errors,
        }
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The request id from the body's `request_id` field, or else from the
    /// `X-Request-Id` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The parsed Intercom error entries; empty when the body is not an
    /// Intercom error body.
    pub fn errors(&self) -> &[ErrorItem] {
        &self.errors
    }

    /// The body's `type` field (usually `error.list`), if any.
    pub fn error_type(&self) -> Option<&str> {
        self.error_type.as_deref()
    }

    /// The raw body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, if it is valid UTF-8.
    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The answer headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The rate-limit headers of the answer, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The `Retry-After` delay requested by the server, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        super::retry::retry_after(&self.headers)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("error_type", &self.error_type)
            .field("errors", &self.errors)
            .field("headers", &self.headers)
            .field("body", &BodyPreview(&self.body))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Intercom API error {}", self.status)?;
        if self.errors.is_empty() {
            let snippet = text_snippet(&self.body, 200);
            if !snippet.is_empty() {
                write!(f, ": {snippet}")?;
            }
        } else {
            for (index, item) in self.errors.iter().enumerate() {
                f.write_str(if index == 0 { ": " } else { "; " })?;
                fmt::Display::fmt(item, f)?;
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

impl StdError for ApiError {}

/// A successful answer whose body could not be decoded.
#[derive(Clone)]
pub struct DecodeError {
    path: Option<String>,
    message: String,
    status: StatusCode,
    request_id: Option<String>,
    body: Bytes,
    source: Option<std::sync::Arc<serde_json::Error>>,
}

impl DecodeError {
    pub(crate) fn from_json(
        path: String,
        inner: serde_json::Error,
        status: StatusCode,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            path: Some(path),
            message: inner.to_string(),
            status,
            request_id: header_request_id(headers).map(str::to_owned),
            body,
            source: Some(std::sync::Arc::new(inner)),
        }
    }

    pub(crate) fn other(
        message: impl Into<String>,
        status: StatusCode,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Self {
        Self {
            path: None,
            message: message.into(),
            status,
            request_id: header_request_id(headers).map(str::to_owned),
            body,
            source: None,
        }
    }

    /// The JSON path at which decoding failed, such as `data[1].id`
    /// (`.` is the document root). `None` for failures unrelated to JSON
    /// (invalid UTF-8 text, missing `Location` header).
    pub fn path(&self) -> Option<&str> {
        self.path.as_deref()
    }

    /// The decoder's message, for example
    /// `invalid type: integer `5`, expected a string at line 1 column 20`.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status of the answer.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The `X-Request-Id` header of the answer, if any.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The raw body bytes that failed to decode.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text, if it is valid UTF-8.
    pub fn body_text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("path", &self.path)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &BodyPreview(&self.body))
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to decode response ({})", self.status)?;
        if let Some(path) = &self.path {
            write!(f, " at `{path}`")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(request_id) = &self.request_id {
            write!(f, " (request id {request_id})")?;
        }
        Ok(())
    }
}

impl StdError for DecodeError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Debug helper printing a body as (truncated) text.
struct BodyPreview<'a>(&'a [u8]);

impl fmt::Debug for BodyPreview<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const LIMIT: usize = 1024;
        let text = String::from_utf8_lossy(&self.0[..self.0.len().min(LIMIT)]);
        if self.0.len() > LIMIT {
            write!(f, "{text:?}... ({} bytes)", self.0.len())
        } else {
            write!(f, "{text:?}")
        }
    }
}

/// The first `limit` characters of a body with whitespace collapsed.
fn text_snippet(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(body);
    let mut snippet = String::new();
    for (count, word) in text.split_whitespace().enumerate() {
        if count > 0 {
            snippet.push(' ');
        }
        snippet.push_str(word);
        if snippet.chars().count() > limit {
            let truncated: String = snippet.chars().take(limit).collect();
            return format!("{truncated}...");
        }
    }
    snippet
}

#[derive(Default)]
struct ParsedErrorBody {
    error_type: Option<String>,
    request_id: Option<String>,
    errors: Vec<ErrorItem>,
}

/// Parses an Intercom error body, accepting any shape without failing.
fn parse_error_body(body: &[u8]) -> ParsedErrorBody {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return ParsedErrorBody::default();
    };
    let errors = match object.get("errors") {
        Some(Value::Array(entries)) => entries.iter().filter_map(parse_error_item).collect(),
        Some(Value::Object(entry))
            if entry.contains_key("code") || entry.contains_key("message") =>
        {
            parse_error_item(&Value::Object(entry.clone()))
                .into_iter()
                .collect()
        }
        // `{"errors": {"field": "message", ...}}`: validation messages keyed by field.
        Some(Value::Object(by_field)) => by_field
            .iter()
            .map(|(field, message)| ErrorItem {
                code: String::new(),
                message: match message {
                    Value::String(text) => Some(text.clone()),
                    other => Some(other.to_string()),
                },
                field: Some(field.clone()),
            })
            .collect(),
        _ => single_error(&object).into_iter().collect(),
    };
    ParsedErrorBody {
        error_type: string_field(&object, "type"),
        request_id: string_field(&object, "request_id"),
        errors,
    }
}

fn parse_error_item(entry: &Value) -> Option<ErrorItem> {
    match entry {
        Value::Object(object) => Some(ErrorItem {
            code: string_field(object, "code").unwrap_or_default(),
            message: string_field(object, "message"),
            field: string_field(object, "field"),
        }),
        Value::String(message) => Some(ErrorItem {
            code: String::new(),
            message: Some(message.clone()),
            field: None,
        }),
        _ => None,
    }
}

/// A body such as `{"type":"error","message":".."}`, `{"error_key":"..","message":".."}` or an
/// OAuth-style `{"error":"..","error_description":".."}`.
fn single_error(object: &Map<String, Value>) -> Option<ErrorItem> {
    let code = string_field(object, "code")
        .or_else(|| string_field(object, "error_key"))
        .or_else(|| string_field(object, "error"));
    let message =
        string_field(object, "message").or_else(|| string_field(object, "error_description"));
    if code.is_none() && message.is_none() {
        return None;
    }
    Some(ErrorItem {
        code: code.unwrap_or_default(),
        message,
        field: string_field(object, "field"),
    })
}

fn string_field(object: &Map<String, Value>, name: &str) -> Option<String> {
    match object.get(name)? {
        Value::String(value) => Some(value.clone()),
        Value::Number(value) => Some(value.to_string()),
        Value::Bool(value) => Some(value.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, HeaderMap::new(), body.to_owned())
    }

    #[test]
    fn lenient_shapes() {
        let error = parse(r#"{"type":"error","message":"Access Token Invalid"}"#);
        assert_eq!(error.errors().len(), 1);
        assert_eq!(
            error.errors()[0].message.as_deref(),
            Some("Access Token Invalid")
        );

        let error = parse(r#"{"type":"error.list","request_id":"r1"}"#);
        assert!(error.errors().is_empty());
        assert_eq!(error.request_id(), Some("r1"));

        let error = parse(r#"{"errors":[{"code":42},{"message":"m"},"text",null]}"#);
        assert_eq!(error.errors().len(), 3);
        assert_eq!(error.errors()[0].code, "42");

        let error = parse("[1,2]");
        assert!(error.errors().is_empty());
        assert_eq!(error.body(), b"[1,2]");
    }

    #[test]
    fn codes_name_the_kind_of_each_entry() {
        let body = r#"{"type":"error.list","errors":[
            {"code":"tag_not_found"},{"code":"parameter_invalid"},{"code":"token_not_found"},
            {"code":"brand_new_code"},{"message":"no code"}]}"#;
        let error = Error::Api(Box::new(parse(body)));
        let codes: Vec<ErrorCode> = error.codes().collect();
        assert_eq!(
            codes,
            [
                ErrorCode::NotFound,
                ErrorCode::ParameterInvalid,
                ErrorCode::Unauthorized,
                ErrorCode::Other("brand_new_code".to_owned()),
                ErrorCode::Other(String::new()),
            ]
        );
    }

    #[test]
    fn display_truncates_html() {
        let body = format!("<html>{}</html>", "x".repeat(1000));
        let error = ApiError::new(StatusCode::BAD_GATEWAY, HeaderMap::new(), body);
        let text = error.to_string();
        assert!(text.starts_with("Intercom API error 502 Bad Gateway: <html>"));
        assert!(text.len() < 300);
    }
}
