//! Test utilities (the `test-util` feature): run code that uses the client against canned
//! responses, without the network, and assert on the requests it made.
//!
//! A [`MockApi`] answers each operation (by client method name) with the response you gave it
//! with [`on`](MockApi::on) or [`on_once`](MockApi::on_once), and otherwise with the success
//! example of the API description. Clients made by [`MockApi::client`] go through the whole
//! runtime (headers, retries, error and response decoding); only the HTTP exchange is replaced.
//!
//! ```
//! use intercom_api::test_util::{MockApi, MockResponse};
//! use intercom_api::v2_14::Client;
//!
//! // The code under test.
//! async fn contact_email(client: &Client, id: &str) -> Result<Option<String>, intercom_api::Error> {
//!     Ok(client.show_contact(id).await?.contact.email)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), intercom_api::Error> {
//! let mock = MockApi::new();
//! let client: Client = mock.client();
//!
//! // Without a canned response, the description's example answers.
//! let email = contact_email(&client, "6657add46abd0167d9419cd2").await?;
//! assert!(email.is_some());
//!
//! // A canned response for one operation, and the requests the code made.
//! mock.on("show_contact", MockResponse::error(404, "not_found", "User Not Found"));
//! let error = contact_email(&client, "missing").await.unwrap_err();
//! assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
//!
//! let requests = mock.requests_to("show_contact");
//! assert_eq!(requests.len(), 2);
//! assert_eq!(requests[1].path, "/contacts/missing");
//! assert_eq!(requests[1].path_template.as_deref(), Some("/contacts/{contact_id}"));
//! # Ok(())
//! # }
//! ```

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::client::{ClientBuilder, Transport};
use super::request::{parse_header, Operation};

/// The token mock clients send.
pub const MOCK_TOKEN: &str = "test-token";

/// The base URL mock clients use; nothing is ever sent there.
pub const MOCK_BASE_URL: &str = "http://intercom.mock";

/// One operation's success example in the API description.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpecExample {
    /// The first success status the description declares.
    pub status: u16,
    /// The declared media type; `None` for a response without a body.
    pub content_type: Option<&'static str>,
    /// The example body; `None` when the description gives none.
    pub body: Option<&'static str>,
}

/// A client type with the description's examples, implemented by each version's `Client`.
pub trait SpecExamples {
    /// The success example of the operation named by its client method.
    fn spec_example(operation: &str) -> Option<SpecExample>;
    /// The `Intercom-Version` the client sends.
    fn api_version() -> &'static str;
}

/// A canned answer.
#[derive(Clone, Debug)]
pub struct MockResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl MockResponse {
    /// A JSON answer.
    ///
    /// # Panics
    ///
    /// When `status` is not a valid HTTP status or `body` cannot be serialized.
    pub fn json(status: u16, body: impl Serialize) -> Self {
        let body = serde_json::to_vec(&body)
            .unwrap_or_else(|e| panic!("MockResponse::json: the body does not serialize: {e}"));
        Self::new(status, Some("application/json"), Bytes::from(body))
    }

    /// An answer without a body.
    ///
    /// # Panics
    ///
    /// When `status` is not a valid HTTP status.
    pub fn empty(status: u16) -> Self {
        Self::new(status, None, Bytes::new())
    }

    /// An answer with a body of any media type.
    ///
    /// # Panics
    ///
    /// When `status` is not a valid HTTP status or `content_type` not a valid header value.
    pub fn body(status: u16, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self::new(status, Some(content_type), body.into())
    }

    /// An Intercom error answer (`{"type": "error.list", "errors": [{code, message}]}`).
    pub fn error(status: u16, code: &str, message: &str) -> Self {
        let body = serde_json::json!({
            "type": "error.list",
            "request_id": "mock-request-id",
            "errors": [{ "code": code, "message": message }],
        });
        Self::json(status, body)
    }

    /// Adds a header (e.g. `X-Request-Id`, `Retry-After`, `X-RateLimit-Remaining`).
    ///
    /// # Panics
    ///
    /// When the name or value is not valid in HTTP.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let (name, value) =
            parse_header(name, value).unwrap_or_else(|e| panic!("MockResponse::header: {e}"));
        self.headers.append(name, value);
        self
    }

    fn new(status: u16, content_type: Option<&str>, body: Bytes) -> Self {
        let status = StatusCode::from_u16(status)
            .unwrap_or_else(|_| panic!("MockResponse: {status} is not an HTTP status"));
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            let value = HeaderValue::from_str(content_type).unwrap_or_else(|_| {
                panic!("MockResponse: `{content_type}` is not a valid content type")
            });
            headers.insert(CONTENT_TYPE, value);
        }
        Self {
            status,
            headers,
            body,
        }
    }

    fn from_example(operation: &str, example: Option<SpecExample>) -> Self {
        match example {
            Some(SpecExample {
                status,
                content_type,
                body: Some(body),
            }) => Self::new(status, content_type, Bytes::from_static(body.as_bytes())),
            Some(SpecExample {
                status,
                content_type: None,
                body: None,
            }) => Self::empty(status),
            _ => Self::error(
                501,
                "mock_response_missing",
                &format!(
                    "test_util::MockApi: no response for `{operation}` and the API description \
                     has no example for it; give one with `MockApi::on(\"{operation}\", ...)`"
                ),
            ),
        }
    }
}

