//! Decode time of a list of 20,000 contacts (each the 2.14 description's example contact from
//! `GET /contacts/{contact_id}`, with its own id and email) into the generated
//! `v2_14::types::ContactList`, into `serde_json::Value`, and into strict derive-only serde
//! types of the same shape (`strict` below, written by hand from the example).
//!
//! Run by `cargo xtask bench` (or `cargo bench -p intercom-tests --bench decode_compare`, after
//! `cargo xtask specs`). The decodes alternate within each round (`DECODE_ROUNDS`, 15 by
//! default), each timed after an untimed one of its own kind; it prints the median of each and
//! the median of the per-round ratios as Markdown table rows.
//!
//! The generated types are decoded as the client decodes a response body
//! (`runtime::decode_json`: the body's UTF-8 checked once, then read as text); the others as a
//! user would with `serde_json::from_slice`. The strict types are also read the client's way
//! (`strict-text`), to show what reading as text alone buys.
//!
//! For instruction counts (`valgrind --tool=callgrind`, repeatable on a busy machine):
//! `DECODE_BODY=<file>` writes the list to the file when it does not exist, else reads it from
//! there (so parsing the description is not counted); `DECODE_ONLY=generated|value|strict|strict-text`
//! decodes it once, that way only, and exits; `DECODE_CONTACTS` sets the list's length.

use intercom_api::v2_14::types::ContactList;
use intercom_tests::{resolve, spec_json};
use std::time::{Duration, Instant};

const CONTACTS: usize = 20_000;

