//! Client configuration and the HTTP transport.

use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use percent_encoding::utf8_percent_encode;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, USER_AGENT};
use reqwest::{Method, StatusCode, Url};

use super::body::ByteStream;
use super::error::{ApiError, Error};
use super::request::{
    parse_header, ApiRequest, Body, RequestOptions, RequestParts, NOT_UNRESERVED,
};
use super::response::{RateLimit, RawResponse, Response};
use super::retry::RetryPolicy;
use super::telemetry::CallSpan;
#[cfg(feature = "test-util")]
use super::test_util::MockBackend;
use super::tls;

/// Environment variable read by [`ClientBuilder::token_from_env`].
const TOKEN_ENV_VAR: &str = "INTERCOM_API_KEY";

/// Default per-attempt timeout.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Default number of retries after the first attempt.
const DEFAULT_MAX_RETRIES: u32 = 2;

const INTERCOM_VERSION: &str = "intercom-version";

/// The Intercom data-hosting region of a workspace.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Region {
    /// United States (`https://api.intercom.io`).
    #[default]
    Us,
    /// Europe (`https://api.eu.intercom.io`).
    Eu,
    /// Australia (`https://api.au.intercom.io`).
    Au,
}

impl Region {
    /// The API base URL of the region.
    pub fn base_url(&self) -> &'static str {
        match self {
            Region::Us => "https://api.intercom.io",
            Region::Eu => "https://api.eu.intercom.io",
            Region::Au => "https://api.au.intercom.io",
        }
    }
}

#[derive(Clone)]
enum TokenSource {
    Missing,
    Explicit(String),
    Env,
}

/// Configures and builds a client of type `C` (any type constructible from
/// a [`Transport`], such as the generated client).
///
/// ```no_run
/// use std::time::Duration;
/// use intercom_api::runtime::{ClientBuilder, Region, Transport};
///
/// # fn demo() -> Result<(), intercom_api::runtime::Error> {
/// let transport: Transport = ClientBuilder::new("2.11")
///     .token_from_env()
///     .region(Region::Au)
///     .timeout(Duration::from_secs(30))
///     .max_retries(3)
///     .build()?;
/// # let _ = transport;
/// # Ok(())
/// # }
/// ```
pub struct ClientBuilder<C> {
    default_api_version: &'static str,
    api_version: Option<String>,
    token: TokenSource,
    region: Region,
    base_url: Option<String>,
    timeout: Duration,
    user_agent: Option<String>,
    max_retries: u32,
    retry_policy: RetryPolicy,
    http_client: Option<reqwest::Client>,
    #[cfg(feature = "test-util")]
    mock: Option<MockBackend>,
    client: PhantomData<fn() -> C>,
}

impl<C: From<Transport>> ClientBuilder<C> {
    /// Starts a builder; `default_api_version` is sent as the
    /// `Intercom-Version` header unless overridden.
    pub fn new(default_api_version: &'static str) -> Self {
        Self {
            default_api_version,
            api_version: None,
            token: TokenSource::Missing,
            region: Region::default(),
            base_url: None,
            timeout: DEFAULT_TIMEOUT,
            user_agent: None,
            max_retries: DEFAULT_MAX_RETRIES,
            retry_policy: RetryPolicy::default(),
            http_client: None,
            #[cfg(feature = "test-util")]
            mock: None,
            client: PhantomData,
        }
    }

    /// Answers requests from a mock instead of the network.
    #[cfg(feature = "test-util")]
    pub(crate) fn mock(mut self, backend: MockBackend) -> Self {
        self.mock = Some(backend);
        self
    }

