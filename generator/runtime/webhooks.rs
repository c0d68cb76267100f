//! Receiving Intercom webhooks: signature verification and a typed notification.
//!
//! Intercom signs each notification with `X-Hub-Signature: sha1=<hex>`, the HMAC-SHA1
//! (RFC 2104) of the raw request body keyed with the app's client secret (or the subscription's
//! `hub_secret`). [`Verifier`] checks it in constant time and decodes the body into a
//! [`Notification`]: the `notification_event` envelope with an open [`Topic`] and the raw JSON.
//! [`Notification::item`] types the item for the topics that say what it is, with the types of
//! the API version you use (`v2_14::webhooks::Item`).
//!
//! Verify the bytes exactly as received: re-serialized JSON does not have the same signature.
//!
//! ```
//! use intercom_api::webhooks::{Topic, Verifier};
//!
//! # fn handle(headers: &intercom_api::reqwest::header::HeaderMap, body: &[u8]) -> Result<(), intercom_api::webhooks::WebhookError> {
//! let verifier = Verifier::new("client-secret");
//! let notification = verifier.verify_headers(headers, body)?;
//! match &notification.topic {
//!     Topic::ContactUserCreated => println!("new user in app {:?}", notification.app_id),
//!     Topic::Ping => {}
//!     other => println!("{other} (delivery attempt {:?})", notification.delivery_attempts),
//! }
//! # Ok(())
//! # }
//! ```

use std::fmt;

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha1::Sha1;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "x-hub-signature";

const SIGNATURE_PREFIX: &str = "sha1=";

/// Length of a hex-encoded SHA-1 digest.
const SIGNATURE_HEX_LEN: usize = 40;

/// Why a notification's signature was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureError {
    /// The request has no `X-Hub-Signature` header: the subscription may have no secret, or the
    /// request is not from Intercom.
    Missing,
    /// The header is not `sha1=` followed by 40 hex digits.
    Malformed(String),
    /// The signature is well formed but does not match the body and secret.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Missing => write!(f, "the `X-Hub-Signature` header is missing"),
            SignatureError::Malformed(reason) => {
                write!(f, "the `X-Hub-Signature` header is malformed: {reason}")
            }
            SignatureError::Mismatch => write!(
                f,
                "the `X-Hub-Signature` does not match the body (wrong secret, or the body was \
                 changed or re-serialized)"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// A notification that could not be accepted: a bad signature or a body that is not a
/// `notification_event`.
#[derive(Debug)]
pub enum WebhookError {
    Signature(SignatureError),
    /// The body is not the JSON of a notification envelope.
    Decode(String),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::Signature(error) => write!(f, "{error}"),
            WebhookError::Decode(reason) => write!(f, "not an Intercom notification: {reason}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::Signature(error) => Some(error),
            WebhookError::Decode(_) => None,
        }
    }
}

impl From<SignatureError> for WebhookError {
    fn from(error: SignatureError) -> Self {
        WebhookError::Signature(error)
    }
}

/// Checks signatures with one secret (the app's client secret or a subscription's
/// `hub_secret`). Its `Debug` output does not show the secret.
#[derive(Clone)]
pub struct Verifier {
    secret: Vec<u8>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier").field("secret", &"***").finish()
    }
}

impl Verifier {
    pub fn new(secret: impl AsRef<[u8]>) -> Self {
        Self {
            secret: secret.as_ref().to_vec(),
        }
    }

    /// Checks the `X-Hub-Signature` header value (`None` when the header is absent) against
    /// the raw body. The comparison takes the same time wherever the signatures differ.
    pub fn verify(&self, signature: Option<&str>, body: &[u8]) -> Result<(), SignatureError> {
        let expected = parse_signature(signature.ok_or(SignatureError::Missing)?)?;
        self.mac(body)
            .verify_slice(&expected)
            .map_err(|_| SignatureError::Mismatch)
    }

    /// Checks the signature, then decodes the body into a [`Notification`].
    pub fn verify_and_decode(
        &self,
        signature: Option<&str>,
        body: &[u8],
    ) -> Result<Notification, WebhookError> {
        self.verify(signature, body)?;
        Notification::from_slice(body)
    }