/// The list's length: `DECODE_CONTACTS`, else [`CONTACTS`].
fn contacts() -> usize {
    std::env::var("DECODE_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CONTACTS)
}

/// Derive-only types of the example's shape: exact field types, unknown keys ignored, no
/// leniency. What a minimal hand-written client would use.
// The fields are decoded to be timed, never read.
#[allow(dead_code)]
mod strict {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct ContactList {
        #[serde(rename = "type")]
        pub type_: String,
        pub data: Vec<Contact>,
        pub total_count: i64,
        pub pages: Pages,
    }

    #[derive(Deserialize)]
    pub struct Pages {
        #[serde(rename = "type")]
        pub type_: String,
        pub page: i64,
        pub per_page: i64,
        pub total_pages: i64,
    }

    #[derive(Deserialize)]
    pub struct Contact {
        #[serde(rename = "type")]
        pub type_: String,
        pub id: String,
        pub workspace_id: String,
        pub external_id: Option<String>,
        pub role: String,
        pub email: Option<String>,
        pub phone: Option<String>,
        pub name: Option<String>,
        pub avatar: Option<Avatar>,
        pub owner_id: Option<i64>,
        pub social_profiles: SocialProfiles,
        pub has_hard_bounced: bool,
        pub marked_email_as_spam: bool,
        pub unsubscribed_from_emails: bool,
        pub created_at: i64,
        pub updated_at: i64,
        pub signed_up_at: Option<i64>,
        pub last_seen_at: Option<i64>,
        pub last_replied_at: Option<i64>,
        pub last_contacted_at: Option<i64>,
        pub last_email_opened_at: Option<i64>,
        pub last_email_clicked_at: Option<i64>,
        pub language_override: Option<String>,
        pub browser: Option<String>,
        pub browser_version: Option<String>,
        pub browser_language: Option<String>,
        pub os: Option<String>,
        pub location: Location,
        pub android_app_name: Option<String>,
        pub android_app_version: Option<String>,
        pub android_device: Option<String>,
        pub android_os_version: Option<String>,
        pub android_sdk_version: Option<String>,
        pub android_last_seen_at: Option<i64>,
        pub ios_app_name: Option<String>,
        pub ios_app_version: Option<String>,
        pub ios_device: Option<String>,
        pub ios_os_version: Option<String>,
        pub ios_sdk_version: Option<String>,
        pub ios_last_seen_at: Option<i64>,
        pub custom_attributes: serde_json::Map<String, serde_json::Value>,
        pub tags: AddressableList,
        pub notes: AddressableList,
        pub companies: AddressableList,
        pub opted_out_subscription_types: AddressableList,
        pub opted_in_subscription_types: AddressableList,
        pub utm_campaign: Option<String>,
        pub utm_content: Option<String>,
        pub utm_medium: Option<String>,
        pub utm_source: Option<String>,
        pub utm_term: Option<String>,
        pub referrer: Option<String>,
        pub enabled_push_messaging: Option<bool>,
    }

    #[derive(Deserialize)]
    pub struct Avatar {
        #[serde(rename = "type")]
        pub type_: String,
        pub image_url: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct SocialProfiles {
        #[serde(rename = "type")]
        pub type_: String,
        pub data: Vec<SocialProfile>,
    }

    #[derive(Deserialize)]
    pub struct SocialProfile {
        #[serde(rename = "type")]
        pub type_: String,
        pub name: String,
        pub url: String,
    }

    #[derive(Deserialize)]
    pub struct Location {
        #[serde(rename = "type")]
        pub type_: String,
        pub country: Option<String>,
        pub region: Option<String>,
        pub city: Option<String>,
        pub country_code: Option<String>,
        pub continent_code: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct AddressableList {
        #[serde(rename = "type")]
        pub type_: String,
        pub data: Vec<Addressable>,
        pub url: String,
        pub total_count: i64,
        pub has_more: bool,
    }

    #[derive(Deserialize)]
    pub struct Addressable {
        #[serde(rename = "type")]
        pub type_: String,
        pub id: String,
        pub url: String,
    }
}

fn main() {
    let rounds: usize = std::env::var("DECODE_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15)
        .max(1);
    let count = contacts();
    let body = body();
    if let Ok(only) = std::env::var("DECODE_ONLY") {
        let decoded = match only.as_str() {
            "generated" => decode_generated(&body),
            "value" => decode_value(&body),
            "strict" => decode_strict(&body),
            "strict-text" => decode_strict_as_text(&body),
            other => {
                panic!("DECODE_ONLY={other}: expected generated, value, strict or strict-text")
            }
        };
        assert_eq!(decoded, count);
        return;
    }
    let mut generated = Vec::new();
    let mut value = Vec::new();
    let mut strict = Vec::new();
    let mut strict_text = Vec::new();
    for _ in 0..rounds {
        generated.push(time(count, || decode_generated(&body)));
        value.push(time(count, || decode_value(&body)));
        strict.push(time(count, || decode_strict(&body)));
        strict_text.push(time(count, || decode_strict_as_text(&body)));
    }
    let ratios = |a: &[Duration], b: &[Duration]| {
        median_f64(
            a.iter()
                .zip(b)
                .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
                .collect(),
        )
    };
    let ms = |d: &[Duration]| median_f64(d.iter().map(|d| d.as_secs_f64() * 1e3).collect());
    let mib = body.len() as f64 / (1024.0 * 1024.0);
    println!("| decode {count} contacts ({mib:.1} MiB, {rounds} rounds) | median | ratio to generated (median of rounds) |");
    println!("|---|---|---|");
    println!(
        "| generated `v2_14::types::ContactList` (as the client decodes) | {:.1} ms | 1.00 |",
        ms(&generated)
    );
    println!(
        "| `serde_json::Value` | {:.1} ms | generated / Value = {:.2} |",
        ms(&value),
        ratios(&generated, &value)
    );
    println!(
        "| strict derive-only types (hand-written) | {:.1} ms | generated / strict = {:.2} |",
        ms(&strict),
        ratios(&generated, &strict)
    );
    println!(
        "| strict derive-only types, read as text | {:.1} ms | generated / strict as text = {:.2} |",
        ms(&strict_text),
        ratios(&generated, &strict_text)
    );
}

/// The decodes; each gives the number of contacts it read.
fn decode_generated(body: &[u8]) -> usize {
    let list: ContactList = intercom_api::runtime::decode_json(body).expect("generated decodes");
    list.data.map_or(0, |data| data.len())
}

fn decode_value(body: &[u8]) -> usize {
    let list: serde_json::Value = serde_json::from_slice(body).expect("JSON decodes");
    list["data"].as_array().map_or(0, Vec::len)
}

fn decode_strict(body: &[u8]) -> usize {
    let list: strict::ContactList = serde_json::from_slice(body).expect("strict types decode");
    strict_count(list)
}

fn decode_strict_as_text(body: &[u8]) -> usize {
    let text = std::str::from_utf8(body).expect("the list is UTF-8");
    let list: strict::ContactList = serde_json::from_str(text).expect("strict types decode");
    strict_count(list)
}

fn strict_count(list: strict::ContactList) -> usize {
    assert!(list.total_count > 0 && list.pages.total_pages == 1);
    list.data.len()
}

/// Times one decode, after an untimed one of the same kind (so each timed decode finds the
/// allocator as its own kind left it, not as the previous decoder did: a decode that follows
/// `Value`'s measured up to 1.5× slower); checks it read every contact.
fn time(expected: usize, decode: impl Fn() -> usize) -> Duration {
    std::hint::black_box(decode());
    let start = Instant::now();
    let count = decode();
    let elapsed = start.elapsed();
    assert_eq!(count, expected);
    elapsed
}

fn median_f64(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// The list to decode: built, or read from (and written to) `DECODE_BODY`.
fn body() -> Vec<u8> {
    let Ok(path) = std::env::var("DECODE_BODY") else {
        return contact_list_body(contacts());
    };
    if let Ok(body) = std::fs::read(&path) {
        return body;
    }
    let body = contact_list_body(contacts());
    std::fs::write(&path, &body).expect("DECODE_BODY is writable");
    body
}

/// `{"type": "list", "data": [...], ...}` with each contact its own id and email.
fn contact_list_body(count: usize) -> Vec<u8> {
    let spec = spec_json("2.14");
    let response = &spec["paths"]["/contacts/{contact_id}"]["get"]["responses"]["200"];
    let examples = &resolve(&spec, response)["content"]["application/json"]["examples"];
    let contact = examples
        .as_object()
        .and_then(|examples| examples.values().next())
        .map(|example| resolve(&spec, example)["value"].clone())
        .expect("the spec has an example contact");
    let data: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            let mut contact = contact.clone();
            contact["id"] = format!("{i:024x}").into();
            contact["email"] = format!("contact{i}@example.com").into();
            contact
        })
        .collect();
    let list = serde_json::json!({
        "type": "list",
        "data": data,
        "total_count": count,
        "pages": {"type": "pages", "page": 1, "per_page": count, "total_pages": 1},
    });
    serde_json::to_vec(&list).expect("JSON encodes")
}
