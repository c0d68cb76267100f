//! Ids agree and one resource has one type (issue 9, items 5 and 6), on the shipped types.
//!
//! - Every id is a `String`: the id a response holds is passed straight to the next call, and a
//!   field the description declares as an integer still goes on the wire as a number.
//! - The contact operations return one type, which is a `Contact` (`Deref`, `AsRef`, `From`),
//!   and it still reads and writes the response as sent.

use intercom_api::v2_14::types::{Contact, ContactResponse, DataAttribute, UpdateTicketRequest};
use intercom_api::v2_14::Client;
use intercom_api::Error;
use serde_json::json;
use std::future::IntoFuture;

#[test]
fn an_integer_id_is_read_as_text_and_written_as_a_number() {
    let sent = json!({"type": "data_attribute", "id": 12878, "name": "plan"});
    let attribute: DataAttribute = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(attribute.id.as_deref(), Some("12878"));
    assert_eq!(serde_json::to_value(&attribute).expect("encodes"), sent);
}

#[test]
fn a_body_id_declared_as_an_integer_is_sent_as_a_number() {
    let admin = UpdateTicketRequest {
        admin_id: Some("991267".into()),
        ..Default::default()
    };
    let body = serde_json::to_value(&admin).expect("encodes");
    assert_eq!(body["admin_id"], json!(991267));
    // Text that is not a number is sent as it is: nothing is lost.
    let named = UpdateTicketRequest {
        admin_id: Some("me".into()),
        ..Default::default()
    };
    let body = serde_json::to_value(&named).expect("encodes");
    assert_eq!(body["admin_id"], json!("me"));
}

/// The request's answer type, without sending it.
fn answers<R: IntoFuture<Output = Result<ContactResponse, Error>>>(_: R) {}

#[test]
fn every_contact_operation_answers_one_type_that_is_a_contact() {
    let client = Client::builder().token("token").build().expect("client");
    let id = String::from("6657add46abd0167d9419cd2");
    answers(client.show_contact(&id));
    answers(client.show_contact_by_external_id("external"));
    answers(client.update_contact(&id, Default::default()));
    answers(client.create_contact(Default::default()));
    answers(client.merge_contact(Default::default()));
}

#[test]
fn a_contact_response_reads_and_writes_as_sent() {
    let sent = json!({
        "type": "contact", "id": "1", "email": "a@b.c", "enabled_push_messaging": true,
        "unheard_of": {"kept": 1},
    });
    let response: ContactResponse = serde_json::from_value(sent.clone()).expect("decodes");
    let contact: &Contact = &response;
    assert_eq!(contact.email.as_deref(), Some("a@b.c"));
    assert_eq!(response.as_ref().id, "1");
    assert_eq!(response.enabled_push_messaging, Some(true));
    assert_eq!(serde_json::to_value(&response).expect("encodes"), sent);
    let owned: Contact = response.into();
    assert_eq!(owned.id, "1");
}

#[test]
fn a_misfit_in_the_extra_properties_is_kept() {
    let sent = json!({"id": "1", "enabled_push_messaging": "sometimes"});
    let response: ContactResponse = serde_json::from_value(sent.clone()).expect("decodes");
    assert_eq!(response.enabled_push_messaging, None);
    assert_eq!(serde_json::to_value(&response).expect("encodes"), sent);
}