    /// [`verify_and_decode`](Self::verify_and_decode) with the header read from a request's
    /// headers (`http::HeaderMap`, as used by reqwest, axum, hyper and actix).
    pub fn verify_headers(
        &self,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Result<Notification, WebhookError> {
        let signature = match headers.get(SIGNATURE_HEADER) {
            None => None,
            Some(value) => Some(value.to_str().map_err(|_| {
                SignatureError::Malformed("the value is not visible ASCII".to_owned())
            })?),
        };
        self.verify_and_decode(signature, body)
    }

    /// The header value Intercom would send for `body`: `sha1=<hex>`. Useful to sign test
    /// notifications.
    pub fn sign(&self, body: &[u8]) -> String {
        let digest = self.mac(body).finalize().into_bytes();
        let mut value = String::with_capacity(SIGNATURE_PREFIX.len() + SIGNATURE_HEX_LEN);
        value.push_str(SIGNATURE_PREFIX);
        value.push_str(&hex(&digest));
        value
    }

    fn mac(&self, body: &[u8]) -> Hmac<Sha1> {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(body);
        mac
    }
}

/// Lower-case hex, as Intercom sends it.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|byte| {
            [
                DIGITS[usize::from(byte >> 4)],
                DIGITS[usize::from(byte & 0xf)],
            ]
        })
        .map(char::from)
        .collect()
}

fn parse_signature(header: &str) -> Result<Vec<u8>, SignatureError> {
    let header = header.trim();
    let Some(hex_digest) = header.strip_prefix(SIGNATURE_PREFIX) else {
        let reason = match header.split_once('=') {
            Some((algorithm, _)) => format!("expected `sha1=<hex>`, got algorithm `{algorithm}`"),
            None => "expected `sha1=<hex>`".to_owned(),
        };
        return Err(SignatureError::Malformed(reason));
    };
    if hex_digest.len() != SIGNATURE_HEX_LEN {
        return Err(SignatureError::Malformed(format!(
            "expected {SIGNATURE_HEX_LEN} hex digits after `sha1=`, got {} characters",
            hex_digest.len()
        )));
    }
    hex_digest
        .as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| char::from(c).to_digit(16);
            match (digit(pair[0]), digit(pair[1])) {
                (Some(high), Some(low)) => Ok((high * 16 + low) as u8),
                _ => Err(SignatureError::Malformed(
                    "the signature contains a character that is not a hex digit".to_owned(),
                )),
            }
        })
        .collect()
}

/// A webhook notification: the `notification_event` envelope.
///
/// Fields Intercom does not always send are `Option`s; everything, including fields not listed
/// here, is in [`raw`](Self::raw).
#[derive(Debug, Clone, PartialEq)]
pub struct Notification {
    pub topic: Topic,
    /// The notification's id (`notif_…`); deliveries can repeat, so deduplicate on it.
    pub id: Option<String>,
    /// The workspace the event happened in.
    pub app_id: Option<String>,
    /// When the notification was created (Unix seconds).
    pub created_at: Option<i64>,
    /// How many times Intercom has tried to deliver it.
    pub delivery_attempts: Option<i64>,
    /// When delivery was first attempted (Unix seconds).
    pub first_sent_at: Option<i64>,
    pub delivery_status: Option<String>,
    /// The whole body as received.
    pub raw: Value,
}

impl Notification {
    /// Decodes a notification body (no signature check: see [`Verifier`]).
    pub fn from_slice(body: &[u8]) -> Result<Self, WebhookError> {
        let raw: Value = serde_json::from_slice(body)
            .map_err(|e| WebhookError::Decode(format!("invalid JSON: {e}")))?;
        Self::from_value(raw)
    }

