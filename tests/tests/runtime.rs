//! Integration tests of the hand-written HTTP runtime (`intercom_api::runtime`),
//! against an in-process mock server.

use std::collections::BTreeMap;
use std::error::Error as _;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use intercom_api::runtime::{
    encode_path_segment, paginate, ApiRequest, ClientBuilder, Error, Method, Page, Region,
    RequestOptions, RetryPolicy, StatusCode, Transport, TryStreamExt,
};
use wiremock::matchers::{any, header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TOKEN: &str = "tok_SUPER_SECRET_42";
const VERSION: &str = "2.11";

/// Stand-in for the generated client type.
struct TestClient(Transport);

impl From<Transport> for TestClient {
    fn from(transport: Transport) -> Self {
        TestClient(transport)
    }
}

/// Backoff short enough for tests.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
}

fn builder(server: &MockServer) -> ClientBuilder<TestClient> {
    ClientBuilder::new(VERSION)
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fast_policy())
}

fn transport(server: &MockServer) -> Result<Transport, Error> {
    Ok(builder(server).build()?.0)
}

fn get(path: &str) -> ApiRequest {
    ApiRequest::new(Method::GET, path.to_string())
}

fn json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

fn expect_err<T>(result: Result<T, Error>) -> Result<Error, Box<dyn std::error::Error>> {
    match result {
        Ok(_) => Err("expected an error, got success".into()),
        Err(error) => Ok(error),
    }
}

#[tokio::test]
async fn sends_auth_version_accept_and_user_agent() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/me"))
        .respond_with(json_response(200, r#"{"type":"admin","id":"1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    assert_eq!(transport.api_version(), VERSION);
    let response = transport
        .execute(get("/me"), &RequestOptions::default())
        .await?
        .text()?;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.data(), r#"{"type":"admin","id":"1"}"#);

    let requests = received(&server).await;
    let request = &requests[0];
    let bearer = format!("Bearer {TOKEN}");
    assert_eq!(header_of(request, "authorization"), Some(bearer.as_str()));
    assert_eq!(header_of(request, "intercom-version"), Some(VERSION));
    assert_eq!(header_of(request, "accept"), Some("application/json"));
    let user_agent = header_of(request, "user-agent").unwrap_or_default();
    assert!(
        user_agent.starts_with("intercom-api-rust/"),
        "user agent {user_agent}"
    );
    Ok(())
}

#[tokio::test]
async fn version_overridden_by_builder_and_per_request() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let transport = builder(&server)
        .api_version("2.10")
        .user_agent("my-app/1.0")
        .build()?
        .0;
    assert_eq!(transport.api_version(), "2.10");
    transport
        .execute(get("/a"), &RequestOptions::default())
        .await?;
    transport
        .execute(get("/b"), &RequestOptions::new().api_version("Unstable"))
        .await?;
    transport
        .execute(
            get("/c").header("Accept", "text/plain")?,
            &RequestOptions::new().header("X-Custom", "yes"),
        )
        .await?;

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    assert_eq!(header_of(&requests[0], "intercom-version"), Some("2.10"));
    assert_eq!(header_of(&requests[0], "user-agent"), Some("my-app/1.0"));
    assert_eq!(
        header_of(&requests[1], "intercom-version"),
        Some("Unstable")
    );
    assert_eq!(header_of(&requests[2], "accept"), Some("text/plain"));
    assert_eq!(header_of(&requests[2], "x-custom"), Some("yes"));
    Ok(())
}

