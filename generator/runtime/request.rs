//! Request description and per-request options.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::body::{Multipart, Upload};
use super::error::Error;
use super::object::json_kind;
use super::retry::RetryPolicy;
use super::style::{self, Style};

/// Everything except the RFC 3986 unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`).
pub(crate) const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a value for use as a single path segment.
///
/// Everything except the RFC 3986 unreserved characters is encoded, so
/// `/`, `?`, `#`, spaces or non-ASCII characters in an identifier cannot
/// change the path or end it early.
///
/// ```
/// use intercom_api::runtime::encode_path_segment;
///
/// assert_eq!(encode_path_segment("a/b?c#d e é"), "a%2Fb%3Fc%23d%20e%20%C3%A9");
/// assert_eq!(encode_path_segment("6123-abc_x.y~z"), "6123-abc_x.y~z");
/// ```
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Header names whose values are never printed by `Debug`.
pub(crate) fn is_sensitive_header(name: &str) -> bool {
    [
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie",
    ]
    .iter()
    .any(|sensitive| name.eq_ignore_ascii_case(sensitive))
}

/// Why `body` did not serialize, and at which path: found by serializing it again while
/// tracking the path (which costs an allocation per map key), so only a failing body pays for
/// it.
fn body_error<T: Serialize>(body: &T, error: serde_json::Error) -> Error {
    let mut serializer = serde_json::Serializer::new(std::io::sink());
    let (path, error) = match serde_path_to_error::serialize(body, &mut serializer) {
        Err(tracked) => (tracked.path().to_string(), tracked.into_inner()),
        // A `Serialize` that failed once and not again: the first error, at the root.
        Ok(()) => (".".to_owned(), error),
    };
    Error::invalid_request_with(
        format!("failed to serialize the request body at `{path}`"),
        error,
    )
}

/// Validates a header name and value, marking credentials as sensitive.
pub(crate) fn parse_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|e| Error::invalid_request_with(format!("invalid header name `{name}`"), e))?;
    // The value is deliberately not part of the message: it may be a secret.
    let mut header_value = HeaderValue::from_str(value).map_err(|e| {
        Error::invalid_request_with(format!("invalid value for header `{header_name}`"), e)
    })?;
    if is_sensitive_header(name) {
        header_value.set_sensitive(true);
    }
    Ok((header_name, header_value))
}

/// A request to send with [`Transport::execute`](super::Transport::execute).
///
/// ```
/// use intercom_api::runtime::{encode_path_segment, ApiRequest, Method};
///
/// # fn demo() -> Result<(), intercom_api::runtime::Error> {
/// let path = format!("/contacts/{}", encode_path_segment("6123abc"));
/// let request = ApiRequest::new(Method::GET, path)
///     .query("per_page", 50)
///     .header("Accept-Language", "fr")?;
/// assert_eq!(request.path(), "/contacts/6123abc");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ApiRequest {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Body>,
    operation: Option<Operation>,
}

/// What a request sends.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    Bytes(Bytes),
    Upload(Upload),
    Multipart(Multipart),
}

impl Body {
    /// Whether the body can be sent again, so the request can be retried.
    pub(crate) fn is_repeatable(&self) -> bool {
        match self {
            Body::Bytes(_) => true,
            Body::Upload(upload) => upload.is_repeatable(),
            Body::Multipart(form) => form.is_repeatable(),
        }
    }
}

/// Which operation of the API a request is: its client method name and the description's
/// path template. Used for tracing spans and by the `test-util` mock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The client method, e.g. `show_contact`.
    pub name: &'static str,
    /// The path template, e.g. `/contacts/{contact_id}`.
    pub path_template: &'static str,
}

impl ApiRequest {
    /// Creates a request. `path` must already be percent-encoded (see
    /// [`encode_path_segment`]) and start with `/`; it is appended to the
    /// client's base URL.
    pub fn new(method: Method, path: String) -> Self {
        Self {
            method,
            path,
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            operation: None,
        }
    }

    /// Names the operation this request performs (generated clients always do).
    pub fn operation(mut self, name: &'static str) -> Self {
        let path_template = self
            .operation
            .map_or("", |operation| operation.path_template);
        self.operation = Some(Operation {
            name,
            path_template,
        });
        self
    }

    /// The description's path template of the operation (generated clients always set it,
    /// after [`ApiRequest::operation`]). A call of its own, so that a change to the template
    /// changes one generated line.
    pub fn path_template(mut self, path_template: &'static str) -> Self {
        let name = self.operation.map_or("", |operation| operation.name);
        self.operation = Some(Operation {
            name,
            path_template,
        });
        self
    }

    /// The operation this request performs, if named.
    pub fn operation_info(&self) -> Option<Operation> {
        self.operation
    }

    /// Appends a query parameter. Names and values are percent-encoded when
    /// the request is sent.
    pub fn query(mut self, name: &str, value: impl ToString) -> Self {
        self.query.push((name.to_owned(), value.to_string()));
        self
    }

