//! Tests of the generated clients (`intercom_api::v2_14::Client` and
//! `intercom_api::unstable::Client`) against an in-process mock server:
//! real HTTP, real generated request builders, real decoding.
//!
//! The runtime on its own is covered by `runtime.rs`; these tests check what a
//! user of the generated methods sees.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use intercom_api::runtime::StatusCode;
use intercom_api::v2_14::{types, Client};
use intercom_api::{unstable, Error, RateLimit, Region, RequestOptions, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{
    any, body_json, header, method, path, query_param, query_param_is_missing,
};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const TOKEN: &str = "tok_CLIENT_SUPER_SECRET_7f3a";

/// Backoff short enough for tests.
fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_wait(Duration::from_millis(50))
}

fn client(server: &MockServer) -> Result<Client, Error> {
    Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .retry_policy(fast_policy())
        .timeout(Duration::from_secs(5))
        .build()
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string().into_bytes(), "application/json")
}

fn raw_json_response(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn query_of(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

fn expect_err<T: std::fmt::Debug>(
    result: Result<T, Error>,
) -> Result<Error, Box<dyn std::error::Error>> {
    match result {
        Ok(value) => Err(format!("expected an error, got {value:?}").into()),
        Err(error) => Ok(error),
    }
}

fn contact(id: &str) -> Value {
    json!({"type": "contact", "id": id, "role": "user", "email": format!("{id}@example.com")})
}

/// One page of `GET /contacts` or `POST /contacts/search`, Intercom-shaped.
fn contact_page(ids: &[&str], page: i64, next: Option<&str>) -> Value {
    let mut pages = json!({"type": "pages", "page": page, "per_page": 2, "total_pages": 3});
    if let Some(cursor) = next {
        pages["next"] = json!({"per_page": 2, "starting_after": cursor});
    }
    json!({
        "type": "list",
        "data": ids.iter().map(|id| contact(id)).collect::<Vec<_>>(),
        "total_count": 6,
        "pages": pages,
    })
}

fn contact_ids(contacts: &[types::Contact]) -> Vec<&str> {
    contacts.iter().map(|c| c.id.as_str()).collect()
}

// 1. Cursor pagination through a query parameter.
#[tokio::test]
async fn list_contacts_stream_follows_query_cursor_across_three_pages() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(json_response(
            200,
            &contact_page(&["c1", "c2"], 1, Some("abc")),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "abc"))
        .respond_with(json_response(
            200,
            &contact_page(&["c3", "c4"], 2, Some("def")),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "def"))
        .respond_with(json_response(200, &contact_page(&["c5", "c6"], 3, None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let contacts: Vec<types::Contact> = client.list_contacts().into_stream().try_collect().await?;

    assert_eq!(contact_ids(&contacts), ["c1", "c2", "c3", "c4", "c5", "c6"]);
    assert_eq!(contacts[4].email.as_deref(), Some("c5@example.com"));
    let requests = received(&server).await;
    let cursors: Vec<Option<String>> = requests
        .iter()
        .map(|r| query_of(r, "starting_after"))
        .collect();
    assert_eq!(
        cursors,
        [None, Some("abc".to_owned()), Some("def".to_owned())]
    );
    assert!(requests.iter().all(|r| r.url.path() == "/contacts"));
    server.verify().await;
    Ok(())
}

// 1a. A stream owns what it needs: spawned onto a task, it outlives the client; pages come
// whole (with `total_count`), the page size is a setter, and options can add query parameters.
#[tokio::test]
async fn page_stream_is_owned_sized_and_carries_total_count() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("per_page", "2"))
        .and(query_param("locale", "fr"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(json_response(
            200,
            &contact_page(&["c1", "c2"], 1, Some("abc")),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("per_page", "2"))
        .and(query_param("starting_after", "abc"))
        .respond_with(json_response(200, &contact_page(&["c3"], 2, None)))
        .expect(1)
        .mount(&server)
        .await;
    let pages = {
        let client = client(&server)?;
        let options = RequestOptions::new().query("locale", "fr");
        client.list_contacts().per_page(2).options(options).pages()
    };
    let task = tokio::spawn(pages.try_collect::<Vec<types::ContactList>>());
    let pages = task.await??;

    let totals: Vec<Option<i64>> = pages.iter().map(|page| page.total_count).collect();
    assert_eq!(totals, [Some(6), Some(6)]);
    let sizes: Vec<usize> = pages
        .iter()
        .map(|page| page.data.as_ref().map_or(0, Vec::len))
        .collect();
    assert_eq!(sizes, [2, 1]);
    server.verify().await;
    Ok(())
}

// 1b. What a user sees when a later page fails: earlier items, then the error, then the end.
#[tokio::test]
async fn list_contacts_stream_yields_items_then_error_then_ends() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(json_response(
            200,
            &contact_page(&["c1", "c2"], 1, Some("abc")),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .and(query_param("starting_after", "abc"))
        .respond_with(json_response(
            401,
            &json!({"type": "error.list", "request_id": "req-401",
                    "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]}),
        ))
        .mount(&server)
        .await;
    let client = client(&server)?;

    let mut stream = client.list_contacts().into_stream();
    let mut ids = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(contact) => ids.push(contact.id),
            Err(error) => errors.push(error),
        }
    }

    assert_eq!(ids, ["c1", "c2"]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].status(), Some(StatusCode::UNAUTHORIZED));
    assert_eq!(errors[0].request_id(), Some("req-401"));
    // 401 is not retried; the stream stops after the error.
    assert_eq!(received(&server).await.len(), 2);
    Ok(())
}

// 2. Page-number pagination (`page` query parameter, stops at `total_pages`).
#[tokio::test]
async fn list_all_companies_stream_requests_pages_until_total_pages() -> TestResult {
    let server = MockServer::start().await;
    for page in 1..=3 {
        let ids = [format!("co{}", 2 * page - 1), format!("co{}", 2 * page)];
        let body = json!({
            "type": "list",
            "data": ids.iter().map(|id| json!({"type": "company", "id": id, "name": format!("Company {id}")})).collect::<Vec<_>>(),
            "total_count": 6,
            "pages": {"type": "pages", "next": null, "page": page, "per_page": 2, "total_pages": 3},
        });
        // The first page is the API's default: no `page` is sent until the second.
        let selects_page = if page == 1 {
            Mock::given(query_param_is_missing("page"))
        } else {
            Mock::given(query_param("page", page.to_string()))
        };
        selects_page
            .and(method("POST"))
            .and(path("/companies/list"))
            .respond_with(json_response(200, &body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server)?;

    let companies: Vec<types::Company> = client
        .list_all_companies()
        .per_page(2)
        .order("asc")
        .into_stream()
        .try_collect()
        .await?;

    let ids: Vec<&str> = companies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["co1", "co2", "co3", "co4", "co5", "co6"]);
    assert_eq!(companies[0].name.as_deref(), Some("Company co1"));
    let requests = received(&server).await;
    let pages: Vec<Option<String>> = requests.iter().map(|r| query_of(r, "page")).collect();
    assert_eq!(pages, [None, Some("2".to_owned()), Some("3".to_owned())]);
    // The other setters are kept on every page.
    for request in &requests {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(query_of(request, "per_page").as_deref(), Some("2"));
        assert_eq!(query_of(request, "order").as_deref(), Some("asc"));
    }
    server.verify().await;
    Ok(())
}

// 2b. Scroll: `scroll_param` from each page is sent back until a page comes back empty.
#[tokio::test]
async fn scroll_stream_follows_scroll_param_until_an_empty_page() -> TestResult {
    let server = MockServer::start().await;
    let pages = [
        (None, &["co1", "co2"][..], "scroll-1"),
        (Some("scroll-1"), &["co3"][..], "scroll-2"),
        (Some("scroll-2"), &[][..], "scroll-3"),
    ];
    for (sent, ids, next) in pages {
        let body = json!({
            "type": "dataset.list",
            "data": ids.iter().map(|id| json!({"type": "company", "id": id})).collect::<Vec<_>>(),
            "scroll_param": next,
        });
        let mock = Mock::given(method("GET")).and(path("/companies/scroll"));
        let mock = match sent {
            Some(param) => mock.and(query_param("scroll_param", param)),
            None => mock.and(query_param_is_missing("scroll_param")),
        };
        mock.respond_with(json_response(200, &body))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server)?;

    let companies: Vec<types::Company> = client
        .scroll_over_all_companies()
        .into_stream()
        .try_collect()
        .await?;

    let ids: Vec<&str> = companies.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["co1", "co2", "co3"]);
    server.verify().await;
    Ok(())
}

// 3. Search: the cursor travels in the JSON body (`pagination.starting_after`).
#[tokio::test]
async fn search_contacts_pages_with_body_cursor() -> TestResult {
    let server = MockServer::start().await;
    let pages = [
        contact_page(&["s1", "s2"], 1, Some("cur-1")),
        contact_page(&["s3", "s4"], 2, Some("cur-2")),
        contact_page(&["s5"], 3, None),
    ];
    for (index, page) in pages.iter().enumerate() {
        let mut expected = json!({
            "query": {"field": "email", "operator": "~", "value": "example.com"},
            "pagination": {"per_page": 2},
        });
        if index > 0 {
            expected["pagination"]["starting_after"] = json!(format!("cur-{index}"));
        }
        Mock::given(method("POST"))
            .and(path("/contacts/search"))
            .and(body_json(&expected))
            .respond_with(json_response(200, page))
            .expect(1)
            .mount(&server)
            .await;
    }
    let client = client(&server)?;

    let search = types::SearchRequest {
        query: types::SearchRequestQuery::SingleFilterSearchRequest(
            types::SingleFilterSearchRequest {
                field: Some("email".to_owned()),
                operator: Some(types::SingleFilterSearchRequestOperator::Contains),
                value: Some(types::SingleFilterSearchRequestValue::String(
                    "example.com".to_owned(),
                )),
                ..Default::default()
            },
        ),
        pagination: Some(types::StartingAfterPaging {
            per_page: Some(2),
            ..Default::default()
        }),
        additional_properties: Default::default(),
    };
    let contacts: Vec<types::Contact> = client
        .search_contacts(search)
        .into_stream()
        .try_collect()
        .await?;

    assert_eq!(contact_ids(&contacts), ["s1", "s2", "s3", "s4", "s5"]);
    let bodies: Vec<Value> = received(&server)
        .await
        .iter()
        .map(|r| r.body_json::<Value>())
        .collect::<Result<_, _>>()?;
    assert_eq!(bodies.len(), 3);
    assert_eq!(bodies[0]["pagination"], json!({"per_page": 2}));
    assert_eq!(
        bodies[1]["pagination"],
        json!({"per_page": 2, "starting_after": "cur-1"})
    );
    assert_eq!(
        bodies[2]["pagination"],
        json!({"per_page": 2, "starting_after": "cur-2"})
    );
    for request in received(&server).await {
        assert_eq!(
            header_of(&request, "content-type"),
            Some("application/json")
        );
    }
    server.verify().await;
    Ok(())
}

// 4. Path identifiers are one percent-encoded segment.
#[tokio::test]
async fn path_id_with_reserved_characters_is_one_encoded_segment() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/a%2Fb%3Fc%23d%20e%20%C3%A9"))
        .respond_with(json_response(200, &contact("a/b?c#d e é")))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let found = client.show_contact("a/b?c#d e é").await?;

    assert_eq!(found.id, "a/b?c#d e é");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].url.path(),
        "/contacts/a%2Fb%3Fc%23d%20e%20%C3%A9"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.fragment(), None);
    assert_eq!(
        requests[0].url.path_segments().map(Iterator::count),
        Some(2)
    );

    // Identifiers that would change the path are refused before anything is sent.
    for bad in ["..", ".", ""] {
        let error = expect_err(client.show_contact(bad).await)?;
        assert!(
            matches!(error, Error::InvalidRequest { .. }),
            "{bad:?}: {error:?}"
        );
    }
    assert_eq!(received(&server).await.len(), 1);
    server.verify().await;
    Ok(())
}

// 5. `Intercom-Version` per module, and per-request override.
#[tokio::test]
async fn intercom_version_header_per_module_and_per_request() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/admins"))
        .respond_with(json_response(
            200,
            &json!({"type": "admin.list", "admins": [{"type": "admin", "id": "991"}]}),
        ))
        .mount(&server)
        .await;
    let v2_14 = client(&server)?;
    let unstable = unstable::Client::builder()
        .token(TOKEN)
        .base_url(server.uri())
        .build()?;
    assert_eq!(intercom_api::v2_14::API_VERSION, "2.14");
    assert_eq!(unstable::API_VERSION, "Unstable");
    assert_eq!(v2_14.transport().api_version(), "2.14");
    assert_eq!(unstable.transport().api_version(), "Unstable");

    let admins = v2_14.list_admins().await?;
    assert_eq!(admins.admins.map(|a| a.len()), Some(1));
    unstable.list_admins().await?;
    v2_14
        .list_admins()
        .options(RequestOptions::new().api_version("2.13"))
        .await?;
    // The override applies to that call only.
    v2_14.list_admins().await?;

    let requests = received(&server).await;
    let versions: Vec<Option<&str>> = requests
        .iter()
        .map(|r| header_of(r, "intercom-version"))
        .collect();
    assert_eq!(
        versions,
        [Some("2.14"), Some("Unstable"), Some("2.13"), Some("2.14")]
    );
    for request in &requests {
        assert_eq!(
            header_of(request, "authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(header_of(request, "accept"), Some("application/json"));
    }
    Ok(())
}

// 6. Regions (no network).
#[test]
fn region_base_urls() -> TestResult {
    assert_eq!(Region::Us.base_url(), "https://api.intercom.io");
    assert_eq!(Region::Eu.base_url(), "https://api.eu.intercom.io");
    assert_eq!(Region::Au.base_url(), "https://api.au.intercom.io");
    assert_eq!(Region::default(), Region::Us);

    let eu = Client::builder().token(TOKEN).region(Region::Eu).build()?;
    assert_eq!(eu.transport().base_url(), "https://api.eu.intercom.io");
    let au = unstable::Client::builder()
        .token(TOKEN)
        .region(Region::Au)
        .build()?;
    assert_eq!(au.transport().base_url(), "https://api.au.intercom.io");
    let us = Client::new(TOKEN);
    assert_eq!(us.transport().base_url(), "https://api.intercom.io");
    // An explicit base URL wins over the region; a trailing slash is dropped.
    let custom = Client::builder()
        .token(TOKEN)
        .region(Region::Eu)
        .base_url("http://127.0.0.1:9/")
        .build()?;
    assert_eq!(custom.transport().base_url(), "http://127.0.0.1:9");
    Ok(())
}

// 7. Intercom error bodies surface with status, request id and codes.
#[tokio::test]
async fn not_found_surfaces_status_request_id_and_error_code() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/nope"))
        .respond_with(json_response(
            404,
            &json!({"type": "error.list", "request_id": "req-123",
                    "errors": [{"code": "not_found", "message": "User Not Found"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let error = expect_err(client.show_contact("nope").await)?;

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(error.request_id(), Some("req-123"));
    assert!(!error.is_retryable());
    let api = error.api_error().ok_or("expected Error::Api")?;
    assert_eq!(api.error_type(), Some("error.list"));
    assert_eq!(api.errors().len(), 1);
    assert_eq!(api.errors()[0].code, "not_found");
    assert_eq!(api.errors()[0].message.as_deref(), Some("User Not Found"));
    let text = error.to_string();
    assert!(text.contains("404"), "{text}");
    assert!(text.contains("not_found: User Not Found"), "{text}");
    assert!(text.contains("req-123"), "{text}");
    // A 404 is not retried.
    server.verify().await;
    Ok(())
}

// 8. The token never shows up in Debug / Display output.
#[tokio::test]
async fn token_is_not_in_debug_or_display_output() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/missing"))
        .respond_with(json_response(
            404,
            &json!({"type": "error.list", "request_id": "req-404",
                    "errors": [{"code": "not_found", "message": "User Not Found"}]}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/garbled"))
        .respond_with(raw_json_response(200, r#"{"type":"contact","id":"c5""#))
        .mount(&server)
        .await;
    let client = client(&server)?;
    let builder = Client::builder().token(TOKEN);

    let api_error = expect_err(client.show_contact("missing").await)?;
    let decode_error = expect_err(client.show_contact("garbled").await)?;
    assert!(api_error.api_error().is_some(), "{api_error:?}");
    assert!(decode_error.decode_error().is_some(), "{decode_error:?}");

    // A transport failure (nothing listening) carries the URL, not the credentials.
    let closed_port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        listener.local_addr()?.port()
    };
    let offline = Client::builder()
        .token(TOKEN)
        .base_url(format!("http://127.0.0.1:{closed_port}"))
        .max_retries(0)
        .build()?;
    let transport_error = expect_err(offline.show_contact("x").await)?;
    assert!(
        matches!(transport_error, Error::Transport(_)),
        "{transport_error:?}"
    );

    let outputs = [
        format!("{client:?}"),
        format!("{builder:?}"),
        format!("{api_error:?}"),
        format!("{api_error}"),
        format!("{decode_error:?}"),
        format!("{decode_error}"),
        format!("{transport_error:?}"),
        format!("{transport_error}"),
    ];
    for output in &outputs {
        assert!(!output.contains(TOKEN), "token leaked in: {output}");
        assert!(
            !output.contains("SUPER_SECRET"),
            "token leaked in: {output}"
        );
    }
    assert!(outputs[0].contains("***"), "{}", outputs[0]);
    Ok(())
}

// 9. Response metadata and the client's last seen rate limit.
#[tokio::test]
async fn send_with_response_exposes_metadata_and_rate_limit() -> TestResult {
    let server = MockServer::start().await;
    let first_body = r#"{"type":"contact","id":"c1","email":"c1@example.com"}"#;
    Mock::given(method("GET"))
        .and(path("/contacts/c1"))
        .respond_with(
            raw_json_response(200, first_body)
                .insert_header("X-Request-Id", "req-abc")
                .insert_header("X-RateLimit-Limit", "10000")
                .insert_header("X-RateLimit-Remaining", "9999")
                .insert_header("X-RateLimit-Reset", "1735689600"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/c2"))
        .respond_with(
            json_response(
                404,
                &json!({"type": "error.list", "errors": [{"code": "not_found"}]}),
            )
            .insert_header("X-Request-Id", "req-def")
            .insert_header("X-RateLimit-Limit", "10000")
            .insert_header("X-RateLimit-Remaining", "9998")
            .insert_header("X-RateLimit-Reset", "1735689610"),
        )
        .mount(&server)
        .await;
    let client = client(&server)?;
    assert_eq!(client.rate_limit(), None);

    let response = client.show_contact("c1").send_with_response().await?;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.request_id(), Some("req-abc"));
    let expected = RateLimit {
        limit: Some(10_000),
        remaining: Some(9_999),
        reset: Some(1_735_689_600),
    };
    assert_eq!(response.rate_limit(), Some(expected));
    assert_eq!(response.body(), first_body.as_bytes());
    assert_eq!(
        response
            .headers()
            .get("x-ratelimit-remaining")
            .and_then(|v| v.to_str().ok()),
        Some("9999")
    );
    assert_eq!(response.data().id, "c1");
    assert_eq!(client.rate_limit(), Some(expected));

    // A clone shares the rate-limit state; error answers update it too, and the request id
    // falls back to the header when the error body has none.
    let clone = client.clone();
    let error = expect_err(clone.show_contact("c2").await)?;
    assert_eq!(error.request_id(), Some("req-def"));
    let latest = client.rate_limit().ok_or("no rate limit recorded")?;
    assert_eq!(latest.remaining, Some(9_998));
    assert_eq!(latest.reset, Some(1_735_689_610));
    assert_eq!(
        error.api_error().and_then(|api| api.rate_limit()),
        Some(latest)
    );
    Ok(())
}

// 10. Decode errors name the failing field and keep the body.
#[tokio::test]
async fn decode_error_names_failing_field_and_keeps_body() -> TestResult {
    let server = MockServer::start().await;
    let mismatched = json!({
        "type": "list",
        "data": [contact("c1"), {"type": "contact", "id": "c2", "email": {"address": "c2@example.com"}}],
        "pages": {"type": "pages", "page": 1, "per_page": 2, "total_pages": 1},
    })
    .to_string();
    Mock::given(method("GET"))
        .and(path("/contacts"))
        .respond_with(raw_json_response(200, &mismatched).insert_header("X-Request-Id", "req-dec"))
        .mount(&server)
        .await;
    let truncated = r#"{"type":"contact","id":"c1","email":"#;
    Mock::given(method("GET"))
        .and(path("/contacts/c1"))
        .respond_with(raw_json_response(200, truncated).insert_header("X-Request-Id", "req-dec"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/html"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(b"<html>maintenance</html>".to_vec(), "text/html"),
        )
        .mount(&server)
        .await;
    let client = client(&server)?;

    // A value that does not fit its declared type is not fatal: the field stays empty and the
    // value is kept as sent (and written back as sent).
    let contacts = client.list_contacts().await?;
    let second = &contacts.data.as_deref().unwrap_or_default()[1];
    assert_eq!(second.email, None);
    assert_eq!(
        second.additional_properties.get("email"),
        Some(json!({"address": "c2@example.com"}))
    );
    let streamed: Vec<Result<types::Contact, Error>> =
        client.list_contacts().into_stream().collect().await;
    assert_eq!(streamed.len(), 2);
    assert!(streamed.iter().all(Result::is_ok));

    // Text that is not JSON is a decode error that keeps the body, the status and the
    // request id. The path is where the parser stopped (`.` is the document root).
    let error = expect_err(client.show_contact("c1").await)?;
    let decode = error.decode_error().ok_or("expected Error::Decode")?;
    assert_eq!(decode.status(), StatusCode::OK);
    assert_eq!(decode.request_id(), Some("req-dec"));
    assert_eq!(error.status(), Some(StatusCode::OK));
    assert!(error.to_string().contains("email"), "{error}");

    // Invalid JSON: still a decode error that keeps the body.
    // The path is where the parser stopped (`.` is the document root).
    for (id, body, at) in [
        ("c1", truncated, "email"),
        ("html", "<html>maintenance</html>", "."),
    ] {
        let error = expect_err(client.show_contact(id).await)?;
        let decode = error.decode_error().ok_or("expected Error::Decode")?;
        assert_eq!(decode.path(), Some(at), "{decode:?}");
        assert_eq!(decode.body_text(), Some(body));
    }
    Ok(())
}

// 11a. Operations without a response body return `()`.
#[tokio::test]
async fn empty_responses_return_unit() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/events"))
        .and(body_json(json!({
            "event_name": "invited-friend",
            "created_at": 1_671_028_894,
            "user_id": "314159",
            "metadata": {"invitee_email": "pi@example.org"},
        })))
        .respond_with(ResponseTemplate::new(202))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/tags/17513"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let event = types::CreateDataEventRequest {
        event_name: Some("invited-friend".to_owned()),
        created_at: Some(1_671_028_894.into()),
        user_id: Some("314159".to_owned()),
        metadata: Some([("invitee_email".to_owned(), "pi@example.org".to_owned())].into()),
        ..Default::default()
    };
    let response: intercom_api::Response<()> =
        client.create_data_event(event).send_with_response().await?;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    assert!(response.body().is_empty());
    let deleted: Result<(), Error> = client.delete_tag("17513").await;
    deleted?;
    server.verify().await;
    Ok(())
}

// 11b. The recording endpoint answers with a redirect, which is returned, not followed.
#[tokio::test]
async fn redirect_is_returned_not_followed() -> TestResult {
    let server = MockServer::start().await;
    let location = format!(
        "{}/signed/recording.mp3?X-Amz-Signature=abc%2Fdef",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/calls/call-1/recording"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", location.as_str()))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .and(path("/signed/recording.mp3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(b"ID3".to_vec(), "audio/mpeg"))
        .expect(0)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let redirect = client.show_call_recording("call-1").await?;
    assert_eq!(redirect.location, location);
    let response = client
        .show_call_recording("call-1")
        .send_with_response()
        .await?;
    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.data().location, location);

    let requests = received(&server).await;
    assert!(requests
        .iter()
        .all(|r| r.url.path() == "/calls/call-1/recording"));
    server.verify().await;
    Ok(())
}

// 11c. Download endpoints are described without a body, so `.await` yields `()`: the file is only
// reachable through `send_with_response().body()`, and the required `Accept` header must be set
// through the request options (the client sends `Accept: application/json` by default).
#[tokio::test]
async fn download_body_is_reachable_through_send_with_response() -> TestResult {
    let server = MockServer::start().await;
    let gzipped_csv: &[u8] = &[0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00];
    Mock::given(method("GET"))
        .and(path("/download/content/data/job%201"))
        .and(header("accept", "application/octet-stream"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(gzipped_csv, "application/octet-stream"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)?;

    let response = client
        .download_data_export("job 1")
        .options(RequestOptions::new().header("Accept", "application/octet-stream"))
        .send_with_response()
        .await?;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.body(), gzipped_csv);
    server.verify().await;
    Ok(())
}