    /// Sets the access token sent as `Authorization: Bearer <token>`.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = TokenSource::Explicit(token.into());
        self
    }

    /// Reads the access token from the `INTERCOM_API_KEY` environment
    /// variable when [`build`](Self::build) is called.
    pub fn token_from_env(mut self) -> Self {
        self.token = TokenSource::Env;
        self
    }

    /// Selects the regional API host (default [`Region::Us`]).
    pub fn region(mut self, region: Region) -> Self {
        self.region = region;
        self
    }

    /// Uses a custom base URL (proxy, mock server), overriding the region.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the per-attempt timeout (default 60 s). Each retry gets a fresh
    /// timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the `User-Agent` header (default `intercom-api-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sets how many times a failed request may be retried (default 2).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// Sets the retry policy; see [`RetryPolicy`] for the defaults.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = policy;
        self
    }

    /// Uses an existing HTTP client (for connection sharing, proxies or
    /// custom TLS).
    ///
    /// The client's own redirect policy applies: build it with
    /// `reqwest::redirect::Policy::none()` so that redirect answers (signed
    /// download URLs) are returned instead of followed.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Overrides the `Intercom-Version` header for every call of the client.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Builds the client.
    ///
    /// Fails with [`Error::Config`] when no token is configured (or
    /// `INTERCOM_API_KEY` is unset), when the token, version or user agent
    /// are not valid header values, or when the base URL is invalid.
    pub fn build(self) -> Result<C, Error> {
        let token = match self.token {
            TokenSource::Explicit(token) => token,
            TokenSource::Env => std::env::var(TOKEN_ENV_VAR).map_err(|_| {
                Error::Config(format!(
                    "the `{TOKEN_ENV_VAR}` environment variable is not set or not valid UTF-8"
                ))
            })?,
            TokenSource::Missing => {
                return Err(Error::Config(format!(
                    "no API token configured: call `ClientBuilder::token` or \
                     `ClientBuilder::token_from_env` (reads `{TOKEN_ENV_VAR}`)"
                )))
            }
        };
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::Config("the API token is empty".to_owned()));
        }
        let mut authorization =
            HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                Error::Config(
                    "the API token contains characters not allowed in a header".to_owned(),
                )
            })?;
        authorization.set_sensitive(true);

        let api_version_explicit = self.api_version.is_some();
        let api_version = self
            .api_version
            .unwrap_or_else(|| self.default_api_version.to_owned());
        HeaderValue::from_str(&api_version).map_err(|_| {
            Error::Config(format!(
                "invalid API version `{}`",
                api_version.escape_debug()
            ))
        })?;

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("intercom-api-rust/{}", env!("CARGO_PKG_VERSION")));
        let user_agent_header = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::Config(format!(
                "invalid user agent `{}`",
                user_agent.escape_debug()
            ))
        })?;

        let base_url = self
            .base_url
            .unwrap_or_else(|| self.region.base_url().to_owned());
        let base_url = base_url.trim_end_matches('/').to_owned();
        match Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            _ => {
                return Err(Error::Config(format!(
                    "invalid base URL `{}`: expected an absolute http(s) URL",
                    base_url.escape_debug()
                )))
            }
        }

        let http = match self.http_client {
            Some(client) => client,
            None if !tls::HAS_TLS && base_url.starts_with("https:") => {
                return Err(Error::Config(
                    "this build has no TLS backend: enable the `rustls-webpki-roots`, \
                     `rustls-platform-roots` or `native-tls` feature, or pass a client to \
                     `ClientBuilder::http_client`"
                        .to_owned(),
                ))
            }
            None => tls::default_client(self.timeout.min(Duration::from_secs(30)))?,
        };

        Ok(C::from(Transport {
            module_version: None,
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                api_version,
                api_version_explicit,
                user_agent,
                user_agent_header,
                timeout: self.timeout,
                max_retries: self.max_retries,
                retry_policy: self.retry_policy,
                rate_limit: Mutex::new(None),
                #[cfg(feature = "test-util")]
                mock: self.mock,
            }),
        }))
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = match self.token {
            TokenSource::Missing => "<none>",
            TokenSource::Explicit(_) => "***",
            TokenSource::Env => "<from INTERCOM_API_KEY>",
        };
        f.debug_struct("ClientBuilder")
            .field("token", &token)
            .field("default_api_version", &self.default_api_version)
            .field("api_version", &self.api_version)
            .field("region", &self.region)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("max_retries", &self.max_retries)
            .field("retry_policy", &self.retry_policy)
            .field("custom_http_client", &self.http_client.is_some())
            .finish()
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        Self {
            default_api_version: self.default_api_version,
            api_version: self.api_version.clone(),
            token: self.token.clone(),
            region: self.region,
            base_url: self.base_url.clone(),
            timeout: self.timeout,
            user_agent: self.user_agent.clone(),
            max_retries: self.max_retries,
            retry_policy: self.retry_policy.clone(),
            http_client: self.http_client.clone(),
            #[cfg(feature = "test-util")]
            mock: self.mock.clone(),
            client: PhantomData,
        }
    }
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    authorization: HeaderValue,
    api_version: String,
    /// Set with [`ClientBuilder::api_version`] rather than the version module's default.
    api_version_explicit: bool,
    user_agent: String,
    user_agent_header: HeaderValue,
    timeout: Duration,
    max_retries: u32,
    retry_policy: RetryPolicy,
    rate_limit: Mutex<Option<RateLimit>>,
    #[cfg(feature = "test-util")]
    mock: Option<MockBackend>,
}