/// A request the code under test made.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The client method, e.g. `show_contact` (`None` for a hand-built `ApiRequest`).
    pub operation: Option<String>,
    /// The description's path template, e.g. `/contacts/{contact_id}`.
    pub path_template: Option<String>,
    pub method: Method,
    /// The path as sent (percent-encoded).
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// Every header sent, including `Authorization` (always the mock token) and
    /// `Intercom-Version`.
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl RecordedRequest {
    /// The body decoded from JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }

    /// The first value of a query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// A header's value, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)?.to_str().ok()
    }
}

#[derive(Default)]
struct State {
    standing: HashMap<String, MockResponse>,
    queued: HashMap<String, VecDeque<MockResponse>>,
    requests: Vec<RecordedRequest>,
}

/// Canned responses per operation and the requests received. Cheap to clone; clones share
/// everything, so keep one to assert on while the code under test holds the client.
#[derive(Clone, Default)]
pub struct MockApi {
    state: Arc<Mutex<State>>,
}

impl fmt::Debug for MockApi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockApi")
            .field("standing", &state.standing.keys().collect::<Vec<_>>())
            .field("requests", &state.requests.len())
            .finish()
    }
}

impl MockApi {
    /// A mock that answers every operation with the description's example.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client of type `C` (a version's `Client`) whose requests this mock answers.
    ///
    /// # Panics
    ///
    /// Never in practice: the mock's configuration is valid. Use [`builder`](Self::builder)
    /// to change settings and handle errors yourself.
    pub fn client<C: From<Transport> + SpecExamples>(&self) -> C {
        self.builder()
            .build()
            .unwrap_or_else(|e| panic!("cannot build a mock client: {e}"))
    }

    /// A builder for a mock client, to change retries, timeouts, headers or the API version.
    /// Its token and base URL are the mock's; changing them has no effect on the answers.
    pub fn builder<C: From<Transport> + SpecExamples>(&self) -> ClientBuilder<C> {
        ClientBuilder::new(C::api_version())
            .token(MOCK_TOKEN)
            .base_url(MOCK_BASE_URL)
            .mock(MockBackend {
                api: self.clone(),
                examples: C::spec_example,
            })
    }

    /// Answers every later call of `operation` (a client method name) with `response`,
    /// replacing an earlier standing response.
    pub fn on(&self, operation: &str, response: MockResponse) -> &Self {
        self.lock().standing.insert(operation.to_owned(), response);
        self
    }

    /// Answers the next call of `operation` with `response`, once. Queued responses are used
    /// in order before the standing one (to script a retry: `on_once(.., 503)` then `on(.., 200)`).
    pub fn on_once(&self, operation: &str, response: MockResponse) -> &Self {
        self.lock()
            .queued
            .entry(operation.to_owned())
            .or_default()
            .push_back(response);
        self
    }

    /// Every request received, in order (each retry is a request).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.lock().requests.clone()
    }

    /// The requests received for one operation, in order.
    pub fn requests_to(&self, operation: &str) -> Vec<RecordedRequest> {
        self.lock()
            .requests
            .iter()
            .filter(|request| request.operation.as_deref() == Some(operation))
            .cloned()
            .collect()
    }

    /// Forgets the requests received (canned responses are kept).
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The mock behind a transport: the shared state and the examples of the client's version.
#[derive(Clone)]
pub(crate) struct MockBackend {
    api: MockApi,
    examples: fn(&str) -> Option<SpecExample>,
}

impl MockBackend {
    /// Records the request and picks its answer.
    pub(crate) fn answer(
        &self,
        operation: Option<Operation>,
        method: &Method,
        url: &Url,
        headers: &HeaderMap,
        body: Option<&Bytes>,
    ) -> (StatusCode, HeaderMap, Bytes) {
        let name = operation.map_or("", |operation| operation.name);
        let mut state = self.api.lock();
        state.requests.push(RecordedRequest {
            operation: operation.map(|operation| operation.name.to_owned()),
            path_template: operation.map(|operation| operation.path_template.to_owned()),
            method: method.clone(),
            path: url.path().to_owned(),
            query: url.query_pairs().into_owned().collect(),
            headers: headers.clone(),
            body: body.cloned().unwrap_or_default(),
        });
        let queued = state.queued.get_mut(name).and_then(VecDeque::pop_front);
        let response = queued
            .or_else(|| state.standing.get(name).cloned())
            .unwrap_or_else(|| MockResponse::from_example(name, (self.examples)(name)));
        (response.status, response.headers, response.body)
    }
}