    /// Decodes an already parsed notification body.
    pub fn from_value(raw: Value) -> Result<Self, WebhookError> {
        let object = raw
            .as_object()
            .ok_or_else(|| WebhookError::Decode("the body is not a JSON object".to_owned()))?;
        match object.get("type").and_then(Value::as_str) {
            Some("notification_event") | None => {}
            Some(other) => {
                return Err(WebhookError::Decode(format!(
                    "`type` is `{other}`, expected `notification_event`"
                )))
            }
        }
        let topic = object
            .get("topic")
            .and_then(Value::as_str)
            .ok_or_else(|| WebhookError::Decode("`topic` is missing or not a string".to_owned()))?;
        let text = |name: &str| match object.get(name) {
            Some(Value::String(text)) => Some(text.clone()),
            Some(Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        // Timestamps and counters arrive as numbers or numeric strings.
        let integer = |name: &str| match object.get(name) {
            Some(Value::Number(number)) => number.as_i64(),
            Some(Value::String(text)) => text.trim().parse().ok(),
            _ => None,
        };
        Ok(Self {
            topic: Topic::from(topic),
            id: text("id"),
            app_id: text("app_id"),
            created_at: integer("created_at"),
            delivery_attempts: integer("delivery_attempts"),
            first_sent_at: integer("first_sent_at"),
            delivery_status: text("delivery_status"),
            raw,
        })
    }

    /// The `data.item` object as received (`Null` when absent).
    pub fn raw_item(&self) -> &Value {
        self.raw
            .get("data")
            .and_then(|data| data.get("item"))
            .unwrap_or(&Value::Null)
    }

    /// The item decoded into any type.
    pub fn item_as<T: DeserializeOwned>(&self) -> Result<T, WebhookError> {
        decode_item(self.raw_item())
    }

    /// The item, typed when the topic says what it is and the item's `type` agrees, with the
    /// types of one API version: `let item: v2_14::webhooks::Item = notification.item()?;`.
    /// Other items are [`Item::Other`] with their JSON.
    pub fn item<T: ItemTypes>(&self) -> Result<Item<T>, WebhookError> {
        let raw = self.raw_item();
        let kind = self.topic.item_kind();
        let declared = raw.get("type").and_then(Value::as_str);
        if kind.is_some_and(|kind| declared.is_some_and(|declared| declared != kind.type_name())) {
            return Ok(Item::Other(raw.clone()));
        }
        Ok(match kind {
            Some(ItemKind::Contact) => Item::Contact(decode_item(raw)?),
            Some(ItemKind::Conversation) => Item::Conversation(decode_item(raw)?),
            Some(ItemKind::Ticket) => Item::Ticket(decode_item(raw)?),
            Some(ItemKind::Company) => Item::Company(decode_item(raw)?),
            Some(ItemKind::Admin) => Item::Admin(decode_item(raw)?),
            None => Item::Other(raw.clone()),
        })
    }
}

fn decode_item<T: DeserializeOwned>(raw: &Value) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(raw).map_err(|e| {
        WebhookError::Decode(format!(
            "the item does not decode at `{}`: {}",
            e.path(),
            e.inner()
        ))
    })
}

/// What a topic's item is, when the topic says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Contact,
    Conversation,
    Ticket,
    Company,
    Admin,
}

impl ItemKind {
    /// The item's `type` field for this kind.
    pub fn type_name(self) -> &'static str {
        match self {
            ItemKind::Contact => "contact",
            ItemKind::Conversation => "conversation",
            ItemKind::Ticket => "ticket",
            ItemKind::Company => "company",
            ItemKind::Admin => "admin",
        }
    }
}

/// The Rust types of the items of one API version; each version module implements it as
/// `webhooks::Types` (versions without such a schema use `serde_json::Value`).
pub trait ItemTypes {
    type Contact: DeserializeOwned + fmt::Debug + Clone;
    type Conversation: DeserializeOwned + fmt::Debug + Clone;
    type Ticket: DeserializeOwned + fmt::Debug + Clone;
    type Company: DeserializeOwned + fmt::Debug + Clone;
    type Admin: DeserializeOwned + fmt::Debug + Clone;
}

/// A notification's item, typed with one version's [`ItemTypes`].
pub enum Item<T: ItemTypes> {
    Contact(T::Contact),
    Conversation(T::Conversation),
    Ticket(T::Ticket),
    Company(T::Company),
    Admin(T::Admin),
    /// Topics whose item is something else (tags, events, jobs, content stats, …), or an item
    /// whose `type` is not the one its topic announces.
    Other(Value),
}

impl<T: ItemTypes> fmt::Debug for Item<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Contact(item) => f.debug_tuple("Contact").field(item).finish(),
            Item::Conversation(item) => f.debug_tuple("Conversation").field(item).finish(),
            Item::Ticket(item) => f.debug_tuple("Ticket").field(item).finish(),
            Item::Company(item) => f.debug_tuple("Company").field(item).finish(),
            Item::Admin(item) => f.debug_tuple("Admin").field(item).finish(),
            Item::Other(item) => f.debug_tuple("Other").field(item).finish(),
        }
    }
}

impl<T: ItemTypes> Clone for Item<T> {
    fn clone(&self) -> Self {
        match self {
            Item::Contact(item) => Item::Contact(item.clone()),
            Item::Conversation(item) => Item::Conversation(item.clone()),
            Item::Ticket(item) => Item::Ticket(item.clone()),
            Item::Company(item) => Item::Company(item.clone()),
            Item::Admin(item) => Item::Admin(item.clone()),
            Item::Other(item) => Item::Other(item.clone()),
        }
    }
}