/// Sends requests to the Intercom API: authentication, versioning, retries,
/// timeouts and rate-limit tracking.
///
/// Cloning is cheap; clones share the connection pool and the rate-limit
/// state.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
    /// The version module this handle belongs to, when its `Intercom-Version` is sent instead
    /// of the builder's default (see [`Transport::for_module_version`]).
    module_version: Option<&'static str>,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &self.inner;
        f.debug_struct("Transport")
            .field("base_url", &inner.base_url)
            .field("token", &"***")
            .field("api_version", &inner.api_version)
            .field("user_agent", &inner.user_agent)
            .field("timeout", &inner.timeout)
            .field("max_retries", &inner.max_retries)
            .field("retry_policy", &inner.retry_policy)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Sends a request, retrying transient failures, and returns the answer
    /// when its status is 2xx or 3xx.
    ///
    /// Any other status becomes [`Error::Api`]; an attempt exceeding its
    /// timeout becomes [`Error::Timeout`].
    ///
    /// ```no_run
    /// use intercom_api::runtime::{ApiRequest, ClientBuilder, Method, RequestOptions, Transport};
    ///
    /// # async fn demo() -> Result<(), intercom_api::runtime::Error> {
    /// let transport: Transport = ClientBuilder::new("2.11").token("token").build()?;
    /// let answer = transport
    ///     .execute(
    ///         ApiRequest::new(Method::GET, "/admins".to_string()),
    ///         &RequestOptions::new().max_retries(0),
    ///     )
    ///     .await?;
    /// println!("{}", answer.status());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn execute(
        &self,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<RawResponse, Error> {
        let parts = request.into_parts();
        let span = CallSpan::new(parts.operation, &parts.method, &parts.path);
        let (answer, url, timeout) = span
            .instrument(self.execute_parts(parts, options, &span, false))
            .await?;
        let body = answer.body.read(timeout).await?;
        Ok(RawResponse::new(answer.status, answer.headers, body, url))
    }

    /// Like [`Transport::execute`], but the body of a successful answer is streamed to the
    /// caller instead of read into memory (downloads). The timeout covers the wait for the
    /// answer's headers; reading the stream takes as long as it takes.
    pub async fn execute_streaming(
        &self,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<ByteStream>, Error> {
        let parts = request.into_parts();
        let span = CallSpan::new(parts.operation, &parts.method, &parts.path);
        let (answer, _, _) = span
            .instrument(self.execute_parts(parts, options, &span, true))
            .await?;
        let stream = match answer.body {
            AnswerBody::Bytes(body) => ByteStream::from_bytes(body, &answer.headers),
            AnswerBody::Unread(response) => ByteStream::from_response(response),
        };
        Ok(Response::new(
            stream,
            answer.status,
            answer.headers,
            Bytes::new(),
        ))
    }

    /// Sends until an answer is 2xx/3xx or retries are exhausted. With `stream`, a successful
    /// answer's body is left unread.
    async fn execute_parts(
        &self,
        parts: RequestParts,
        options: &RequestOptions,
        span: &CallSpan,
        stream: bool,
    ) -> Result<(Answer, Url, Duration), Error> {
        let inner = &*self.inner;
        let url = self.url(&parts.path, &merged_query(parts.query, &options.query))?;
        let headers = self.headers(parts.headers, options)?;
        let timeout = options.timeout.unwrap_or(inner.timeout);
        // A body that can be sent only once (a stream) cannot be retried.
        let max_retries = match &parts.body {
            Some(body) if !body.is_repeatable() => 0,
            _ => options.max_retries.unwrap_or(inner.max_retries),
        };
        let policy = options.retry_policy.as_ref().unwrap_or(&inner.retry_policy);
        let exchange = Exchange {
            #[cfg(feature = "test-util")]
            operation: parts.operation,
            method: &parts.method,
            url: &url,
            headers: &headers,
            body: parts.body.as_ref(),
            timeout,
            stream,
        };

        let mut retry = 0;
        loop {
            span.attempt(retry + 1);
            let error = match self.attempt(&exchange, span).await {
                Ok(answer) => return Ok((answer, url, timeout)),
                Err(error) => error,
            };
            if retry >= max_retries || !policy.should_retry(&parts.method, &error) {
                span.failed(&error);
                return Err(error);
            }
            let wait = policy.delay(retry, &error);
            span.retrying(retry + 1, &error, wait);
            tokio::time::sleep(wait).await;
            retry += 1;
        }
    }

    /// The most recent `X-RateLimit-*` values seen by this transport or any
    /// of its clones.
    pub fn last_rate_limit(&self) -> Option<RateLimit> {
        *self
            .inner
            .rate_limit
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Intercom-Version` sent by default.
    pub fn api_version(&self) -> &str {
        self.module_version.unwrap_or(&self.inner.api_version)
    }

    /// This transport for a version module's client: unless the builder set an
    /// `Intercom-Version` explicitly ([`ClientBuilder::api_version`]), requests send `version`,
    /// the module's own, so a transport shared between the clients of two versions (same
    /// connection pool, token, region and retries) sends each client's version.
    pub fn for_module_version(mut self, version: &'static str) -> Self {
        self.module_version = (!self.inner.api_version_explicit).then_some(version);
        self
    }

    /// The base URL requests are sent to (without trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Builds the full URL, refusing paths that could escape their endpoint.
    fn url(&self, path: &str, query: &[(String, String)]) -> Result<Url, Error> {
        if !path.starts_with('/') {
            return Err(Error::invalid_request(format!(
                "the request path `{}` does not start with `/`",
                path.escape_debug()
            )));
        }
        let segments: Vec<&str> = path[1..].split('/').collect();
        let last = segments.len() - 1;
        for (index, segment) in segments.iter().enumerate() {
            if segment.is_empty() && !(index == 0 && last == 0) {
                return Err(Error::invalid_request(format!(
                    "the request path `{}` has an empty segment (empty identifier?)",
                    path.escape_debug()
                )));
            }
            if is_dot_segment(segment) {
                return Err(Error::invalid_request(format!(
                    "the request path `{}` contains a `.` or `..` segment",
                    path.escape_debug()
                )));
            }
            if segment.contains(['?', '#']) {
                return Err(Error::invalid_request(format!(
                    "the request path `{}` contains an unencoded `?` or `#`",
                    path.escape_debug()
                )));
            }
        }

        let mut url = format!("{}{path}", self.inner.base_url);
        for (index, (name, value)) in query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.extend(utf8_percent_encode(name, NOT_UNRESERVED));
            url.push('=');
            url.extend(utf8_percent_encode(value, NOT_UNRESERVED));
        }
        Url::parse(&url)
            .map_err(|e| Error::invalid_request_with(format!("invalid request URL `{url}`"), e))
    }

    /// Merges client defaults, request headers and per-call overrides.
    fn headers(&self, request: HeaderMap, options: &RequestOptions) -> Result<HeaderMap, Error> {
        let inner = &*self.inner;
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, inner.authorization.clone());
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, inner.user_agent_header.clone());
        let version = options.api_version.as_deref().unwrap_or(self.api_version());
        let (name, value) = parse_header(INTERCOM_VERSION, version)?;
        headers.insert(name, value);
        let mut previous = None;
        for (name, value) in request {
            // `HeaderMap` iteration yields the name only for a name's first value.
            let name = match name {
                Some(name) => {
                    headers.remove(&name);
                    previous = Some(name.clone());
                    name
                }
                None => match &previous {
                    Some(name) => name.clone(),
                    None => continue,
                },
            };
            headers.append(name, value);
        }
        for (name, value) in &options.headers {
            let (name, value) = parse_header(name, value)?;
            headers.insert(name, value);
        }
        Ok(headers)
    }

    /// One attempt: send, read the whole body, classify the status.
    async fn attempt(&self, exchange: &Exchange<'_>, span: &CallSpan) -> Result<Answer, Error> {
        let answer = self.answer(exchange).await?;
        span.answered(answer.status, &answer.headers);
        if let Some(rate_limit) = RateLimit::from_headers(&answer.headers) {
            *self
                .inner
                .rate_limit
                .lock()
                .unwrap_or_else(PoisonError::into_inner) = Some(rate_limit);
        }
        if answer.status.is_success() || answer.status.is_redirection() {
            return Ok(answer);
        }
        // An error answer's body carries Intercom's error list: always read it.
        let body = answer.body.read(exchange.timeout).await?;
        Err(ApiError::new(answer.status, answer.headers, body).into())
    }

    /// One HTTP exchange (or the mock's answer, with `test-util`).
    async fn answer(&self, exchange: &Exchange<'_>) -> Result<Answer, Error> {
        #[cfg(feature = "test-util")]
        if let Some(mock) = &self.inner.mock {
            let recorded_body = match exchange.body {
                Some(Body::Bytes(bytes)) => Some(bytes),
                _ => None,
            };
            let (status, headers, body) = mock.answer(
                exchange.operation,
                exchange.method,
                exchange.url,
                exchange.headers,
                recorded_body,
            );
            return Ok(Answer {
                status,
                headers,
                body: AnswerBody::Bytes(body),
            });
        }
        let mut request = self
            .inner
            .http
            .request(exchange.method.clone(), exchange.url.clone())
            .headers(exchange.headers.clone());
        request = match exchange.body {
            None => request,
            Some(Body::Bytes(bytes)) => request.body(bytes.clone()),
            Some(Body::Upload(upload)) => request.body(upload.reqwest_body().await?),
            Some(Body::Multipart(form)) => request.multipart(form.reqwest_form().await?),
        };
        let timeout = exchange.timeout;
        let stream = exchange.stream;
        let send = async {
            let response = request.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            let body = if stream && (status.is_success() || status.is_redirection()) {
                AnswerBody::Unread(response)
            } else {
                AnswerBody::Bytes(response.bytes().await?)
            };
            Ok::<_, reqwest::Error>(Answer {
                status,
                headers,
                body,
            })
        };
        match tokio::time::timeout(timeout, send).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(error)) => Err(Error::from_reqwest(error, Some(timeout))),
            Err(_) => Err(Error::timeout(Some(timeout))),
        }
    }
}