#[tokio::test]
async fn retry_on_429_honours_retry_after_and_stops_at_max_retries() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            json_response(429, r#"{"type":"error.list","errors":[{"code":"rate_limit_exceeded","message":"Exceeded rate limit"}]}"#)
                .insert_header("Retry-After", "30"),
        )
        .mount(&server)
        .await;
    // The 30 s Retry-After is capped at 150 ms; the tiny base backoff means
    // any wait of at least 150 ms comes from the header.
    let transport = builder(&server)
        .max_retries(2)
        .retry_policy(fast_policy().max_wait(Duration::from_millis(150)))
        .build()?
        .0;
    let started = Instant::now();
    let error = expect_err(
        transport
            .execute(get("/contacts"), &RequestOptions::default())
            .await,
    )?;
    let elapsed = started.elapsed();
    assert_eq!(received(&server).await.len(), 3);
    assert!(elapsed >= Duration::from_millis(300), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert!(error.is_rate_limited());
    assert!(error.is_retryable());
    assert_eq!(error.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    let api = error.api_error().ok_or("not an API error")?;
    assert_eq!(api.errors()[0].code, "rate_limit_exceeded");
    assert_eq!(api.retry_after(), Some(Duration::from_secs(30)));
    Ok(())
}

#[tokio::test]
async fn retry_after_in_seconds_is_waited_for() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(json_response(200, "{}"))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let started = Instant::now();
    transport
        .execute(get("/x"), &RequestOptions::default())
        .await?;
    assert!(started.elapsed() >= Duration::from_millis(950));
    assert_eq!(received(&server).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn retry_on_429_waits_for_rate_limit_reset() -> TestResult {
    let server = MockServer::start().await;
    let reset = (unix_now() + 30).to_string();
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("X-RateLimit-Limit", "1000")
                .insert_header("X-RateLimit-Remaining", "0")
                .insert_header("X-RateLimit-Reset", reset.as_str()),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(json_response(200, r#"{"ok":true}"#))
        .mount(&server)
        .await;
    let transport = builder(&server)
        .retry_policy(fast_policy().max_wait(Duration::from_millis(200)))
        .build()?
        .0;
    let started = Instant::now();
    // POST: a 429 is retried even for non-idempotent methods.
    let request =
        ApiRequest::new(Method::POST, "/notes".into()).json(&BTreeMap::from([("body", "hi")]))?;
    let response = transport
        .execute(request, &RequestOptions::default())
        .await?;
    let elapsed = started.elapsed();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(elapsed >= Duration::from_millis(200), "waited {elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "waited {elapsed:?}");
    assert_eq!(received(&server).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn post_not_retried_on_500_by_default() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let transport = builder(&server).max_retries(3).build()?.0;
    let request = ApiRequest::new(Method::POST, "/conversations".into());
    let error = expect_err(transport.execute(request, &RequestOptions::default()).await)?;
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(error.is_retryable());
    assert_eq!(received(&server).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn post_retried_on_500_when_policy_allows() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    let transport = builder(&server).max_retries(2).build()?.0;
    let request = ApiRequest::new(Method::POST, "/conversations".into());
    let options = RequestOptions::new().retry_policy(fast_policy().retry_non_idempotent(true));
    let error = expect_err(transport.execute(request, &options).await)?;
    assert_eq!(error.status(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(received(&server).await.len(), 3);

    // Client-wide policy too, with a per-request retry count.
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let transport = builder(&server)
        .retry_policy(fast_policy().retry_non_idempotent(true))
        .build()?
        .0;
    let request = ApiRequest::new(Method::PATCH, "/x".into());
    let options = RequestOptions::new().max_retries(1);
    expect_err(transport.execute(request, &options).await)?;
    assert_eq!(received(&server).await.len(), 2);
    Ok(())
}

#[tokio::test]
async fn get_retried_on_503_then_succeeds() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json_response(200, r#"{"id":"42"}"#))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let response = transport
        .execute(get("/contacts/42"), &RequestOptions::default())
        .await?
        .json::<BTreeMap<String, String>>()?;
    assert_eq!(response.data().get("id").map(String::as_str), Some("42"));
    assert_eq!(received(&server).await.len(), 3);

    // With retries disabled per request, the 503 surfaces.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let transport = self::transport(&server)?;
    let error = expect_err(
        transport
            .execute(get("/x"), &RequestOptions::new().max_retries(0))
            .await,
    )?;
    assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(received(&server).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn timeout_surfaces_as_timeout_error() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let transport = builder(&server)
        .timeout(Duration::from_millis(100))
        .max_retries(1)
        .build()?
        .0;
    let started = Instant::now();
    let error = expect_err(
        transport
            .execute(get("/slow"), &RequestOptions::default())
            .await,
    )?;
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(error, Error::Timeout { .. }));
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2));
    // GET timeouts are retried.
    assert_eq!(received(&server).await.len(), 2);

    // Per-request timeout override; POST timeouts are not retried.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let transport = self::transport(&server)?;
    let options = RequestOptions::new().timeout(Duration::from_millis(100));
    let request = ApiRequest::new(Method::POST, "/slow".into());
    let error = expect_err(transport.execute(request, &options).await)?;
    assert!(error.is_timeout());
    assert!(error.to_string().contains("timed out"));
    assert_eq!(received(&server).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn error_bodies_of_every_shape() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(path("/list"))
        .respond_with(json_response(
            400,
            r#"{"type":"error.list","request_id":"req-body-1","errors":[
                {"code":"parameter_invalid","message":"Email is invalid","field":"email"},
                {"code":"missing_field","message":"Name is required","extra":1}]}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/nofield"))
        .respond_with(
            json_response(
                404,
                r#"{"type":"error.list","request_id":"req-body-2","errors":[{"code":"not_found","message":"User Not Found"}]}"#,
            )
            .insert_header("X-Request-Id", "req-header-ignored"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/single"))
        .respond_with(json_response(
            401,
            r#"{"type":"error","message":"Access Token Invalid"}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw(
                    b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec(),
                    "text/html",
                )
                .insert_header("X-Request-Id", "req-header-html"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/empty"))
        .respond_with(ResponseTemplate::new(403).insert_header("X-Request-Id", "req-header-empty"))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let options = RequestOptions::new().max_retries(0);

    let error = expect_err(transport.execute(get("/list"), &options).await)?;
    assert_eq!(error.request_id(), Some("req-body-1"));
    let api = error.api_error().ok_or("not an API error")?;
    assert_eq!(api.status(), StatusCode::BAD_REQUEST);
    assert_eq!(api.error_type(), Some("error.list"));
    assert_eq!(api.errors().len(), 2);
    assert_eq!(api.errors()[0].code, "parameter_invalid");
    assert_eq!(api.errors()[0].message.as_deref(), Some("Email is invalid"));
    assert_eq!(api.errors()[0].field.as_deref(), Some("email"));
    assert_eq!(api.errors()[1].field, None);
    let display = error.to_string();
    assert!(display.contains("parameter_invalid"), "{display}");
    assert!(display.contains("req-body-1"), "{display}");
    assert!(!error.is_retryable());

    let error = expect_err(transport.execute(get("/nofield"), &options).await)?;
    assert_eq!(error.request_id(), Some("req-body-2"));
    let api = error.api_error().ok_or("not an API error")?;
    assert_eq!(api.errors()[0].code, "not_found");
    assert_eq!(api.errors()[0].message.as_deref(), Some("User Not Found"));
    assert_eq!(api.errors()[0].field, None);

    let error = expect_err(transport.execute(get("/single"), &options).await)?;
    let api = error.api_error().ok_or("not an API error")?;
    assert_eq!(api.errors().len(), 1);
    assert_eq!(
        api.errors()[0].message.as_deref(),
        Some("Access Token Invalid")
    );

    let error = expect_err(transport.execute(get("/html"), &options).await)?;
    assert_eq!(error.request_id(), Some("req-header-html"));
    let api = error.api_error().ok_or("not an API error")?;
    assert!(api.errors().is_empty());
    assert!(api.body().starts_with(b"<html>"));
    assert_eq!(
        api.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/html")
    );
    assert!(error.to_string().contains("502 Bad Gateway"));

    let error = expect_err(transport.execute(get("/empty"), &options).await)?;
    assert_eq!(error.status(), Some(StatusCode::FORBIDDEN));
    assert_eq!(error.request_id(), Some("req-header-empty"));
    let api = error.api_error().ok_or("not an API error")?;
    assert!(api.errors().is_empty());
    assert!(api.body().is_empty());
    Ok(())
}

#[tokio::test]
async fn decode_error_names_json_path_and_keeps_body() -> TestResult {
    let server = MockServer::start().await;
    let body = r#"{"data":[{"id":"1"},{"id":2}]}"#;
    Mock::given(any())
        .respond_with(json_response(200, body).insert_header("X-Request-Id", "req-decode"))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let raw = transport
        .execute(get("/contacts"), &RequestOptions::default())
        .await?;
    let error = expect_err(raw.json::<BTreeMap<String, Vec<BTreeMap<String, String>>>>())?;
    let decode = error.decode_error().ok_or("not a decode error")?;
    assert_eq!(decode.path(), Some("data[1].id"));
    assert_eq!(decode.body(), body.as_bytes());
    assert_eq!(decode.status(), StatusCode::OK);
    assert!(
        decode.message().contains("invalid type"),
        "{}",
        decode.message()
    );
    assert_eq!(error.request_id(), Some("req-decode"));
    assert!(error.to_string().contains("data[1].id"));
    assert!(error.source().is_some());
    Ok(())
}

#[tokio::test]
async fn path_segment_is_encoded_as_one_segment() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let id = "a/b?c#d e é";
    let request = get(&format!("/contacts/{}", encode_path_segment(id)));
    transport
        .execute(request, &RequestOptions::default())
        .await?;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/contacts/a%2Fb%3Fc%23d%20e%20%C3%A9"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.fragment(), None);

    // Identifiers that would change the endpoint are refused before sending.
    for bad in ["", "..", "."] {
        let request = get(&format!("/contacts/{}", encode_path_segment(bad)));
        let error = expect_err(transport.execute(request, &RequestOptions::default()).await)?;
        assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    }
    assert_eq!(received(&server).await.len(), 1);
    Ok(())
}

#[tokio::test]
async fn regions_and_base_urls() -> TestResult {
    assert_eq!(Region::default(), Region::Us);
    assert_eq!(Region::Us.base_url(), "https://api.intercom.io");
    assert_eq!(Region::Eu.base_url(), "https://api.eu.intercom.io");
    assert_eq!(Region::Au.base_url(), "https://api.au.intercom.io");

    let build = |builder: ClientBuilder<TestClient>| builder.token(TOKEN).build().map(|c| c.0);
    assert_eq!(
        build(ClientBuilder::new(VERSION))?.base_url(),
        "https://api.intercom.io"
    );
    assert_eq!(
        build(ClientBuilder::new(VERSION).region(Region::Eu))?.base_url(),
        "https://api.eu.intercom.io"
    );
    assert_eq!(
        build(ClientBuilder::new(VERSION).region(Region::Au))?.base_url(),
        "https://api.au.intercom.io"
    );
    assert_eq!(
        build(
            ClientBuilder::new(VERSION)
                .region(Region::Eu)
                .base_url("http://localhost:8080/")
        )?
        .base_url(),
        "http://localhost:8080"
    );
    let error = expect_err(build(ClientBuilder::new(VERSION).base_url("not a url")))?;
    assert!(matches!(error, Error::Config(_)));
    Ok(())
}

#[tokio::test]
async fn missing_token_is_a_configuration_error() -> TestResult {
    let error = expect_err(ClientBuilder::<TestClient>::new(VERSION).build())?;
    assert!(matches!(error, Error::Config(_)));
    assert!(error.to_string().contains("token"));

    let from_env = ClientBuilder::<TestClient>::new(VERSION)
        .token_from_env()
        .build();
    match std::env::var("INTERCOM_API_KEY") {
        Ok(value) if !value.trim().is_empty() => assert!(from_env.is_ok()),
        _ => {
            let error = expect_err(from_env)?;
            assert!(matches!(error, Error::Config(_)));
            assert!(error.to_string().contains("INTERCOM_API_KEY"));
        }
    }

    let error = expect_err(
        ClientBuilder::<TestClient>::new(VERSION)
            .token("bad\ntoken")
            .build(),
    )?;
    assert!(matches!(error, Error::Config(_)));
    assert!(!format!("{error:?}").contains("bad"));
    Ok(())
}

#[tokio::test]
async fn token_never_appears_in_debug_output() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json_response(
            401,
            r#"{"type":"error.list","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"#,
        ))
        .mount(&server)
        .await;
    let builder = builder(&server);
    let builder_debug = format!("{builder:?}");
    assert!(!builder_debug.contains(TOKEN), "{builder_debug}");
    assert!(builder_debug.contains("***"));

    let transport = builder.build()?.0;
    let transport_debug = format!("{transport:?}");
    assert!(!transport_debug.contains(TOKEN), "{transport_debug}");
    assert!(transport_debug.contains("***"));

    let options = RequestOptions::new().header("Authorization", format!("Bearer {TOKEN}"));
    assert!(!format!("{options:?}").contains(TOKEN));

    let error = expect_err(
        transport
            .execute(get("/me"), &RequestOptions::default())
            .await,
    )?;
    assert!(!format!("{error:?}").contains(TOKEN));
    assert!(!error.to_string().contains(TOKEN));

    let error = expect_err(
        transport
            .execute(get("/me"), &RequestOptions::new().header("Bad Name", TOKEN))
            .await,
    )?;
    assert!(matches!(error, Error::InvalidRequest { .. }));
    assert!(!format!("{error:?}").contains(TOKEN));
    Ok(())
}

#[tokio::test]
async fn rate_limit_is_recorded_and_shared() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            json_response(200, "{}")
                .insert_header("X-RateLimit-Limit", "10000")
                .insert_header("X-RateLimit-Remaining", "9876")
                .insert_header("X-RateLimit-Reset", "1700000000")
                .insert_header("X-Request-Id", "req-ok"),
        )
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let clone = transport.clone();
    assert_eq!(transport.last_rate_limit(), None);
    let response = clone
        .execute(get("/me"), &RequestOptions::default())
        .await?
        .empty();
    let rate_limit = transport
        .last_rate_limit()
        .ok_or("no rate limit recorded")?;
    assert_eq!(rate_limit.limit, Some(10_000));
    assert_eq!(rate_limit.remaining, Some(9_876));
    assert_eq!(rate_limit.reset, Some(1_700_000_000));
    assert_eq!(response.rate_limit(), Some(rate_limit));
    assert_eq!(response.request_id(), Some("req-ok"));
    assert_eq!(response.body(), b"{}");
    let mapped = response.map(|()| 7);
    assert_eq!(*mapped.data(), 7);
    assert_eq!(mapped.into_data(), 7);
    Ok(())
}

#[tokio::test]
async fn paginate_over_three_pages() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(
            json_response(200, r#"{"data":["a","b"]}"#).insert_header("X-Next-Cursor", "c2"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(query_param("starting_after", "c2"))
        .respond_with(
            json_response(200, r#"{"data":["c","d"]}"#).insert_header("X-Next-Cursor", "c3"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/items"))
        .and(query_param("starting_after", "c3"))
        .respond_with(json_response(200, r#"{"data":["e"]}"#))
        .mount(&server)
        .await;
    let transport = transport(&server)?;

    let items: Vec<String> = paginate(|cursor: Option<String>| {
        let transport = transport.clone();
        async move {
            let request = get("/items").query_opt("starting_after", cursor);
            let response = transport
                .execute(request, &RequestOptions::default())
                .await?
                .json::<BTreeMap<String, Vec<String>>>()?;
            // The cursor travels in a header to keep the test free of serde.
            let next = response
                .headers()
                .get("x-next-cursor")
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned);
            let mut body = response.into_data();
            Ok(Page {
                items: body.remove("data").unwrap_or_default(),
                next,
            })
        }
    })
    .try_collect()
    .await?;
    assert_eq!(items, ["a", "b", "c", "d", "e"]);
    assert_eq!(received(&server).await.len(), 3);
    Ok(())
}

#[tokio::test]
async fn paginate_stops_on_error_and_on_empty_page() -> TestResult {
    use intercom_api::runtime::StreamExt;

    // Error on the second page: items of page one, then the error, then end.
    let mut calls = 0;
    let results: Vec<Result<u32, Error>> = paginate(move |cursor: Option<u32>| {
        calls += 1;
        let call = calls;
        async move {
            match cursor {
                None => Ok(Page {
                    items: vec![1, 2],
                    next: Some(2),
                }),
                Some(_) if call < 5 => Err(Error::Config("boom".into())),
                Some(_) => Ok(Page {
                    items: vec![99],
                    next: None,
                }),
            }
        }
    })
    .collect()
    .await;
    assert_eq!(results.len(), 3);
    assert!(matches!(results[0], Ok(1)));
    assert!(matches!(results[1], Ok(2)));
    assert!(matches!(results[2], Err(Error::Config(_))));

    // An empty page ends the stream even with a next cursor.
    let mut fetched = Vec::new();
    let items: Vec<u32> = paginate(|cursor: Option<u32>| {
        fetched.push(cursor);
        async move {
            Ok(match cursor {
                None => Page {
                    items: vec![1],
                    next: Some(1),
                },
                Some(n) => Page {
                    items: vec![],
                    next: Some(n + 1),
                },
            })
        }
    })
    .try_collect()
    .await?;
    assert_eq!(items, [1]);
    assert_eq!(fetched, [None, Some(1)]);
    Ok(())
}

#[tokio::test]
async fn query_object_flattens_into_pairs() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let filter: BTreeMap<&str, Option<&str>> = BTreeMap::from([
        ("email", Some("a+b@example.com")),
        ("name", Some("Zoë & co")),
        ("phone", None),
    ]);
    let request = get("/contacts")
        .query("per_page", 5)
        .query_object(&filter)?;
    transport
        .execute(request, &RequestOptions::default())
        .await?;
    let requests = received(&server).await;
    let pairs: Vec<(String, String)> = requests[0]
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected = [
        ("per_page", "5"),
        ("email", "a+b@example.com"),
        ("name", "Zoë & co"),
    ]
    .map(|(k, v)| (k.to_string(), v.to_string()));
    assert_eq!(pairs, expected);
    assert!(get("/x").query_object(&"scalar").is_err());
    Ok(())
}

#[tokio::test]
async fn json_body_is_sent() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("content-type", "application/json"))
        .respond_with(json_response(200, r#"{"id":"n1"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let body = BTreeMap::from([("body", "hello"), ("admin_id", "7")]);
    let request = ApiRequest::new(Method::POST, "/contacts/1/notes".into()).json(&body)?;
    transport
        .execute(request, &RequestOptions::default())
        .await?;
    let requests = received(&server).await;
    assert_eq!(requests[0].body, br#"{"admin_id":"7","body":"hello"}"#);
    Ok(())
}

#[tokio::test]
async fn redirect_returns_location_without_following() -> TestResult {
    let server = MockServer::start().await;
    let target = format!("{}/signed/file.csv?sig=abc", server.uri());
    Mock::given(path("/download"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", target.as_str()))
        .mount(&server)
        .await;
    Mock::given(path("/relative"))
        .respond_with(ResponseTemplate::new(307).insert_header("Location", "/elsewhere"))
        .mount(&server)
        .await;
    Mock::given(path("/nolocation"))
        .respond_with(ResponseTemplate::new(302))
        .mount(&server)
        .await;
    Mock::given(path("/signed/file.csv"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let transport = transport(&server)?;
    let options = RequestOptions::default();

    let response = transport
        .execute(get("/download"), &options)
        .await?
        .redirect()?;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.data().location, target);

    let response = transport
        .execute(get("/relative"), &options)
        .await?
        .redirect()?;
    assert_eq!(
        response.into_data().location,
        format!("{}/elsewhere", server.uri())
    );

    let error = expect_err(
        transport
            .execute(get("/nolocation"), &options)
            .await?
            .redirect(),
    )?;
    assert!(matches!(error, Error::Decode(_)));
    // The signed URL itself was never requested.
    assert_eq!(received(&server).await.len(), 3);
    Ok(())
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() -> TestResult {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    drop(listener);
    let transport = ClientBuilder::<TestClient>::new(VERSION)
        .token(TOKEN)
        .base_url(format!("http://{address}"))
        .retry_policy(fast_policy())
        .build()?
        .0;
    let error = expect_err(
        transport
            .execute(get("/me"), &RequestOptions::default())
            .await,
    )?;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(!format!("{error:?}").contains(TOKEN));
    Ok(())
}
