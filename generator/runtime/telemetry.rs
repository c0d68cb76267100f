//! `tracing` spans for API calls (the `tracing` feature); without the feature every method is a
//! no-op the compiler removes.
//!
//! One `intercom.request` span per call, at INFO level, with the fields `operation` (the client
//! method), `method`, `path` (the description's template, not the filled-in path, so ids stay
//! out and spans group by endpoint), `attempt`, `status`, `request_id` and, when it ended in an
//! error, `error`. Each retry emits an INFO event with the attempt, the status, request id and
//! error kind, and the wait before the next attempt (`retry_wait_ms`). The token, headers and bodies are never
//! recorded.

use std::future::Future;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use super::error::Error;
use super::request::Operation;

/// The span of one call (all attempts).
pub(crate) struct CallSpan {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

#[cfg(feature = "tracing")]
impl CallSpan {
    pub(crate) fn new(operation: Option<Operation>, method: &Method, path: &str) -> Self {
        let (name, template) = match operation {
            Some(operation) => (operation.name, operation.path_template),
            // A hand-built request: no template is known and the path may hold ids.
            None => ("", path),
        };
        let span = tracing::info_span!(
            "intercom.request",
            operation = name,
            method = %method,
            path = template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            error = tracing::field::Empty,
        );
        Self { span }
    }

    pub(crate) fn attempt(&self, attempt: u32) {
        self.span.record("attempt", attempt);
    }

    /// Records what an attempt got back.
    pub(crate) fn answered(&self, status: StatusCode, headers: &HeaderMap) {
        self.span.record("status", status.as_u16());
        if let Some(id) = super::response::header_request_id(headers) {
            self.span.record("request_id", id);
        }
    }

    pub(crate) fn failed(&self, error: &Error) {
        if let Some(status) = error.status() {
            self.span.record("status", status.as_u16());
        }
        if let Some(id) = error.request_id() {
            self.span.record("request_id", id);
        }
        self.span
            .record("error", tracing::field::display(error_kind(error)));
    }

    pub(crate) fn retrying(&self, attempt: u32, error: &Error, wait: Duration) {
        let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        self.span.in_scope(|| {
            tracing::info!(
                attempt,
                status = error.status().map(|status| status.as_u16()),
                request_id = error.request_id(),
                error = %error_kind(error),
                retry_wait_ms = wait_ms,
                "retrying Intercom request"
            );
        });
    }

    pub(crate) fn instrument<F: Future>(&self, future: F) -> impl Future<Output = F::Output> {
        tracing::Instrument::instrument(future, self.span.clone())
    }
}

/// A short, secret-free description of an error (no bodies, no URLs with query values).
#[cfg(feature = "tracing")]
fn error_kind(error: &Error) -> &'static str {
    match error {
        Error::Api(_) => "api",
        Error::Timeout { .. } => "timeout",
        Error::Decode(_) => "decode",
        Error::Transport(_) => "transport",
        Error::Config(_) => "config",
        Error::InvalidRequest { .. } => "invalid_request",
    }
}

#[cfg(not(feature = "tracing"))]
impl CallSpan {
    pub(crate) fn new(_: Option<Operation>, _: &Method, _: &str) -> Self {
        Self {}
    }

    pub(crate) fn attempt(&self, _: u32) {}

    pub(crate) fn answered(&self, _: StatusCode, _: &HeaderMap) {}

    pub(crate) fn failed(&self, _: &Error) {}

    pub(crate) fn retrying(&self, _: u32, _: &Error, _: Duration) {}

    pub(crate) fn instrument<F: Future>(&self, future: F) -> F {
        future
    }
}