/// What one attempt sends.
struct Exchange<'a> {
    #[cfg(feature = "test-util")]
    operation: Option<super::request::Operation>,
    method: &'a Method,
    url: &'a Url,
    headers: &'a HeaderMap,
    body: Option<&'a Body>,
    timeout: Duration,
    /// Leave a successful answer's body unread (a download).
    stream: bool,
}

/// What one attempt got back.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: AnswerBody,
}

enum AnswerBody {
    Bytes(Bytes),
    /// A successful download, read by the caller.
    Unread(reqwest::Response),
}

impl AnswerBody {
    /// The whole body, read within `timeout` if it is still on the wire.
    async fn read(self, timeout: Duration) -> Result<Bytes, Error> {
        match self {
            AnswerBody::Bytes(body) => Ok(body),
            AnswerBody::Unread(response) => read_body(response, timeout).await,
        }
    }
}

/// Reads a whole answer body within the per-attempt timeout.
async fn read_body(response: reqwest::Response, timeout: Duration) -> Result<bytes::Bytes, Error> {
    match tokio::time::timeout(timeout, response.bytes()).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(error)) => Err(Error::from_reqwest(error, Some(timeout))),
        Err(_) => Err(Error::timeout(Some(timeout))),
    }
}

/// Whether a path segment is `.` or `..`, possibly percent-encoded
/// (URL parsers treat `%2e` as a dot).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "." | ".." | "%2e" | "%2e%2e" | ".%2e" | "%2e."
    )
}

