//! Decode speed of a large response: a `ContactList` of 2,000 contacts, each the spec's own
//! example contact (from `GET /contacts/{id}`), decoded from bytes into the 2.14 types.
//!
//! Run: `cargo bench -p intercom-tests --bench decode` (needs `cargo xtask specs` first).
//! Prints the median of 15 runs; a plain timer so it needs no extra dependency.

use intercom_api::v2_14::types::ContactList;
use intercom_tests::{resolve, spec_json};
use std::time::{Duration, Instant};

const CONTACTS: usize = 2_000;
const RUNS: usize = 15;

fn main() {
    let body = contact_list_body();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            let list: ContactList = serde_json::from_slice(&body).expect("the list decodes");
            let elapsed = start.elapsed();
            assert_eq!(list.data.map_or(0, |data| data.len()), CONTACTS);
            elapsed
        })
        .collect();
    times.sort();
    let median = times[RUNS / 2];
    println!(
        "ContactList of {CONTACTS} contacts ({} KiB): median {:.2} ms, {:.1} MiB/s",
        body.len() / 1024,
        median.as_secs_f64() * 1e3,
        body.len() as f64 / median.as_secs_f64() / (1024.0 * 1024.0)
    );
}

fn contact_list_body() -> Vec<u8> {
    let spec = spec_json("2.14");
    let response = &spec["paths"]["/contacts/{id}"]["get"]["responses"]["200"];
    let examples = &resolve(&spec, response)["content"]["application/json"]["examples"];
    let contact = examples
        .as_object()
        .and_then(|examples| examples.values().next())
        .map(|example| resolve(&spec, example)["value"].clone())
        .expect("the spec has an example contact");
    let list = serde_json::json!({
        "type": "list",
        "data": vec![contact; CONTACTS],
        "total_count": CONTACTS,
        "pages": {"type": "pages", "page": 1, "per_page": CONTACTS, "total_pages": 1},
    });
    serde_json::to_vec(&list).expect("JSON encodes")
}