    /// Appends a query parameter when `value` is `Some`.
    pub fn query_opt<V: ToString>(self, name: &str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// Appends an object as OpenAPI `style=form, explode=true` query
    /// parameters: every top-level field becomes its own pair.
    ///
    /// Strings are sent unquoted, numbers and booleans as their JSON text,
    /// `null` fields are skipped, array fields repeat the name once per
    /// element, and nested objects are sent as compact JSON. `value` must
    /// serialize to a JSON object (or `null`, which adds nothing).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use intercom_api::runtime::{ApiRequest, Method};
    ///
    /// # fn demo() -> Result<(), intercom_api::runtime::Error> {
    /// let filter = BTreeMap::from([("email", Some("a@b.c")), ("role", None)]);
    /// let request = ApiRequest::new(Method::GET, "/contacts".into()).query_object(&filter)?;
    /// assert_eq!(request.query_pairs(), [("email".to_string(), "a@b.c".to_string())]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn query_object<T: Serialize>(mut self, value: &T) -> Result<Self, Error> {
        let value = serde_json::to_value(value)
            .map_err(|e| Error::invalid_request_with("failed to serialize query parameters", e))?;
        self.query
            .extend(form_pairs(value, "query parameters must serialize")?);
        Ok(self)
    }

    /// Sets a JSON body and the `Content-Type: application/json` header.
    ///
    /// Serialization errors name the failing field path.
    pub fn json<T: Serialize>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|error| body_error(body, error))?;
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        self.body = Some(Body::Bytes(Bytes::from(bytes)));
        Ok(self)
    }

    /// Sets a JSON body sent with another JSON media type (`application/merge-patch+json`).
    pub fn json_as<T: Serialize>(self, body: &T, content_type: &str) -> Result<Self, Error> {
        self.json(body)?.header(CONTENT_TYPE.as_str(), content_type)
    }

    /// Sets a raw body with the given `Content-Type`.
    pub fn body(mut self, content_type: &str, body: impl Into<Bytes>) -> Result<Self, Error> {
        let (name, value) = parse_header(CONTENT_TYPE.as_str(), content_type)?;
        self.headers.insert(name, value);
        self.body = Some(Body::Bytes(body.into()));
        Ok(self)
    }

    /// Sets an `application/x-www-form-urlencoded` body: the object's fields as form pairs
    /// (arrays repeat the name, nested objects are JSON, `null` fields are left out).
    pub fn form<T: Serialize>(self, body: &T) -> Result<Self, Error> {
        let pairs = form_pairs(style::to_json("body", body)?, "a form body must serialize")?;
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(name, value)| {
                format!(
                    "{}={}",
                    utf8_percent_encode(name, NOT_UNRESERVED),
                    utf8_percent_encode(value, NOT_UNRESERVED)
                )
            })
            .collect();
        self.body("application/x-www-form-urlencoded", encoded.join("&"))
    }

    /// Sets a `multipart/form-data` body (the boundary is added when it is sent).
    pub fn multipart(mut self, form: Multipart) -> Self {
        self.headers.remove(CONTENT_TYPE);
        self.body = Some(Body::Multipart(form));
        self
    }

    /// Sets a raw body read from `upload`, sent with its content type or `default_content_type`.
    pub fn upload(mut self, upload: Upload, default_content_type: &str) -> Result<Self, Error> {
        let (name, value) = parse_header(
            CONTENT_TYPE.as_str(),
            upload.content_type_or(default_content_type),
        )?;
        self.headers.insert(name, value);
        self.body = Some(Body::Upload(upload));
        Ok(self)
    }

    /// Appends a parameter serialized in an OpenAPI query style (see [`style::query_pairs`]).
    pub fn query_styled<T: Serialize>(
        mut self,
        name: &str,
        style: Style,
        explode: bool,
        value: &T,
    ) -> Result<Self, Error> {
        self.query
            .extend(style::query_pairs(name, style, explode, value)?);
        Ok(self)
    }

    /// Adds a cookie (`style: form`) to the `Cookie` header.
    pub fn cookie<T: Serialize>(self, name: &str, explode: bool, value: &T) -> Result<Self, Error> {
        let pairs = style::query_pairs(name, Style::Form, explode, value)?;
        let mut cookies: Vec<String> = self
            .headers
            .get(reqwest::header::COOKIE)
            .and_then(|v| v.to_str().ok())
            .map(|v| vec![v.to_owned()])
            .unwrap_or_default();
        cookies.extend(pairs.iter().map(|(name, value)| format!("{name}={value}")));
        self.header(reqwest::header::COOKIE.as_str(), &cookies.join("; "))
    }

    /// Sets a header, replacing any previous value for the same name.
    ///
    /// Fails with [`Error::InvalidRequest`] when the name or value is not
    /// valid in HTTP.
    pub fn header(mut self, name: &str, value: &str) -> Result<Self, Error> {
        let (name, value) = parse_header(name, value)?;
        self.headers.insert(name, value);
        Ok(self)
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The percent-encoded path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The query parameters, not yet encoded.
    pub fn query_pairs(&self) -> &[(String, String)] {
        &self.query
    }

    /// The request-specific headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The body bytes, if any.
    pub fn body_bytes(&self) -> Option<&[u8]> {
        match &self.body {
            Some(Body::Bytes(bytes)) => Some(bytes),
            _ => None,
        }
    }

    pub(crate) fn into_parts(self) -> RequestParts {
        RequestParts {
            method: self.method,
            path: self.path,
            query: self.query,
            headers: self.headers,
            body: self.body,
            operation: self.operation,
        }
    }
}