/// The request's query parameters, with those of the call's options added, replacing any of
/// the same name.
fn merged_query(
    request: Vec<(String, String)>,
    overrides: &[(String, String)],
) -> Vec<(String, String)> {
    let mut query: Vec<(String, String)> = request
        .into_iter()
        .filter(|(name, _)| !overrides.iter().any(|(other, _)| other == name))
        .collect();
    query.extend(overrides.iter().cloned());
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport() -> Result<Transport, Error> {
        ClientBuilder::<Transport>::new("2.11")
            .token("secret-token")
            .base_url("http://localhost:1/prefix/")
            .build()
    }

    #[test]
    fn options_query_replaces_the_requests_parameter_of_the_same_name() {
        let pair = |name: &str, value: &str| (name.to_owned(), value.to_owned());
        let merged = merged_query(
            vec![pair("per_page", "10"), pair("starting_after", "abc")],
            &[pair("per_page", "150"), pair("extra", "1")],
        );
        assert_eq!(
            merged,
            [
                pair("starting_after", "abc"),
                pair("per_page", "150"),
                pair("extra", "1")
            ]
        );
    }

    #[test]
    fn url_building() -> Result<(), Error> {
        let transport = transport()?;
        let url = transport.url("/contacts/a%2Fb", &[("q".to_owned(), "x y&z=é".to_owned())])?;
        assert_eq!(
            url.as_str(),
            "http://localhost:1/prefix/contacts/a%2Fb?q=x%20y%26z%3D%C3%A9"
        );
        assert_eq!(transport.url("/", &[])?.path(), "/prefix/");
        for bad in [
            "contacts",
            "/contacts/",
            "/a//b",
            "/a/..",
            "/a/%2E%2e/b",
            "/a?b",
        ] {
            assert!(transport.url(bad, &[]).is_err(), "{bad}");
        }
        Ok(())
    }

    #[test]
    fn request_headers_override_defaults() -> Result<(), Error> {
        let transport = transport()?;
        let request = ApiRequest::new(Method::GET, "/".into()).header("Accept", "text/csv")?;
        let options = RequestOptions::new()
            .api_version("Unstable")
            .header("X-Extra", "1");
        let headers = transport.headers(request.headers().clone(), &options)?;
        assert_eq!(
            headers.get(ACCEPT).map(HeaderValue::as_bytes),
            Some(&b"text/csv"[..])
        );
        assert_eq!(
            headers.get(INTERCOM_VERSION).map(HeaderValue::as_bytes),
            Some(&b"Unstable"[..])
        );
        assert!(headers
            .get(AUTHORIZATION)
            .is_some_and(HeaderValue::is_sensitive));
        assert!(!format!("{headers:?}").contains("secret-token"));
        Ok(())
    }

    #[test]
    fn public_types_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert_send_sync::<Transport>();
        assert_send_sync::<ClientBuilder<Transport>>();
        assert_send_sync::<RequestOptions>();
        assert_send_sync::<ApiRequest>();
        assert_send_sync::<RawResponse>();
    }

    #[test]
    fn execute_future_is_send() -> Result<(), Error> {
        fn assert_send<T: Send>(_: &T) {}
        let transport = transport()?;
        let options = RequestOptions::new();
        let future = transport.execute(ApiRequest::new(Method::GET, "/".into()), &options);
        assert_send(&future);
        Ok(())
    }
}
