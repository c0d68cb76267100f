//! A bounded mutation fuzzer for load → lower → emit, outside CI (it is `#[ignore]`d):
//!
//! ```sh
//! FUZZ_SECONDS=600 FUZZ_SEED=1 cargo test -p intercom-tests --test fuzz -- --ignored --nocapture
//! ```
//!
//! Inputs are the fixtures and the corpus, parsed to JSON and mutated structurally (keys renamed
//! to adversarial names, values replaced, subtrees copied, `$ref`s redirected, types changed).
//! A panic, or emitted code that does not parse (`GenerateError::Emit`), is a finding: its input
//! is saved under target/fuzz/findings/. The input being tried is always in target/fuzz/current.json,
//! so an abort (a stack overflow) leaves it behind too.

use intercom_codegen::{generate_crate, GenerateError, VersionInput};
use intercom_tests::root;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Names and values that have broken generators: symbols, digits, keywords, scaffolding.
const ADVERSARIAL: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "+1",
    "-1",
    "-",
    "+",
    "1",
    "1.5",
    "x²",
    "名前",
    "😀",
    "٣",
    "ǅ",
    "\u{200b}",
    "self",
    "Self",
    "super",
    "crate",
    "type",
    "r#type",
    "fn",
    "async",
    "From",
    "Serialize",
    "Deserialize",
    "Result",
    "Option",
    "Default",
    "String",
    "Client",
    "Error",
    "Response",
    "client",
    "new",
    "send",
    "send_with_response",
    "into_stream",
    "options",
    "body",
    "clone",
    "Unknown",
    "Other",
    "additional_properties",
    "starting_after",
    "page",
    "pages",
    "next",
    "total_pages",
    "scroll_param",
    "data",
    "~1",
    "a/b",
    "{id}",
    "$ref",
    "#/components/schemas/",
    "18446744073709551616",
    "application/json",
    "multipart/form-data",
    "text/plain",
];

/// How long one input may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(10);

/// Seeds nested deeper than this are left out: openapiv3's untagged deserialisation is
/// exponential in the depth of an invalid schema (a known loader finding), so every mutation of
/// a deep seed would be a hang that stops the run.
const MAX_SEED_DEPTH: usize = 12;

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null", "file",
];

#[test]
#[ignore = "a bounded fuzz run, outside CI: FUZZ_SECONDS=600 cargo test --test fuzz -- --ignored"]
fn fuzz_generator() {
    let seconds: u64 = env_number("FUZZ_SECONDS", 60);
    let seed: u64 = env_number("FUZZ_SEED", 1);
    let mut rng = fastrand::Rng::with_seed(seed);
    let seeds = seed_documents();
    let work = root().join("target/fuzz");
    std::fs::create_dir_all(work.join("findings")).expect("target/fuzz is writable");
    let current = work.join("current.json");

    std::panic::set_hook(Box::new(|_| {}));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut runs = 0u64;
    let mut outcomes: BTreeMap<&str, u64> = BTreeMap::new();
    let mut findings: BTreeMap<String, PathBuf> = BTreeMap::new();
    while Instant::now() < deadline {
        let (_, base) = &seeds[rng.usize(..seeds.len())];
        let mut document = base.clone();
        for _ in 0..rng.usize(1..=4) {
            mutate(&mut document, &mut rng, &seeds);
        }
        let text = serde_json::to_string_pretty(&document).expect("JSON serialises");
        std::fs::write(&current, &text).expect("current input is writable");
        runs += 1;
        let finding = match run(&current) {
            Ok(outcome) => {
                *outcomes.entry(outcome).or_default() += 1;
                None
            }
            Err(finding) => Some(finding),
        };
        if let Some(finding) = finding {
            *outcomes.entry("finding").or_default() += 1;
            let hang = finding.starts_with("hang");
            findings.entry(finding).or_insert_with_key(|key| {
                let path = work
                    .join("findings")
                    .join(format!("{}.json", finding_file_name(key)));
                std::fs::write(&path, &text).expect("finding is writable");
                path
            });
            if hang {
                break;
            }
        }
    }
    let _ = std::panic::take_hook();
    println!(
        "fuzz: {runs} runs in {seconds} s (seed {seed}), {} seed documents",
        seeds.len()
    );
    for (outcome, count) in &outcomes {
        println!("  {outcome}: {count}");
    }
    for (finding, path) in &findings {
        println!("FINDING {finding}\n  input: {}", path.display());
    }
    assert!(findings.is_empty(), "{} distinct findings", findings.len());
}