/// The fields of an [`ApiRequest`], for the transport.
pub(crate) struct RequestParts {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
    pub(crate) operation: Option<Operation>,
}

/// An object's fields as `style=form, explode=true` pairs (`null` gives none); `what` starts
/// the error for anything else ("... to an object, not a string").
fn form_pairs(value: Value, what: &str) -> Result<Vec<(String, String)>, Error> {
    let mut pairs = Vec::new();
    match value {
        Value::Null => {}
        Value::Object(fields) => {
            for (name, field) in fields {
                push_query_value(&mut pairs, &name, field);
            }
        }
        other => {
            return Err(Error::invalid_request(format!(
                "{what} to an object, not {}",
                json_kind(&other)
            )))
        }
    }
    Ok(pairs)
}

fn push_query_value(query: &mut Vec<(String, String)>, name: &str, value: Value) {
    match value {
        Value::Null => {}
        Value::String(text) => query.push((name.to_owned(), text)),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::Array(_) => query.push((name.to_owned(), item.to_string())),
                    other => push_query_value(query, name, other),
                }
            }
        }
        other => query.push((name.to_owned(), other.to_string())),
    }
}

/// Per-request overrides of the client configuration.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::runtime::RequestOptions;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .max_retries(0)
///     .api_version("Unstable")
///     .header("X-Trace", "abc");
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) api_version: Option<String>,
    pub(crate) retry_policy: Option<RetryPolicy>,
}

impl RequestOptions {
    /// Options that override nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides the per-attempt timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Overrides the maximum number of retries (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds a header, replacing any header of the same name set by the
    /// client or the request. The name and value are validated when the
    /// request is sent; invalid ones fail with [`Error::InvalidRequest`].
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Adds a query parameter, replacing any the request sets with the same name: for a
    /// parameter the description does not declare, such as `per_page` where it is missing.
    pub fn query(mut self, name: impl Into<String>, value: impl ToString) -> Self {
        self.query.push((name.into(), value.to_string()));
        self
    }

    /// Overrides the `Intercom-Version` header for this call.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Overrides the retry policy for this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let value = if is_sensitive_header(name) {
                    "***"
                } else {
                    value.as_str()
                };
                (name.as_str(), value)
            })
            .collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &headers)
            .field("query", &self.query)
            .field("api_version", &self.api_version)
            .field("retry_policy", &self.retry_policy)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_object_flattens() -> Result<(), Error> {
        let value = serde_json::json!({
            "a": "x y",
            "b": 1,
            "c": null,
            "d": [1, "two", null],
            "e": {"k": true},
            "f": false
        });
        let request = ApiRequest::new(Method::GET, "/".into()).query_object(&value)?;
        let pairs: Vec<(&str, &str)> = request
            .query_pairs()
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a", "x y"),
                ("b", "1"),
                ("d", "1"),
                ("d", "two"),
                ("e", r#"{"k":true}"#),
                ("f", "false"),
            ]
        );
        assert!(ApiRequest::new(Method::GET, "/".into())
            .query_object(&[1, 2])
            .is_err());
        Ok(())
    }

    #[test]
    fn a_body_that_does_not_serialize_names_the_failing_path() {
        use std::collections::BTreeMap;
        // JSON object keys must be text: the inner map's key is an array.
        let inner = BTreeMap::from([(vec![1_u8], 1)]);
        let body = BTreeMap::from([("ok", BTreeMap::new()), ("tags", inner)]);
        let error = ApiRequest::new(Method::POST, "/".into())
            .json(&body)
            .expect_err("a body with an array as a key does not serialize");
        assert!(
            error.to_string().contains("request body at `tags`"),
            "{error}"
        );
    }

    #[test]
    fn invalid_header_does_not_leak_value() {
        let result = ApiRequest::new(Method::GET, "/".into()).header("Authorization", "secret\n");
        let message = format!("{:?}", result.err());
        assert!(message.contains("authorization"));
        assert!(!message.contains("secret"));
    }

    #[test]
    fn options_debug_redacts_credentials() {
        let options = RequestOptions::new().header("Authorization", "Bearer secret");
        assert!(!format!("{options:?}").contains("secret"));
    }
}