/// Items without types: every item is [`Item::Other`] unless decoded with a version's types.
#[derive(Debug, Clone, Copy)]
pub struct UntypedItems;

impl ItemTypes for UntypedItems {
    type Contact = Value;
    type Conversation = Value;
    type Ticket = Value;
    type Company = Value;
    type Admin = Value;
}

macro_rules! topics {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal => $kind:expr, )*) => {
        /// A webhook topic. Intercom's OpenAPI descriptions do not list topics; these are the
        /// ones its webhook topics reference documents. A topic not listed here is kept as
        /// [`Topic::Unknown`], so a new topic never fails a notification.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Topic {
            $( $(#[$doc])* $variant, )*
            /// A topic this crate does not know, as sent.
            Unknown(String),
        }

        impl Topic {
            /// Every documented topic, in the reference's order.
            pub const KNOWN: &'static [Topic] = &[$(Topic::$variant,)*];

            /// The topic as Intercom sends it, e.g. `conversation.user.created`.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Topic::$variant => $wire, )*
                    Topic::Unknown(topic) => topic,
                }
            }

            /// What the topic's item is, when the topic says.
            pub fn item_kind(&self) -> Option<ItemKind> {
                match self {
                    $( Topic::$variant => $kind, )*
                    Topic::Unknown(_) => None,
                }
            }
        }

        impl From<&str> for Topic {
            fn from(topic: &str) -> Self {
                match topic {
                    $( $wire => Topic::$variant, )*
                    other => Topic::Unknown(other.to_owned()),
                }
            }
        }
    };
}

const CONTACT: Option<ItemKind> = Some(ItemKind::Contact);
const CONVERSATION: Option<ItemKind> = Some(ItemKind::Conversation);
const TICKET: Option<ItemKind> = Some(ItemKind::Ticket);
const COMPANY: Option<ItemKind> = Some(ItemKind::Company);
const ADMIN: Option<ItemKind> = Some(ItemKind::Admin);
const OTHER: Option<ItemKind> = None;

