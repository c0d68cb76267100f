//! Receiving Intercom webhooks with axum: verify the `X-Hub-Signature` on the raw body, decode
//! the notification, and act on typed items.
//!
//! Run with `INTERCOM_CLIENT_SECRET=... cargo run -p intercom-tests --example webhook_server`,
//! then point an Intercom webhook subscription at `http://<host>:3000/intercom/webhooks`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use intercom_api::v2_14::webhooks::Item;
use intercom_api::webhooks::{Topic, Verifier, WebhookError};
use std::sync::Arc;

/// The webhook endpoint, verifying with `verifier`.
fn app(verifier: Verifier) -> Router {
    Router::new()
        .route("/intercom/webhooks", post(receive))
        .with_state(Arc::new(verifier))
}

/// Takes the body as `Bytes`, not `Json`: the signature covers the exact bytes sent.
async fn receive(
    State(verifier): State<Arc<Verifier>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let notification = match verifier.verify_headers(&headers, &body) {
        Ok(notification) => notification,
        Err(WebhookError::Signature(error)) => {
            return (StatusCode::UNAUTHORIZED, error.to_string())
        }
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()),
    };
    if notification.topic == Topic::Ping {
        return (StatusCode::OK, "pong".to_owned());
    }
    let summary = match notification.item() {
        Ok(Item::Conversation(conversation)) => format!("conversation {:?}", conversation.id),
        Ok(Item::Contact(contact)) => format!("contact {:?}", contact.email),
        Ok(Item::Ticket(ticket)) => format!("ticket {:?}", ticket.id),
        Ok(other) => format!("{other:?}"),
        // Typed decoding failed, but the raw JSON is still there.
        Err(error) => format!("{error}: {}", notification.raw_item()),
    };
    // Answer quickly (Intercom waits a few seconds); hand slow work to a queue.
    (StatusCode::OK, format!("{}: {summary}", notification.topic))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let secret = std::env::var("INTERCOM_CLIENT_SECRET").unwrap_or_default();
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await?;
    axum::serve(listener, app(Verifier::new(secret))).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use intercom_api::reqwest;

    async fn post(body: &'static str, signature: Option<String>) -> (u16, String) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app(Verifier::new("secret"))).await });
        let mut request = reqwest::Client::new()
            .post(format!("http://{address}/intercom/webhooks"))
            .body(body);
        if let Some(signature) = signature {
            request = request.header("X-Hub-Signature", signature);
        }
        let response = request.send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    const BODY: &str = r#"{"type":"notification_event","topic":"conversation.user.created","data":{"item":{"type":"conversation","id":"147"}}}"#;

    #[tokio::test]
    async fn signed_notification_is_accepted_and_typed() {
        let signature = Verifier::new("secret").sign(BODY.as_bytes());
        let (status, text) = post(BODY, Some(signature)).await;
        assert_eq!(
            (status, text.as_str()),
            (200, "conversation.user.created: conversation \"147\"")
        );
    }

    #[tokio::test]
    async fn unsigned_or_forged_notifications_are_rejected() {
        let (status, text) = post(BODY, None).await;
        assert_eq!(status, 401);
        assert!(text.contains("missing"), "{text}");
        let forged = Verifier::new("not-the-secret").sign(BODY.as_bytes());
        assert_eq!(post(BODY, Some(forged)).await.0, 401);
    }
}
