//! Retry policy and backoff computation.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

use super::error::Error;

/// Controls which failed requests are retried and how long to wait in between.
///
/// The number of retries is configured separately, with
/// [`ClientBuilder::max_retries`](super::ClientBuilder::max_retries) or
/// [`RequestOptions::max_retries`](super::RequestOptions::max_retries).
///
/// # What is retried
///
/// * `429 Too Many Requests` is retried for **every** method: the server
///   rejected the request before acting on it.
/// * Connection failures that happen before the request was sent (DNS,
///   TCP connect, TLS handshake) are retried for every method as well.
/// * `408 Request Timeout`, `5xx` answers, other transport errors and
///   per-attempt timeouts are retried only for idempotent methods
///   (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) unless
///   [`retry_non_idempotent`](Self::retry_non_idempotent) is enabled.
///
/// Intercom has no idempotency keys, so a `POST` or `PATCH` that failed with
/// a `5xx` or a timeout may already have been applied by the server;
/// retrying it could create duplicates (two notes, two conversations, ...).
/// That is why non-idempotent methods are **not** retried on those failures
/// by default.
///
/// # How long to wait
///
/// * If the answer carries a `Retry-After` header (seconds or HTTP date), the
///   client waits that long.
/// * Otherwise, on `429`, the client waits until the Unix time given by the
///   `X-RateLimit-Reset` header, when present and in the future.
/// * Otherwise it uses exponential backoff with full jitter: a random delay
///   between zero and `min(max_delay, base_delay * 2^retry)`.
///
/// Any single wait is capped by [`max_wait`](Self::max_wait) so that a bogus
/// header cannot hang the caller.
///
/// # Example
///
/// ```
/// use std::time::Duration;
/// use intercom_api::runtime::RetryPolicy;
///
/// let policy = RetryPolicy::new()
///     .retry_non_idempotent(true)
///     .base_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(4))
///     .max_wait(Duration::from_secs(30));
/// assert!(policy.retries_non_idempotent());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    retry_non_idempotent: bool,
    base_delay: Duration,
    max_delay: Duration,
    max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            retry_non_idempotent: false,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy: non-idempotent methods are retried only on `429`
    /// and on connection failures; backoff starts at 500 ms, doubles up to
    /// 8 s, and no single wait exceeds 60 s.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `POST` and `PATCH` requests are also retried on `408`, `5xx`,
    /// timeouts and transport errors (default `false`).
    ///
    /// Only enable this when duplicated side effects are acceptable.
    pub fn retry_non_idempotent(mut self, enabled: bool) -> Self {
        self.retry_non_idempotent = enabled;
        self
    }

    /// Base delay of the exponential backoff (default 500 ms).
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// Upper bound of the exponential backoff before jitter (default 8 s).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Upper bound of any single wait, including waits requested by the
    /// server through `Retry-After` or `X-RateLimit-Reset` (default 60 s).
    pub fn max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Returns whether non-idempotent methods are retried on failures other
    /// than `429`.
    pub fn retries_non_idempotent(&self) -> bool {
        self.retry_non_idempotent
    }

    /// Decides whether a failed attempt should be retried.
    pub(crate) fn should_retry(&self, method: &Method, error: &Error) -> bool {
        if !error.is_retryable() {
            return false;
        }
        if error.is_rate_limited() || is_idempotent(method) || self.retry_non_idempotent {
            return true;
        }
        // Nothing reached the server when the connection could not be opened.
        matches!(error, Error::Transport(e) if e.is_connect())
    }

    /// Computes how long to wait before retry number `retry` (0-based).
    pub(crate) fn delay(&self, retry: u32, error: &Error) -> Duration {
        let server_wait = error.api_error().and_then(|api| {
            retry_after(api.headers()).or_else(|| {
                if api.status() == StatusCode::TOO_MANY_REQUESTS {
                    rate_limit_reset_wait(api.headers())
                } else {
                    None
                }
            })
        });
        let wait = match server_wait {
            Some(wait) => wait,
            None => self.backoff(retry),
        };
        wait.min(self.max_wait)
    }

    /// Exponential backoff with full jitter.
    fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        let ceiling = self
            .base_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay);
        let ceiling_ms = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(fastrand::u64(0..=ceiling_ms))
    }
}

/// Returns whether `method` is idempotent per RFC 9110.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Parses a `Retry-After` header given in seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = parse_http_date(value)?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Time until the Unix timestamp in `X-RateLimit-Reset`, if in the future.
fn rate_limit_reset_wait(headers: &HeaderMap) -> Option<Duration> {
    let reset = headers
        .get("x-ratelimit-reset")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    let at = UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    at.duration_since(SystemTime::now())
        .ok()
        .filter(|wait| !wait.is_zero())
}

/// Parses an IMF-fixdate such as `Sun, 06 Nov 1994 08:49:37 GMT`.
fn parse_http_date(value: &str) -> Option<SystemTime> {
    let rest = value.split_once(", ").map_or(value, |(_, rest)| rest);
    let mut parts = rest.split_ascii_whitespace();
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let hour: u64 = clock.next()?.parse().ok()?;
    let minute: u64 = clock.next()?.parse().ok()?;
    let second: u64 = clock.next()?.parse().ok()?;
    if parts.next()? != "GMT"
        || !(1970..=9999).contains(&year)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3_600 + minute * 60 + second;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 for a proleptic Gregorian date (year >= 1970).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_http_dates() {
        let at = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            at.and_then(|t| t.duration_since(UNIX_EPOCH).ok()),
            Some(Duration::from_secs(784_111_777))
        );
        assert_eq!(
            parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
            Some(UNIX_EPOCH)
        );
        assert_eq!(parse_http_date("yesterday"), None);
        assert_eq!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
    }

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::new()
            .base_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(40));
        for retry in [0, 1, 5, 40, u32::MAX] {
            assert!(policy.backoff(retry) <= Duration::from_millis(40));
        }
    }

    #[test]
    fn retry_after_seconds() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, reqwest::header::HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            reqwest::header::HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
    }
}
