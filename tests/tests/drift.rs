//! Response drift: what the server sends differs from the pinned description, and the response
//! still decodes, keeping what came.
//!
//! - A required property that is absent is filled with its type's default.
//! - A value that does not fit its declared type (an object property given a string, an array
//!   property given an object, a string property given an object) is kept as sent in the
//!   struct's `additional_properties`, and written back in its place.
//! - The examples that the other published versions document decode into the shipped types.

use intercom_api::v2_14::types::{
    AdminReplyConversationRequest, AdminReplyConversationRequestMessageType, ContactList,
    Conversation, ConversationState, ExternalPage, ExternalPageType, Ticket,
};
use intercom_codegen::ir::Api;
use intercom_tests::{
    conformance, named_examples, operation_name, resolve, spec_json, spec_path, Roundtrip,
};
use serde_json::{json, Value};

#[test]
fn a_response_without_a_required_field_decodes() {
    // Older revisions sent `fin_availability` where 2.14 requires `ai_agent_availability`.
    let sent = json!({
        "type": "external_page", "id": "1", "title": "Refunds", "html": "<p>Yes</p>",
        "locale": "en", "fin_availability": true, "ai_copilot_availability": true,
        "external_id": "refunds", "source_id": 7, "created_at": 1, "updated_at": 2,
        "last_ingested_at": 3,
    });
    let page: ExternalPage = serde_json::from_value(sent).expect("decodes");
    assert!(!page.ai_agent_availability);
    assert_eq!(page.fin_availability, Some(true));
    assert_eq!(page.type_, ExternalPageType);
}