topics! {
    AdminActivityLogEventCreated = "admin.activity_log_event.created" => OTHER,
    AdminAddedToWorkspace = "admin.added_to_workspace" => ADMIN,
    AdminAwayModeUpdated = "admin.away_mode_updated" => ADMIN,
    AdminLoggedIn = "admin.logged_in" => ADMIN,
    AdminLoggedOut = "admin.logged_out" => ADMIN,
    AdminRemovedFromWorkspace = "admin.removed_from_workspace" => ADMIN,
    CompanyCreated = "company.created" => COMPANY,
    CompanyUpdated = "company.updated" => COMPANY,
    CompanyDeleted = "company.deleted" => COMPANY,
    CompanyContactAttached = "company.contact.attached" => OTHER,
    CompanyContactDetached = "company.contact.detached" => OTHER,
    ContactArchived = "contact.archived" => CONTACT,
    ContactDeleted = "contact.deleted" => CONTACT,
    ContactUnarchived = "contact.unarchived" => CONTACT,
    ContactEmailUpdated = "contact.email.updated" => CONTACT,
    ContactLeadAddedEmail = "contact.lead.added_email" => CONTACT,
    ContactLeadCreated = "contact.lead.created" => CONTACT,
    ContactLeadSignedUp = "contact.lead.signed_up" => CONTACT,
    ContactLeadUpdated = "contact.lead.updated" => CONTACT,
    ContactSubscribed = "contact.subscribed" => CONTACT,
    ContactUnsubscribed = "contact.unsubscribed" => CONTACT,
    ContactTagCreated = "contact.tag.created" => OTHER,
    ContactTagDeleted = "contact.tag.deleted" => OTHER,
    ContactUserCreated = "contact.user.created" => CONTACT,
    ContactUserUpdated = "contact.user.updated" => CONTACT,
    ContentStatBanner = "content_stat.banner" => OTHER,
    ContentStatCarousel = "content_stat.carousel" => OTHER,
    ContentStatChecklist = "content_stat.checklist" => OTHER,
    ContentStatCustomBot = "content_stat.custom_bot" => OTHER,
    ContentStatNewsItem = "content_stat.news_item" => OTHER,
    ContentStatPost = "content_stat.post" => OTHER,
    ContentStatSeries = "content_stat.series" => OTHER,
    ContentStatSms = "content_stat.sms" => OTHER,
    ContentStatSurvey = "content_stat.survey" => OTHER,
    ContentStatTooltipGroup = "content_stat.tooltip_group" => OTHER,
    ContentStatTour = "content_stat.tour" => OTHER,
    ConversationAdminAssigned = "conversation.admin.assigned" => CONVERSATION,
    ConversationAdminClosed = "conversation.admin.closed" => CONVERSATION,
    ConversationAdminNoted = "conversation.admin.noted" => CONVERSATION,
    ConversationAdminOpenAssigned = "conversation.admin.open.assigned" => CONVERSATION,
    ConversationAdminOpened = "conversation.admin.opened" => CONVERSATION,
    ConversationAdminReplied = "conversation.admin.replied" => CONVERSATION,
    ConversationAdminSingleCreated = "conversation.admin.single.created" => CONVERSATION,
    ConversationAdminSnoozed = "conversation.admin.snoozed" => CONVERSATION,
    ConversationAdminUnsnoozed = "conversation.admin.unsnoozed" => CONVERSATION,
    ConversationContactAttached = "conversation.contact.attached" => CONVERSATION,
    ConversationContactDetached = "conversation.contact.detached" => CONVERSATION,
    ConversationDeleted = "conversation.deleted" => CONVERSATION,
    ConversationOperatorReplied = "conversation.operator.replied" => CONVERSATION,
    ConversationPriorityUpdated = "conversation.priority.updated" => CONVERSATION,
    ConversationRatingAdded = "conversation.rating.added" => CONVERSATION,
    ConversationRead = "conversation.read" => CONVERSATION,
    ConversationUserCreated = "conversation.user.created" => CONVERSATION,
    ConversationUserReplied = "conversation.user.replied" => CONVERSATION,
    ConversationPartRedacted = "conversation_part.redacted" => OTHER,
    ConversationPartTagCreated = "conversation_part.tag.created" => OTHER,
    EventCreated = "event.created" => OTHER,
    JobCompleted = "job.completed" => OTHER,
    /// Sent when a subscription is created or tested.
    Ping = "ping" => OTHER,
    TicketAdminAssigned = "ticket.admin.assigned" => TICKET,
    TicketAttributeUpdated = "ticket.attribute.updated" => TICKET,
    TicketClosed = "ticket.closed" => TICKET,
    TicketContactAttached = "ticket.contact.attached" => TICKET,
    TicketContactDetached = "ticket.contact.detached" => TICKET,
    TicketContactReplied = "ticket.contact.replied" => TICKET,
    TicketCreated = "ticket.created" => TICKET,
    TicketNoteCreated = "ticket.note.created" => TICKET,
    TicketRatingProvided = "ticket.rating.provided" => TICKET,
    TicketStateUpdated = "ticket.state.updated" => TICKET,
    TicketTeamAssigned = "ticket.team.assigned" => TICKET,
    /// Legacy (API 1.x) user model.
    UserCreated = "user.created" => OTHER,
    UserDeleted = "user.deleted" => OTHER,
    UserEmailUpdated = "user.email.updated" => OTHER,
    UserTagCreated = "user.tag.created" => OTHER,
    UserTagDeleted = "user.tag.deleted" => OTHER,
    UserUnsubscribed = "user.unsubscribed" => OTHER,
    VisitorSignedUp = "visitor.signed_up" => CONTACT,
}

impl fmt::Display for Topic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<String> for Topic {
    fn from(topic: String) -> Self {
        Topic::from(topic.as_str())
    }
}

impl serde::Serialize for Topic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Topic {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Topic::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_round_trip() {
        for topic in Topic::KNOWN {
            assert_eq!(&Topic::from(topic.as_str()), topic);
        }
        assert_eq!(
            Topic::from("brand.new.topic"),
            Topic::Unknown("brand.new.topic".to_owned())
        );
    }

    #[test]
    fn signature_parsing() {
        assert_eq!(
            parse_signature(&format!("sha1={}", "0a".repeat(20))),
            Ok(vec![10; 20])
        );
        assert!(
            matches!(parse_signature("sha256=00"), Err(SignatureError::Malformed(m)) if m.contains("sha256"))
        );
        assert!(matches!(
            parse_signature("sha1=zz"),
            Err(SignatureError::Malformed(_))
        ));
        assert!(matches!(
            parse_signature(&format!("sha1={}", "g".repeat(40))),
            Err(SignatureError::Malformed(_))
        ));
    }
}
