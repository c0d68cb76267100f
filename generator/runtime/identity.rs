//! Messenger identity verification.
//!
//! With identity verification on, the Messenger (web, iOS, Android) must send a `user_hash` with
//! each user: the hex HMAC-SHA256 of the user's `user_id` (or of the email when there is no
//! `user_id`), keyed with the workspace's identity verification secret. Compute it on your
//! server; the secret must never reach the client.
//!
//! ```
//! use intercom_api::identity::user_hash;
//!
//! let hash = user_hash("identity-verification-secret", "user-1234");
//! assert_eq!(hash.len(), 64);
//! // Hand `hash` to the Messenger as `user_hash`, next to `user_id: "user-1234"`.
//! ```
//!
//! Intercom's OpenAPI descriptions do not document the Messenger's JWT alternative, so this
//! module has no helper for it.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `user_hash` for `identifier` (the `user_id`, or the email for users without one): the
/// lower-case hex HMAC-SHA256 of the identifier keyed with `secret`.
pub fn user_hash(secret: impl AsRef<[u8]>, identifier: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_ref())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(identifier.as_bytes());
    super::webhooks::hex(&mac.finalize().into_bytes())
}
