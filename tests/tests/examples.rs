//! The spec's own examples against the generated types, for both shipped versions:
//! - every 2xx `application/json` response example decodes into the operation's response type,
//!   and encoding it again gives equivalent JSON (undeclared fields are kept);
//! - every 4xx/5xx example parses into the client's error type;
//! - every request-body example that is not an error case decodes into the request body type;
//! - every decoded example, encoded and decoded again, is the same value: each untagged union
//!   chose the same variant (the one the JSON fits best).
//!
//! Prints a table per version and fails listing each example that does not pass.

use intercom_api::runtime::{ApiError, HeaderMap, StatusCode};
use intercom_tests::{
    conformance, named_examples, normalize_example_name, operation_name, resolve, spec_json,
    spec_path, DecodeFailure, Roundtrip,
};
use serde_json::Value;

type Decoder = fn(&str, &str) -> Option<Roundtrip>;

struct Outcome {
    total: usize,
    failures: Vec<String>,
    /// Examples decoded into a generated type (2xx responses and request bodies), and of those
    /// the ones that came back as the same value when decoded again from their encoding.
    decoded: usize,
    same_again: usize,
}

#[test]
fn v2_14_examples_match_the_generated_types() {
    check_version(
        "2.14",
        conformance::v2_14::decode_response,
        conformance::v2_14::decode_request,
    );
}

#[test]
fn preview_examples_match_the_generated_types() {
    check_version(
        "Preview",
        conformance::preview::decode_response,
        conformance::preview::decode_request,
    );
}

#[test]
fn unstable_examples_match_the_generated_types() {
    check_version(
        "Unstable",
        conformance::unstable::decode_response,
        conformance::unstable::decode_request,
    );
}

fn check_version(version: &str, responses: Decoder, requests: Decoder) {
    let spec = spec_json(version);
    let api = intercom_codegen::lower_file(&spec_path(version)).expect("spec lowers");
    let mut outcome = Outcome {
        total: 0,
        failures: Vec::new(),
        decoded: 0,
        same_again: 0,
    };
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            let Some(name) = operation_name(&api, path, method) else {
                continue;
            };
            check_operation(&spec, name, operation, responses, requests, &mut outcome);
        }
    }
    let passing = outcome.total - outcome.failures.len();
    println!("| version | examples | passing | failing |\n|---|---|---|---|");
    println!(
        "| {version} | {} | {passing} | {} |",
        outcome.total,
        outcome.failures.len()
    );
    println!(
        "{version}: decoded, encoded and decoded again to the same value (same union variants): {}/{}",
        outcome.same_again, outcome.decoded
    );
    for failure in &outcome.failures {
        println!("  FAIL {failure}");
    }
    assert!(
        outcome.failures.is_empty(),
        "{} of {} examples of {version} fail:\n{}",
        outcome.failures.len(),
        outcome.total,
        outcome.failures.join("\n")
    );
}

fn check_operation(
    spec: &Value,
    name: &str,
    operation: &Value,
    responses: Decoder,
    requests: Decoder,
    outcome: &mut Outcome,
) {
    let mut error_example_names = Vec::new();
    for (code, response) in operation["responses"].as_object().into_iter().flatten() {
        let response = resolve(spec, response);
        for (example, value) in json_examples(spec, response.get("content")) {
            let label = format!("{name} {code} `{example}`");
            outcome.total += 1;
            if code.starts_with('2') {
                let body = value.to_string();
                let result = responses(name, &body)
                    .unwrap_or_else(|| Err(failure("", "no JSON response type")));
                count_same_again(outcome, &result);
                record(
                    outcome,
                    &label,
                    result.and_then(|encoded| equivalent(&value, &encoded)),
                );
            } else {
                error_example_names.push(normalize_example_name(&example));
                record(outcome, &label, parses_as_error(code, &value));
            }
        }
    }
    let body = operation.get("requestBody").map(|b| resolve(spec, b));
    for (example, value) in json_examples(spec, body.and_then(|b| b.get("content"))) {
        // A request example named like one of the operation's error responses shows a bad request.
        if error_example_names.contains(&normalize_example_name(&example)) {
            continue;
        }
        outcome.total += 1;
        let label = format!("{name} request `{example}`");
        let result = requests(name, &value.to_string())
            .unwrap_or_else(|| Err(failure("", "no request body type")));
        count_same_again(outcome, &result);
        record(
            outcome,
            &label,
            result.and_then(|encoded| equivalent(&value, &encoded)),
        );
    }
}

/// `roundtrip` fails an example whose encoding decodes to another value, so every decoded
/// example that it returns came back the same.
fn count_same_again(outcome: &mut Outcome, result: &Result<Value, DecodeFailure>) {
    outcome.decoded += 1;
    if result.is_ok() {
        outcome.same_again += 1;
    }
}

fn record(outcome: &mut Outcome, label: &str, result: Result<(), DecodeFailure>) {
    if let Err(error) = result {
        outcome
            .failures
            .push(format!("{label}: at `{}`: {}", error.path, error.message));
    }
}

fn failure(path: &str, message: &str) -> DecodeFailure {
    DecodeFailure {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

/// The named examples (and the single `example`) of an `application/json` content map.
fn json_examples(spec: &Value, content: Option<&Value>) -> Vec<(String, Value)> {
    let Some(media) = content.and_then(|c| c.get("application/json")) else {
        return Vec::new();
    };
    let mut examples = named_examples(spec, media.get("examples"));
    if let Some(example) = media.get("example") {
        examples.push(("example".to_owned(), example.clone()));
    }
    examples
}

fn parses_as_error(code: &str, value: &Value) -> Result<(), DecodeFailure> {
    let status = code
        .parse::<u16>()
        .ok()
        .and_then(|c| StatusCode::from_u16(c).ok())
        .unwrap_or(StatusCode::BAD_REQUEST);
    let error = ApiError::new(status, HeaderMap::new(), value.to_string());
    if error.error_type().is_some() || !error.errors().is_empty() {
        Ok(())
    } else {
        Err(failure(
            "",
            &format!("not parsed as an Intercom error: {value}"),
        ))
    }
}

/// Equivalent JSON: the same values, where an absent field and `null` are the same, and a number
/// may have become its string form (the types read numeric ids as strings).
fn equivalent(original: &Value, encoded: &Value) -> Result<(), DecodeFailure> {
    compare(original, encoded, String::new())
}

fn compare(original: &Value, encoded: &Value, path: String) -> Result<(), DecodeFailure> {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()) {
                let (x, y) = (
                    a.get(key).unwrap_or(&Value::Null),
                    b.get(key).unwrap_or(&Value::Null),
                );
                compare(x, y, format!("{path}.{key}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .try_for_each(|(i, (x, y))| compare(x, y, format!("{path}[{i}]"))),
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n))
            if n.to_string() == *s =>
        {
            Ok(())
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (a, b) if a == b => Ok(()),
        (a, b) => Err(failure(&path, &format!("round trip changed {a} into {b}"))),
    }
}
