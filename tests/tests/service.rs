//! What a service around the client needs: webhook verification and decoding, the Messenger
//! `user_hash`, and the `test-util` mock used as a user would (`tracing` spans: telemetry.rs).
//!
//! Expected signatures and hashes were computed independently of this crate, with Python's
//! `hmac` module (and checked with `openssl dgst -sha1 -hmac`), not with the code under test.

use std::time::Duration;

use intercom_api::identity::user_hash;
use intercom_api::reqwest::header::{HeaderMap, HeaderValue};
use intercom_api::test_util::{MockApi, MockResponse};
use intercom_api::webhooks::{
    Item, ItemKind, Notification, SignatureError, Topic, Verifier, WebhookError,
};
use intercom_api::{v2_14, Error, RetryPolicy};
use serde_json::{json, Value};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// Intercom's documented signed notification (developer hub, "Signed Notifications"), byte for
/// byte as a webhook body.
const DOCUMENTED_BODY: &[u8] = include_bytes!("../fixtures/webhooks/user_created.json");
const DOCUMENTED_SECRET: &str = "intercom-client-secret";
/// `hmac.new(b"intercom-client-secret", body, hashlib.sha1).hexdigest()`
const DOCUMENTED_SIGNATURE: &str = "sha1=9693c89478830aa26f1d0b149347e8635f03df58";

#[test]
fn documented_notification_verifies_and_decodes() -> TestResult {
    let verifier = Verifier::new(DOCUMENTED_SECRET);
    let notification = verifier.verify_and_decode(Some(DOCUMENTED_SIGNATURE), DOCUMENTED_BODY)?;
    assert_eq!(notification.topic, Topic::UserCreated);
    assert_eq!(notification.topic.as_str(), "user.created");
    assert_eq!(
        notification.id.as_deref(),
        Some("notif_78c122d0-23ba-11e4-9464-79b01267cc2e")
    );
    assert_eq!(notification.app_id.as_deref(), Some("a86dr8yl"));
    assert_eq!(notification.raw_item()["name"], "Hoban Washburne");
    // The whole body stays available as JSON.
    assert_eq!(notification.raw["data"]["type"], "notification_event_data");
    // A legacy `user` item is not typed, and not lost.
    let item: v2_14::webhooks::Item = notification.item()?;
    assert!(matches!(&item, Item::Other(raw) if raw["user_id"] == "25"));
    Ok(())
}

#[test]
fn signature_from_the_header_map_in_upper_case_hex() -> TestResult {
    let mut headers = HeaderMap::new();
    headers.insert(
        "X-Hub-Signature",
        HeaderValue::from_str(
            &DOCUMENTED_SIGNATURE
                .to_uppercase()
                .replace("SHA1=", "sha1="),
        )?,
    );
    let notification =
        Verifier::new(DOCUMENTED_SECRET).verify_headers(&headers, DOCUMENTED_BODY)?;
    assert_eq!(notification.topic, Topic::UserCreated);
    Ok(())
}

#[test]
fn signature_of_a_compact_body_matches_an_independent_hmac() -> TestResult {
    let body = br#"{"type":"notification_event","topic":"ping"}"#;
    // `hmac.new(b"secret", body, hashlib.sha1).hexdigest()`
    let expected = "sha1=e8e5e2592043c6f21a6550288b4b285ba7d35f24";
    let verifier = Verifier::new("secret");
    assert_eq!(verifier.sign(body), expected);
    verifier.verify(Some(expected), body)?;
    Ok(())
}