/// A short stable file name for a finding.
fn finding_file_name(key: &str) -> String {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The outcome class of one input, or the finding (panic message or emit error).
fn run(spec: &Path) -> Result<&'static str, String> {
    let inputs = [VersionInput {
        module: "api".to_owned(),
        default: true,
        spec: spec.to_owned(),
        patches: Vec::new(),
    }];
    // A big stack: deep `$ref` chains are the loader's known limit, not what this run looks for.
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| {
                generate_crate("fuzz", "0.0.0", "fuzz", None, &inputs)
            }));
            let _ = sender.send(result);
        })
        .expect("thread spawns");
    // A thread cannot be stopped: a hang ends the whole run (see `fuzz_generator`).
    let Ok(result) = receiver.recv_timeout(HANG) else {
        return Err(format!("hang: no result after {} s", HANG.as_secs()));
    };
    match result {
        Ok(Ok(_)) => Ok("generated"),
        Ok(Err(GenerateError::Emit(error))) => Err(format!("emit: {error}")),
        Ok(Err(GenerateError::Lower { .. })) => Ok("lowering diagnostics"),
        Ok(Err(_)) => Ok("load error"),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "panic".to_owned());
            Err(format!("panic: {message}"))
        }
    }
}

fn seed_documents() -> Vec<(PathBuf, Value)> {
    let mut seeds = Vec::new();
    for dir in ["tests/fixtures", "tests/corpus"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .expect("seed directory exists")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("seed is readable");
            if let Ok(value @ Value::Object(_)) = intercom_codegen::load::yaml_to_json(&text) {
                if depth(&value) <= MAX_SEED_DEPTH * 2 {
                    seeds.push((path, value));
                }
            }
        }
    }
    seeds
}

/// Nesting depth of a JSON value (a schema level is two: the schema and its `properties`).
fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// Every JSON pointer of the document, for picking a node.
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                pointers(
                    child,
                    format!("{at}/{}", key.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                pointers(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn adversarial_string(rng: &mut fastrand::Rng) -> String {
    match rng.u8(..4) {
        0 => (0..rng.usize(0..6))
            .map(|_| char::from_u32(rng.u32(..0x2_0000)).unwrap_or('?'))
            .collect(),
        1 => format!("{}{}", pick(rng, ADVERSARIAL), pick(rng, ADVERSARIAL)),
        _ => (*pick(rng, ADVERSARIAL)).to_owned(),
    }
}

fn schema_names(document: &Value) -> Vec<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default()
}

fn mutate(document: &mut Value, rng: &mut fastrand::Rng, seeds: &[(PathBuf, Value)]) {
    let mut all = Vec::new();
    pointers(document, String::new(), &mut all);
    let target = pick(rng, &all).clone();
    let names = schema_names(document);
    // A subtree to copy in: from this document or another seed.
    let donor = {
        let (_, other) = pick(rng, seeds);
        let source = if rng.bool() { &*document } else { other };
        let mut donors = Vec::new();
        pointers(source, String::new(), &mut donors);
        source
            .pointer(pick::<String>(rng, &donors))
            .cloned()
            .unwrap_or(Value::Null)
    };
    let Some(node) = document.pointer_mut(&target) else {
        return;
    };
    match rng.u8(..16) {
        // Rename a key: property names, schema names, paths, status codes, media types.
        0..=4 => {
            if let Value::Object(map) = node {
                if let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() {
                    let value = map.remove(&key).unwrap_or(Value::Null);
                    map.insert(adversarial_string(rng), value);
                }
            }
        }
        5..=7 => *node = Value::String(adversarial_string(rng)),
        8 => {
            *node = match rng.u8(..5) {
                0 => Value::Null,
                1 => Value::Bool(rng.bool()),
                2 => Value::from(rng.i64(..)),
                3 => Value::Array(vec![
                    Value::String(adversarial_string(rng)),
                    Value::from(-1),
                ]),
                _ => Value::Object(Map::new()),
            }
        }
        9 => {
            if let Value::Object(map) = node {
                if let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() {
                    map.remove(&key);
                }
            }
        }
        10 => *node = donor,
        11 | 12 => {
            let name = if names.is_empty() || rng.u8(..4) == 0 {
                adversarial_string(rng)
            } else {
                pick(rng, &names).clone()
            };
            let mut reference = Map::new();
            reference.insert(
                "$ref".into(),
                Value::String(format!("#/components/schemas/{name}")),
            );
            *node = Value::Object(reference);
        }
        13 => {
            if let Value::Object(map) = node {
                map.insert("type".into(), Value::String((*pick(rng, TYPES)).to_owned()));
            }
        }
        _ => {
            if let Value::Object(map) = node {
                let values = (0..rng.usize(1..5))
                    .map(|_| match rng.u8(..3) {
                        0 => Value::from(rng.i64(-3..3)),
                        _ => Value::String(adversarial_string(rng)),
                    })
                    .collect();
                map.insert("enum".into(), Value::Array(values));
            }
        }
    }
}
