//! `tracing` spans: one per call with the operation, method, path template, attempt, status and
//! request id, an event per retry with its wait, and never the token, ids in paths or bodies.
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so spans emitted
//! by other tests running in parallel could race with this test's subscriber.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use intercom_api::{v2_14, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn fast_policy() -> RetryPolicy {
    RetryPolicy::new()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_wait(Duration::from_millis(50))
}

/// Records every span field, span record and event as text.
#[derive(Clone, Default)]
struct Recorder {
    lines: Arc<Mutex<Vec<String>>>,
    next_id: Arc<Mutex<u64>>,
}

struct FieldText(String);

impl tracing::field::Visit for FieldText {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!(" {}={:?}", field.name(), value));
    }
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.push_str(&format!(" {}={}", field.name(), value));
    }
}

impl Recorder {
    fn push(&self, line: String) {
        self.lines.lock().unwrap().push(line);
    }
    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }
}

impl tracing::Subscriber for Recorder {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut text = FieldText(format!("span {}:", span.metadata().name()));
        span.record(&mut text);
        self.push(text.0);
        let mut next = self.next_id.lock().unwrap();
        *next += 1;
        tracing::span::Id::from_u64(*next)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut text = FieldText("record:".to_owned());
        values.record(&mut text);
        self.push(text.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut text = FieldText(format!("event {}:", event.metadata().level()));
        event.record(&mut text);
        self.push(text.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn tracing_span_per_call_without_token_or_bodies() -> TestResult {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/contacts/secret-contact-id"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("x-request-id", "req-first")
                .set_body_string(
                    r#"{"type":"error.list","errors":[{"code":"busy","message":"body-text-1"}]}"#,
                ),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/contacts/secret-contact-id"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-second")
                .set_body_raw(
                    r#"{"type":"contact","id":"body-text-2"}"#,
                    "application/json",
                ),
        )
        .mount(&server)
        .await;
    let client = v2_14::Client::builder()
        .token("secret-token-value")
        .base_url(server.uri())
        .retry_policy(fast_policy())
        .build()?;

    let recorder = Recorder::default();
    let guard = tracing::subscriber::set_default(recorder.clone());
    client.show_contact("secret-contact-id").await?;
    drop(guard);

    let lines = recorder.lines();
    let all = lines.join("\n");
    let span = lines
        .iter()
        .find(|l| l.starts_with("span intercom.request:"))
        .expect(&all);
    for field in [
        "operation=show_contact",
        "method=GET",
        "path=/contacts/{contact_id}",
    ] {
        assert!(span.contains(field), "{field} missing from {span}");
    }
    let retry = lines.iter().find(|l| l.contains("retrying")).expect(&all);
    for field in [
        "attempt=1",
        "status=503",
        "request_id=req-first",
        "retry_wait_ms=",
    ] {
        assert!(retry.contains(field), "{field} missing from {retry}");
    }
    for recorded in ["attempt=2", "status=200", "request_id=req-second"] {
        assert!(all.contains(recorded), "{recorded} missing from\n{all}");
    }
    for secret in [
        "secret-token-value",
        "secret-contact-id",
        "body-text-1",
        "body-text-2",
    ] {
        assert!(!all.contains(secret), "{secret} leaked into\n{all}");
    }
    Ok(())
}