#[test]
fn bad_signatures_are_rejected_with_the_reason() {
    let verifier = Verifier::new(DOCUMENTED_SECRET);
    let check = |header: Option<&str>, body: &[u8]| verifier.verify(header, body);

    assert_eq!(check(None, DOCUMENTED_BODY), Err(SignatureError::Missing));
    // Another secret, a changed body, a re-serialized body: well formed, wrong.
    assert_eq!(
        Verifier::new("other-secret").verify(Some(DOCUMENTED_SIGNATURE), DOCUMENTED_BODY),
        Err(SignatureError::Mismatch)
    );
    let mut tampered = DOCUMENTED_BODY.to_vec();
    tampered[200] ^= 1;
    assert_eq!(
        check(Some(DOCUMENTED_SIGNATURE), &tampered),
        Err(SignatureError::Mismatch)
    );
    let reserialized =
        serde_json::to_vec(&serde_json::from_slice::<Value>(DOCUMENTED_BODY).unwrap()).unwrap();
    assert_eq!(
        check(Some(DOCUMENTED_SIGNATURE), &reserialized),
        Err(SignatureError::Mismatch)
    );
    // One digit off.
    let off_by_one = DOCUMENTED_SIGNATURE.replace("58", "59");
    assert_eq!(
        check(Some(&off_by_one), DOCUMENTED_BODY),
        Err(SignatureError::Mismatch)
    );

    for malformed in [
        "9693c89478830aa26f1d0b149347e8635f03df58",
        "sha256=9693c89478830aa26f1d0b149347e8635f03df58",
        "sha1=9693c894",
        "sha1=9693c89478830aa26f1d0b149347e8635f03dfzz",
        "",
    ] {
        let error = check(Some(malformed), DOCUMENTED_BODY).unwrap_err();
        assert!(
            matches!(error, SignatureError::Malformed(_)),
            "{malformed}: {error:?}"
        );
        assert!(error.to_string().contains("X-Hub-Signature"), "{error}");
    }
    let sha256 = check(Some("sha256=00"), DOCUMENTED_BODY).unwrap_err();
    assert!(sha256.to_string().contains("sha256"), "{sha256}");

    // A verified signature on a body that is not a notification is a decode error.
    let body = br#"{"type":"contact"}"#;
    let error = verifier
        .verify_and_decode(Some(&verifier.sign(body)), body)
        .unwrap_err();
    assert!(matches!(error, WebhookError::Decode(_)), "{error}");
    // The secret never shows in debug output.
    assert!(!format!("{verifier:?}").contains(DOCUMENTED_SECRET));
}

#[test]
fn items_are_typed_where_the_topic_says_what_they_are() -> TestResult {
    let conversation = notification(
        "conversation.user.created",
        json!({"type": "conversation", "id": "147", "state": "open", "created_at": 1700000000,
               "source": {"type": "conversation", "body": "<p>Hi</p>"}}),
    )?;
    assert_eq!(conversation.topic, Topic::ConversationUserCreated);
    assert_eq!(conversation.topic.item_kind(), Some(ItemKind::Conversation));
    assert_eq!(conversation.created_at, Some(1_700_000_100.into()));
    assert_eq!(conversation.delivery_attempts, Some(2));
    let item: v2_14::webhooks::Item = conversation.item()?;
    let Item::Conversation(typed) = item else {
        panic!("expected a conversation, got {item:?}");
    };
    assert_eq!(typed.id, "147");

    let contact = notification(
        "contact.user.created",
        json!({"type": "contact", "id": "6657", "role": "user", "email": "wash@serenity.example"}),
    )?;
    let item: v2_14::webhooks::Item = contact.item()?;
    assert!(
        matches!(&item, Item::Contact(c) if c.email.as_deref() == Some("wash@serenity.example"))
    );

    let ticket = notification(
        "ticket.created",
        json!({"type": "ticket", "id": "99", "ticket_id": "12"}),
    )?;
    assert!(matches!(
        ticket.item::<v2_14::webhooks::Types>()?,
        Item::Ticket(_)
    ));
    let unstable: intercom_api::unstable::webhooks::Item = ticket.item()?;
    assert!(matches!(unstable, Item::Ticket(_)));

    // An item whose `type` is not what the topic announces is kept as JSON.
    let tag = notification(
        "contact.tag.created",
        json!({"type": "contact_tag", "tag": {"id": "7"}}),
    )?;
    assert!(
        matches!(tag.item::<v2_14::webhooks::Types>()?, Item::Other(raw) if raw["tag"]["id"] == "7")
    );

    // Unknown topics are kept, as sent.
    let unknown = notification("brand_new.topic", json!({"type": "widget"}))?;
    assert_eq!(unknown.topic, Topic::Unknown("brand_new.topic".to_owned()));
    assert_eq!(unknown.topic.to_string(), "brand_new.topic");
    assert!(matches!(
        unknown.item::<v2_14::webhooks::Types>()?,
        Item::Other(_)
    ));
    Ok(())
}

fn notification(topic: &str, item: Value) -> Result<Notification, WebhookError> {
    let body = json!({
        "type": "notification_event",
        "app_id": "a86dr8yl",
        "id": "notif_1",
        "topic": topic,
        "created_at": "1700000100",
        "delivery_attempts": 2,
        "data": {"type": "notification_event_data", "item": item},
    });
    let bytes = serde_json::to_vec(&body).map_err(|e| WebhookError::Decode(e.to_string()))?;
    let verifier = Verifier::new("s");
    verifier.verify_and_decode(Some(&verifier.sign(&bytes)), &bytes)
}

