//! Successful answers and their decoding.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use super::error::{DecodeError, Error};

/// Returns the `X-Request-Id` header, if present and valid text.
pub(crate) fn header_request_id(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-request-id")?
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|id| !id.is_empty())
}

/// The rate-limit state reported by Intercom in the `X-RateLimit-*` headers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// `X-RateLimit-Limit`: requests allowed in the current window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the current window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets, in Unix seconds.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the `X-RateLimit-*` headers; `None` when none of them is present
    /// with a numeric value.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let number =
            |name: &str| -> Option<u64> { headers.get(name)?.to_str().ok()?.trim().parse().ok() };
        let rate_limit = Self {
            limit: number("x-ratelimit-limit"),
            remaining: number("x-ratelimit-remaining"),
            reset: number("x-ratelimit-reset"),
        };
        if rate_limit == Self::default() {
            None
        } else {
            Some(rate_limit)
        }
    }

    /// The reset time as a [`SystemTime`].
    pub fn reset_at(&self) -> Option<SystemTime> {
        UNIX_EPOCH.checked_add(Duration::from_secs(self.reset?))
    }
}

/// A JSON document that did not decode as the type asked for.
#[derive(Debug)]
pub struct JsonError {
    /// The JSON path at which decoding failed, such as `data[1].id` (`.` is the document root).
    pub path: String,
    /// Why, as `serde_json` says it.
    pub error: serde_json::Error,
}

impl std::fmt::Display for JsonError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.error)
    }
}

impl std::error::Error for JsonError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Decodes a JSON document as `T`, the way the client decodes every response body (for bodies
/// kept or received some other way, such as a cached response); trailing characters after the
/// document are an error.
///
/// A valid body is read once, as text: its UTF-8 is checked in one pass over the whole body,
/// not once per string, and no JSON path is tracked. Only a body that fails is read again,
/// tracking the path, to say where it failed (tracking it costs an allocation per property).
///
/// ```
/// let ids: Vec<String> = intercom_api::runtime::decode_json(br#"["1", "2"]"#).unwrap();
/// assert_eq!(ids, ["1", "2"]);
/// let error = intercom_api::runtime::decode_json::<Vec<bool>>(br#"[true, "no"]"#).unwrap_err();
/// assert_eq!(error.path, "[1]");
/// ```
pub fn decode_json<T: DeserializeOwned>(json: &[u8]) -> Result<T, JsonError> {
    if let Ok(text) = std::str::from_utf8(json) {
        if let Ok(decoded) = serde_json::from_str(text) {
            return Ok(decoded);
        }
    }
    decode_json_with_path(json)
}

/// Decodes `json` tracking the path, which [`JsonError`] reports.
fn decode_json_with_path<T: DeserializeOwned>(json: &[u8]) -> Result<T, JsonError> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|error| JsonError {
            path: error.path().to_string(),
            error: error.into_inner(),
        })
        .and_then(|data| {
            // Reject trailing characters after the JSON document.
            deserializer
                .end()
                .map(|()| data)
                .map_err(|error| JsonError {
                    path: ".".to_owned(),
                    error,
                })
        })
}

/// A successful (2xx or 3xx) answer whose body has not been decoded yet.
#[derive(Clone, Debug)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    url: Url,
}

impl RawResponse {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: Bytes, url: Url) -> Self {
        Self {
            status,
            headers,
            body,
            url,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The URL the request was sent to.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Decodes the JSON body into `T`.
    ///
    /// On failure the [`DecodeError`] names the JSON path that did not match
    /// (for example `data[1].id`) and keeps the body. An empty body is
    /// decoded as JSON `null`, so `Option<T>` and `()` accept it.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, Error> {
        let source: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        let decoded = decode_json(source);
        match decoded {
            Ok(data) => Ok(self.with_data(data)),
            Err(JsonError { path, error }) => {
                Err(
                    DecodeError::from_json(path, error, self.status, &self.headers, self.body)
                        .into(),
                )
            }
        }
    }

    /// Returns the body as UTF-8 text.
    pub fn text(self) -> Result<Response<String>, Error> {
        match String::from_utf8(self.body.to_vec()) {
            Ok(text) => Ok(self.with_data(text)),
            Err(error) => Err(DecodeError::other(
                format!("response body is not valid UTF-8: {error}"),
                self.status,
                &self.headers,
                self.body,
            )
            .into()),
        }
    }

    /// Discards the body content (it stays available through
    /// [`Response::body`]).
    pub fn empty(self) -> Response<()> {
        self.with_data(())
    }

    /// Returns the redirect target from the `Location` header, resolved
    /// against the request URL when relative.
    ///
    /// Used for operations answering with a redirect to a signed download
    /// URL; fails when the header is missing or invalid.
    pub fn redirect(self) -> Result<Response<Redirect>, Error> {
        let location = self
            .headers
            .get(LOCATION)
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .and_then(|value| self.url.join(value).ok());
        match location {
            Some(location) => Ok(self.with_data(Redirect {
                location: location.into(),
            })),
            None => Err(DecodeError::other(
                "the answer has no valid `Location` header",
                self.status,
                &self.headers,
                self.body,
            )
            .into()),
        }
    }

    fn with_data<T>(self, data: T) -> Response<T> {
        Response {
            data,
            status: self.status,
            headers: self.headers,
            body: self.body,
        }
    }
}

/// The target of a redirect answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Redirect {
    /// The absolute URL from the `Location` header.
    pub location: String,
}

/// A decoded successful answer with its metadata.
#[derive(Clone, Debug)]
pub struct Response<T> {
    data: T,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl<T> Response<T> {
    pub(crate) fn new(data: T, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        Self {
            data,
            status,
            headers,
            body,
        }
    }

    /// The decoded data.
    pub fn data(&self) -> &T {
        &self.data
    }

    /// Consumes the response, returning the decoded data.
    pub fn into_data(self) -> T {
        self.data
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `X-Request-Id` header, if any.
    pub fn request_id(&self) -> Option<&str> {
        header_request_id(&self.headers)
    }

    /// The `X-RateLimit-*` headers of this answer, if any.
    pub fn rate_limit(&self) -> Option<RateLimit> {
        RateLimit::from_headers(&self.headers)
    }

    /// The raw body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Transforms the data, keeping the metadata.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            data: f(self.data),
            status: self.status,
            headers: self.headers,
            body: self.body,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode_json;
    use std::collections::BTreeMap;

    type Names = BTreeMap<String, Vec<String>>;

    #[test]
    fn a_failed_decode_says_where_however_the_body_failed() {
        // Every failure is read again to find its path: the value that does not fit, the
        // invalid UTF-8 (which the one-pass check finds before any reading), trailing text.
        let cases: [(&[u8], &str); 3] = [
            (br#"{"a": ["x", {}]}"#, "a[1]"),
            (b"{\"a\": [\"x\", \"\xff\"]}", "a[1]"),
            (br#"{"a": []} {}"#, "."),
        ];
        for (body, path) in cases {
            let error = decode_json::<Names>(body).unwrap_err();
            assert_eq!(error.path, path, "{error}");
        }
    }

    #[test]
    fn a_valid_body_decodes_as_text_or_bytes_would() {
        let body = "{\"caf\u{e9}\": [\"\\u00e9\", \"\u{1f600}\"]}";
        let decoded: Names = decode_json(body.as_bytes()).unwrap();
        assert_eq!(
            decoded,
            serde_json::from_slice::<Names>(body.as_bytes()).unwrap()
        );
        assert_eq!(decoded["caf\u{e9}"], ["\u{e9}", "\u{1f600}"]);
    }
}
