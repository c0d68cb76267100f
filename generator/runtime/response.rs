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
        let mut deserializer = serde_json::Deserializer::from_slice(source);
        let decoded = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|error| (error.path().to_string(), error.into_inner()))
            .and_then(|data| {
                // Reject trailing characters after the JSON document.
                deserializer
                    .end()
                    .map(|()| data)
                    .map_err(|error| (".".to_owned(), error))
            });
        match decoded {
            Ok(data) => Ok(self.with_data(data)),
            Err((path, error)) => {
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