#[test]
fn an_object_property_given_a_string_keeps_the_string() {
    // 2.9 to 2.11 document `ticket_state` as a plain string.
    let sent = r#"{"type": "ticket", "id": "42", "ticket_state": "submitted", "open": true}"#;
    let ticket: Ticket = serde_json::from_str(sent).expect("decodes");
    assert_eq!(ticket.ticket_state, None);
    assert_eq!(
        ticket
            .additional_properties
            .get("ticket_state")
            .expect("kept"),
        "submitted"
    );
    assert_eq!(ticket.id, "42");
    assert_eq!(ticket.open, Some(true));

    let encoded = serde_json::to_string(&ticket).expect("encodes");
    assert_eq!(encoded.matches(r#""ticket_state""#).count(), 1, "{encoded}");
    let encoded: Value = serde_json::from_str(&encoded).expect("JSON");
    assert_eq!(encoded["ticket_state"], "submitted");
}

#[test]
fn a_next_page_given_as_a_url_keeps_the_url() {
    let next = "https://api.intercom.io/contacts?starting_after=WzE3MTc0OTM4NjUwMDAsIjY2NWYw";
    let sent = json!({
        "type": "list", "data": [], "total_count": 0,
        "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 2, "next": next},
    });
    let list: ContactList = serde_json::from_value(sent.clone()).expect("decodes");
    let pages = list.pages.as_ref().expect("pages");
    assert_eq!(pages.next, None);
    assert_eq!(pages.additional_properties.get("next").expect("kept"), next);
    assert_eq!(pages.page, Some(1));
    assert_eq!(serde_json::to_value(&list).expect("encodes"), sent);
}

#[test]
fn values_that_fit_no_declared_type_are_kept_as_sent() {
    let sent = json!({
        "type": "list",
        // An array property given an object, a string property given an object.
        "data": {"unexpected": true},
        "pages": {"type": {"name": "pages"}, "page": "three"},
        "total_count": 0,
    });
    let list: ContactList = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(list.data, None);
    assert_eq!(
        list.additional_properties.get("data").expect("kept"),
        json!({"unexpected": true})
    );
    let pages = list.pages.as_ref().expect("pages");
    assert_eq!(pages.page, None);
    assert_eq!(
        pages.additional_properties.get("page").expect("kept"),
        "three"
    );
    assert_eq!(serde_json::to_value(&list).expect("encodes"), sent);
}

#[test]
fn undeclared_properties_are_kept_exactly_and_written_back() {
    // Properties the description does not declare, of every JSON kind, with names and text that
    // need escaping: each is kept (in order) and written back as it came.
    let sent = r#"{"type":"ticket","id":"42","plan":{"name":"pro","seats":[1,2.5,null]},
        "quote\"d":"line\nbreak \u00e9 \ud83d\ude00","flag":false,"big":18446744073709551615}"#;
    let ticket: Ticket = serde_json::from_str(sent).expect("decodes");
    let names: Vec<_> = ticket.additional_properties.keys().collect();
    assert_eq!(names, ["plan", "quote\"d", "flag", "big"]);
    assert_eq!(
        ticket.additional_properties.get_raw("plan"),
        Some(r#"{"name":"pro","seats":[1,2.5,null]}"#)
    );
    assert_eq!(
        ticket.additional_properties.get("quote\"d").expect("kept"),
        "line\nbreak é 😀"
    );
    let seats: Option<Result<Value, _>> = ticket.additional_properties.get_as("plan");
    assert_eq!(seats.expect("kept").expect("parses")["seats"][1], 2.5);
    let expected: Value = serde_json::from_str(sent).expect("JSON");
    assert_eq!(serde_json::to_value(&ticket).expect("encodes"), expected);
    let again: Ticket =
        serde_json::from_str(&serde_json::to_string(&ticket).expect("encodes")).expect("decodes");
    assert_eq!(again, ticket);

    // Set and removed by hand, they are written (or not) the same way.
    let mut edited = ticket.clone();
    edited.additional_properties.insert("flag", json!(true));
    assert_eq!(
        edited.additional_properties.remove("plan"),
        Some(expected["plan"].clone())
    );
    let encoded = serde_json::to_value(&edited).expect("encodes");
    assert_eq!(encoded["flag"], true);
    assert!(encoded.get("plan").is_none());
    assert_ne!(edited, ticket);
}

#[test]
fn undeclared_properties_are_kept_through_any_deserializer() {
    let sent = r#"{"type":"ticket","id":"42","plan":{"seats":[1,true]},"note":"é"}"#;
    let expected: Value = serde_json::from_str(sent).expect("JSON");
    // From a reader, from a `Value`, and through serde's buffered content (a caller's struct
    // that flattens a generated one): each keeps the same properties.
    let from_reader: Ticket = serde_json::from_reader(sent.as_bytes()).expect("decodes");
    let from_value: Ticket = serde_json::from_value(expected.clone()).expect("decodes");
    #[derive(serde::Deserialize)]
    struct Envelope {
        received: Option<bool>,
        #[serde(flatten)]
        ticket: Ticket,
    }
    let flattened: Envelope = serde_json::from_str(sent).expect("decodes");
    assert_eq!(flattened.received, None);
    for ticket in [from_reader, from_value, flattened.ticket] {
        assert_eq!(
            ticket.additional_properties.get_raw("plan"),
            Some(r#"{"seats":[1,true]}"#)
        );
        assert_eq!(serde_json::to_value(&ticket).expect("encodes"), expected);
    }
}

#[test]
fn enums_still_keep_values_they_do_not_know() {
    let sent = json!({"type": "conversation", "id": "1", "state": "archived"});
    let conversation: Conversation = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(
        conversation.state,
        Some(ConversationState::Unknown("archived".into()))
    );
    assert!(conversation.additional_properties.is_empty());
    assert_eq!(serde_json::to_value(&conversation).expect("encodes"), sent);
}

#[test]
fn a_tag_given_another_value_keeps_the_value() {
    // `type` allows only `external_page`: the field's type is that value.
    let sent = json!({"type": "external_page_v2", "id": "1", "locale": "fr"});
    let page: ExternalPage = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(page.type_, ExternalPageType);
    assert_eq!(
        page.additional_properties.get("type").expect("kept"),
        "external_page_v2"
    );
    // `locale` allows only `en` in 2.14: another language is kept the same way.
    assert_eq!(
        page.additional_properties.get("locale").expect("kept"),
        "fr"
    );
    let encoded = serde_json::to_string(&page).expect("encodes");
    assert_eq!(encoded.matches(r#""type""#).count(), 1, "{encoded}");
    let encoded: Value = serde_json::from_str(&encoded).expect("JSON");
    assert_eq!(encoded["type"], "external_page_v2");
}

#[test]
fn a_request_body_sends_its_tags_without_the_caller_setting_them() {
    let reply = AdminReplyConversationRequest {
        admin_id: "991267".into(),
        message_type: AdminReplyConversationRequestMessageType::Comment,
        ..Default::default()
    };
    let sent = serde_json::to_value(&reply).expect("encodes");
    assert_eq!(sent["type"], "admin");
    assert_eq!(sent["message_type"], "comment");
}

/// Decodes the 2xx examples of every other published version into the shipped module that
/// serves it (2.7 to 2.16 into 2.14, Preview into Unstable), for the operations both have.
#[test]
fn examples_of_other_versions_decode_into_the_shipped_types() {
    let shipped = [
        ("2.14", conformance::v2_14::decode_response as Decoder),
        (
            "Unstable",
            conformance::unstable::decode_response as Decoder,
        ),
    ];
    let others = [
        ("2.7", 0),
        ("2.8", 0),
        ("2.9", 0),
        ("2.10", 0),
        ("2.11", 0),
        ("2.12", 0),
        ("2.13", 0),
        ("2.15", 0),
        ("2.16", 0),
        ("Preview", 1),
    ];
    let apis: Vec<Api> = shipped
        .iter()
        .map(|(version, _)| intercom_codegen::lower_file(&spec_path(version)).expect("lowers"))
        .collect();
    println!("| examples of | decoded by | examples | decoded |\n|---|---|---|---|");
    let (mut total, mut decoded) = (0, 0);
    let mut failures = Vec::new();
    for (version, target) in others {
        let (shipped_version, decode) = shipped[target];
        let (count, ok) = decode_examples(version, &apis[target], decode, &mut failures);
        println!("| {version} | {shipped_version} | {count} | {ok} |");
        total += count;
        decoded += ok;
    }
    let rate = decoded as f64 / total.max(1) as f64;
    println!("| all | | {total} | {decoded} ({:.1}%) |", rate * 100.0);
    for failure in &failures {
        println!("  FAIL {failure}");
    }
    assert!(total > 900, "only {total} examples found");
    assert!(
        rate >= 0.999,
        "{} of {total} fail to decode",
        total - decoded
    );
}

type Decoder = fn(&str, &str) -> Option<Roundtrip>;

fn decode_examples(
    version: &str,
    api: &Api,
    decode: Decoder,
    failures: &mut Vec<String>,
) -> (usize, usize) {
    let spec = spec_json(version);
    let (mut count, mut ok) = (0, 0);
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let Some(name) = operation_name(api, path, method) else {
                continue;
            };
            for (code, response) in operation["responses"].as_object().into_iter().flatten() {
                let response = resolve(&spec, response);
                let media = &response["content"]["application/json"];
                if !code.starts_with('2') || media.is_null() {
                    continue;
                }
                for (example, value) in named_examples(&spec, media.get("examples")) {
                    let Some(result) = decode(name, &value.to_string()) else {
                        continue;
                    };
                    count += 1;
                    match result {
                        Ok(_) => ok += 1,
                        Err(error) => failures.push(format!(
                            "{version} {name} `{example}` at `{}`: {}",
                            error.path, error.message
                        )),
                    }
                }
            }
        }
    }
    (count, ok)
}
