//! The program a new user writes first (issue 9): an EU client, list contacts, search contacts
//! with two filters, create a contact, update a custom attribute, reply to a conversation as an
//! admin, create a note and a data event, and handle a 404 and a 429. Compiled by `cargo test`;
//! run against the `test-util` mock so it needs no network.
use intercom_api::prelude::*;
use intercom_api::test_util::{MockApi, MockResponse};
use types::ReplyConversationRequest as Reply;

async fn run(client: &Client) -> Result<(), Error> {
    let mut contacts = client.list_contacts().into_stream();
    while let Some(contact) = contacts.try_next().await? {
        println!("{:?}", contact.email);
    }
    let query = Query::and([
        Filter::eq("role", "user"),
        Filter::gt("created_at", 1_700_000_000),
    ]);
    let found = client.search_contacts(query.into()).await?;
    println!("{:?} found", found.total_count);
    let new = types::CreateContactRequest {
        email: Some("a@b.c".into()),
        ..Default::default()
    };
    let contact = client.create_contact(new).await?;
    // Every contact operation returns the same type, which is a `Contact`.
    println!("{}", describe(&contact));
    let id = contact.id.clone();
    let attributes = serde_json::json!({"plan": "pro"}).as_object().cloned();
    let update = types::UpdateContactRequest {
        custom_attributes: attributes,
        ..Default::default()
    };
    client.update_contact(&id, update).await?;
    // Ids are strings everywhere: the id a response holds goes straight into the next call.
    let me = client.identify_admin().await?;
    let admin_id = me.id;
    client.retrieve_admin(&admin_id).await?;
    let reply = types::AdminReplyConversationRequest {
        admin_id,
        body: Some("Thanks!".into()),
        message_type: types::AdminReplyConversationRequestMessageType::Comment,
        ..Default::default()
    };
    let conversation = client
        .reply_conversation("123", Reply::AdminReplyConversationRequest(reply))
        .await?;
    client.retrieve_conversation(&conversation.id).await?;
    let note = types::CreateNoteBody {
        body: "Called about billing".into(),
        ..Default::default()
    };
    client.create_note(&id, note).await?;
    let event = types::CreateDataEventRequest {
        event_name: Some("upgraded".into()),
        id: Some(id.clone()),
        ..Default::default()
    };
    client.create_data_event(event).await?;
    match client.show_contact("no-such-contact").await {
        Err(error) if error.is_not_found() => eprintln!("not found ({:?})", error.request_id()),
        Err(error) if error.is_rate_limited() => eprintln!("slow down: {:?}", error),
        Err(error) => return Err(error),
        Ok(contact) => println!("{}", describe(&contact)),
    }
    Ok(())
}

/// Code written for the `Contact` component takes what any contact operation returns.
fn describe(contact: &types::Contact) -> String {
    format!("{} <{:?}>", contact.id, contact.email)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    // A real program: `Client::builder().token_from_env().region(Region::Eu).build()?`.
    let configured = Client::builder()
        .token("token")
        .region(Region::Eu)
        .build()?;
    assert_eq!(
        configured.transport().base_url(),
        "https://api.eu.intercom.io"
    );
    let mock = MockApi::new();
    mock.on(
        "show_contact",
        MockResponse::error(404, "not_found", "User Not Found"),
    );
    run(&mock.client()).await
}