#[test]
fn user_hash_matches_an_independent_hmac_sha256() {
    // `hmac.new(b"identity-secret", b"user-1234", hashlib.sha256).hexdigest()`
    assert_eq!(
        user_hash("identity-secret", "user-1234"),
        "b4ee29678109acfc703178b5c7e370c4341f059d7170da7baea0dee017b4fd5c"
    );
    assert_eq!(
        user_hash(b"identity-secret", "élodie@example.com"),
        "9644d7b4ce7148789f9637e18a7739adaa0623cc669e2416cce9009b2754dddb"
    );
}

/// Code a user might write and want to test: archive every contact with a given email domain.
async fn archive_contacts_of_domain(client: &v2_14::Client, domain: &str) -> Result<usize, Error> {
    use futures::TryStreamExt;
    let contacts: Vec<_> = client.list_contacts().into_stream().try_collect().await?;
    let mut archived = 0;
    for contact in contacts {
        let matches = contact
            .email
            .as_deref()
            .is_some_and(|email| email.ends_with(domain));
        if matches {
            client.archive_contact(contact.id).await?;
            archived += 1;
        }
    }
    Ok(archived)
}

#[tokio::test]
async fn mock_answers_with_canned_responses_and_records_requests() -> TestResult {
    let mock = MockApi::new();
    mock.on(
        "list_contacts",
        MockResponse::json(
            200,
            json!({
                "type": "list",
                "data": [
                    {"type": "contact", "id": "1", "email": "a@old.example"},
                    {"type": "contact", "id": "2", "email": "b@new.example"},
                    {"type": "contact", "id": "3", "email": "c@old.example"},
                ],
                "total_count": 3,
                "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 1},
            }),
        ),
    );
    let client: v2_14::Client = mock.client();

    // `archive_contact` has no canned response: the description's example answers.
    assert_eq!(
        archive_contacts_of_domain(&client, "@old.example").await?,
        2
    );

    let archived: Vec<String> = mock
        .requests_to("archive_contact")
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(archived, ["/contacts/1/archive", "/contacts/3/archive"]);
    let requests = mock.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].operation.as_deref(), Some("list_contacts"));
    assert_eq!(requests[1].method, intercom_api::reqwest::Method::POST);
    assert_eq!(
        requests[1].path_template.as_deref(),
        Some("/contacts/{contact_id}/archive")
    );
    assert_eq!(
        requests[1].header("intercom-version"),
        Some(v2_14::API_VERSION)
    );
    Ok(())
}

#[tokio::test]
async fn mock_scripts_errors_retries_and_request_bodies() -> TestResult {
    let mock = MockApi::new();
    let client: v2_14::Client = mock.builder().retry_policy(fast_policy()).build()?;

    // A retry: once 503, then the description's example.
    mock.on_once(
        "show_contact",
        MockResponse::error(503, "service_unavailable", "try later"),
    );
    let contact = client.show_contact("6657").await?;
    assert!(!contact.id.is_empty());
    assert_eq!(mock.requests_to("show_contact").len(), 2);

    // An API error surfaces as the client's error type, with the canned request id.
    mock.on(
        "show_contact",
        MockResponse::error(404, "not_found", "User Not Found").header("X-Request-Id", "req-404"),
    );
    let error = client.show_contact("missing").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        error.api_error().map(|e| e.errors()[0].code.as_str()),
        Some("not_found")
    );

    // The body the code sent is there to assert on.
    let note = v2_14::types::CreateNoteBody {
        body: "Called about billing".into(),
        ..Default::default()
    };
    client.create_note("6657", note).await?;
    let sent: Value = mock.requests_to("create_note")[0].json()?;
    assert_eq!(sent["body"], "Called about billing");

    // The query the code sent, decoded.
    mock.clear_requests();
    let _ = client
        .list_contacts()
        .starting_after("cursor-2")
        .send()
        .await?;
    assert_eq!(
        mock.requests()[0].query_value("starting_after"),
        Some("cursor-2")
    );
    Ok(())
}

#[tokio::test]
async fn every_operation_answers_from_the_description_without_network() -> TestResult {
    // Each version's examples are the mock's defaults; an operation without one says so.
    let mock = MockApi::new();
    let client: v2_14::Client = mock.client();
    let me = client.identify_admin().await?;
    assert!(me.email.is_some(), "the example admin has an email: {me:?}");
    let tags = client.list_tags().await?;
    assert!(!tags.data.unwrap_or_default().is_empty());
    Ok(())
}

fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_wait(Duration::from_millis(50))
}
