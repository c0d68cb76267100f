//! Every operation of both shipped versions, called through the generated client against a
//! [Prism](https://github.com/stoplightio/prism) mock server that validates each request against
//! the description and answers with the description's own response examples.
//!
//! Per version the test
//! 1. installs Prism (`npm ci` in the workspace root, once per test process) unless
//!    `node_modules/.bin/prism` exists; the version is pinned in package.json/package-lock.json;
//! 2. writes a prepared copy of the description to `target/prism/<version>.json` (see
//!    [`prepare_spec`]: the project's overlay, as the client was generated with it, and rewrites
//!    of shapes that Prism cannot compile, which would make it skip validating those requests
//!    without saying so, or that it deserializes wrongly);
//! 3. starts `prism mock` on a free port (log in `target/prism/<version>.log`) and stops it by
//!    its process id when the test ends, also when it fails or panics;
//! 4. checks that Prism really validates search bodies (an invalid nested filter is refused);
//! 5. calls every operation with arguments taken from the description's examples (see
//!    [`build_args`]) through `intercom_tests::conformance::<version>::call`.
//!
//! An operation passes when the call succeeds (the response decoded into the generated type)
//! with a 2xx or 3xx status and without request violations in `sl-violations` (Prism also lists
//! where the response example it answers with breaks its own schema; those are flaws of the
//! description's examples, which the client decodes anyway, and do not fail an operation). A
//! request Prism refuses comes back as a 4xx (the description's example for it, or Prism's own
//! 422 with the violations in the body). The failing set must be exactly
//! [`KNOWN_FAILURES`]: a new failure fails the test, and so does a fixed one until it is
//! removed from the list.
//!
//! Run with `cargo test -p intercom-tests --test prism -- --nocapture` to see the tables.

use intercom_codegen::ir::{HttpMethod, Operation, ParamLocation};
use intercom_tests::{
    conformance, named_examples, normalize_example_name, resolve, root, spec_json, spec_path, Args,
    CallFailure, Called,
};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Operations that do not pass against Prism: (versions, operation, reason), the reason saying
/// who is at fault. Empty: every operation of both versions passes. The failing set must equal
/// this list exactly, so a new failure fails the test and a fixed one must be removed here.
/// (Spec contradictions found this way are patched in specs/overlay.yaml with their evidence.)
const KNOWN_FAILURES: &[(&[&str], &str, &str)] = &[];

/// How long Prism may take to load a description and answer.
const PRISM_START_TIMEOUT: Duration = Duration::from_secs(60);

/// Prism answers with `Keep-Alive: timeout=5`: connections idle for 4 s are not reused, so a
/// request never races Prism closing its end.
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);

/// Stack of the thread that runs one version (see [`run_with_large_stack`]).
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// Per-request timeout of the client.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

#[test]
fn v2_14_operations_pass_prism_validation() {
    run_with_large_stack("2.14", 150);
}

#[test]
fn preview_operations_pass_prism_validation() {
    run_with_large_stack("Preview", 256);
}

#[test]
fn unstable_operations_pass_prism_validation() {
    run_with_large_stack("Unstable", 189);
}

/// Polling the generated dispatch (one `match` arm per operation) needs far more stack than a
/// test thread's 2 MiB in debug builds, so each version runs on its own thread and runtime.
fn run_with_large_stack(version: &'static str, expected_operations: usize) {
    let runner = std::thread::Builder::new()
        .name(format!("prism-{version}"))
        .stack_size(STACK_SIZE)
        .spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("the tokio runtime builds")
                .block_on(check_version(version, expected_operations));
        })
        .expect("the test thread starts");
    if let Err(panic) = runner.join() {
        std::panic::resume_unwind(panic);
    }
}

/// A generated client of one version.
enum VersionClient {
    V2_14(intercom_api::v2_14::Client),
    Unstable(intercom_api::unstable::Client),
    Preview(intercom_api::preview::Client),
}

impl VersionClient {
    fn new(version: &str, base_url: &str) -> Self {
        let http = intercom_api::reqwest::Client::builder()
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            .redirect(intercom_api::reqwest::redirect::Policy::none())
            .build()
            .expect("the HTTP client builds");
        let client = match version {
            "2.14" => intercom_api::v2_14::Client::builder()
                .token("anything")
                .base_url(base_url)
                .http_client(http)
                .timeout(REQUEST_TIMEOUT)
                .max_retries(0)
                .build()
                .map(Self::V2_14),
            "Unstable" => intercom_api::unstable::Client::builder()
                .token("anything")
                .base_url(base_url)
                .http_client(http)
                .timeout(REQUEST_TIMEOUT)
                .max_retries(0)
                .build()
                .map(Self::Unstable),
            "Preview" => intercom_api::preview::Client::builder()
                .token("anything")
                .base_url(base_url)
                .http_client(http)
                .timeout(REQUEST_TIMEOUT)
                .max_retries(0)
                .build()
                .map(Self::Preview),
            other => panic!("no client for version {other}"),
        };
        client.expect("the client builds")
    }

    /// When the generated body type does not send the example as it is: what it sends.
    fn body_note(&self, operation: &str, body: Option<&Value>) -> Option<String> {
        let body = body?;
        let text = body.to_string();
        let encoded = match self {
            Self::V2_14(_) => conformance::v2_14::decode_request(operation, &text),
            Self::Unstable(_) => conformance::unstable::decode_request(operation, &text),
            Self::Preview(_) => conformance::preview::decode_request(operation, &text),
        }?;
        match encoded {
            Ok(sent) if sent == *body => None,
            Ok(sent) => Some(format!(
                "the body type turns the example {} into {}",
                truncate(&text, 300),
                truncate(&sent.to_string(), 300)
            )),
            Err(error) => Some(format!(
                "the body does not decode at `{}`: {}",
                error.path, error.message
            )),
        }
    }

    async fn call(&self, operation: &str, args: &Args) -> Result<Called, CallFailure> {
        match self {
            Self::V2_14(client) => conformance::v2_14::call(client, operation, args).await,
            Self::Unstable(client) => conformance::unstable::call(client, operation, args).await,
            Self::Preview(client) => conformance::preview::call(client, operation, args).await,
        }
    }
}

async fn check_version(version: &str, expected_operations: usize) {
    let started = Instant::now();
    let spec = spec_json(version);
    let api = intercom_codegen::lower_file(&spec_path(version)).expect("the description lowers");
    assert_eq!(
        api.operations.len(),
        expected_operations,
        "{version}: the number of operations changed"
    );

    let dir = root().join("target/prism");
    std::fs::create_dir_all(&dir).expect("target/prism can be created");
    let (prepared, rewrites) = prepare_spec(version, &spec);
    let prepared_path = dir.join(format!("{version}.json"));
    std::fs::write(
        &prepared_path,
        serde_json::to_vec(&prepared).expect("the prepared description serializes"),
    )
    .expect("the prepared description can be written");
    println!(
        "{version}: prepared {} with {rewrites}",
        prepared_path.display()
    );

    let mut prism = Prism::start(
        &prism_binary(),
        &prepared_path,
        &dir.join(format!("{version}.log")),
    );
    let client = VersionClient::new(version, &prism.url);
    prism.wait_until_ready().await;

    probe_search_validation(&client, version, &prism).await;

    let mut failures = BTreeMap::new();
    let mut notes = BTreeMap::new();
    for operation in &api.operations {
        let args = build_args(&spec, operation);
        if let Err(failure) = judge(client.call(&operation.name, &args).await) {
            let label = format!(
                "{} {}",
                method_name(operation.method).to_uppercase(),
                operation.path
            );
            if let Some(note) = client.body_note(&operation.name, args.body.as_ref()) {
                notes.insert(operation.name.clone(), note);
            }
            failures.insert(operation.name.clone(), format!("{label}: {failure}"));
        }
    }

    let total = api.operations.len();
    println!("| version | operations | passing | failing |\n|---|---|---|---|");
    println!(
        "| {version} | {total} | {} | {} |",
        total - failures.len(),
        failures.len()
    );
    for (name, failure) in &failures {
        println!("  FAIL {name} {failure}");
        if let Some(note) = notes.get(name) {
            println!("       {note}");
        }
        if let Some((_, _, reason)) = KNOWN_FAILURES
            .iter()
            .find(|(versions, known, _)| versions.contains(&version) && known == name)
        {
            println!("       known: {reason}");
        }
    }
    println!(
        "{version}: {total} operations in {:.1} s (Prism log: {})",
        started.elapsed().as_secs_f64(),
        prism.log.display()
    );

    let known: BTreeMap<&str, &str> = KNOWN_FAILURES
        .iter()
        .filter(|(versions, _, _)| versions.contains(&version))
        .map(|(_, name, reason)| (*name, *reason))
        .collect();
    let new: Vec<String> = failures
        .iter()
        .filter(|(name, _)| !known.contains_key(name.as_str()))
        .map(|(name, failure)| format!("  {name} {failure}"))
        .collect();
    let fixed: Vec<String> = known
        .iter()
        .filter(|(name, _)| !failures.contains_key(**name))
        .map(|(name, reason)| format!("  {name} (listed because: {reason})"))
        .collect();
    assert!(
        new.is_empty() && fixed.is_empty(),
        "{version}: the failing operations differ from KNOWN_FAILURES\n\
         new failures:\n{}\nlisted but passing (remove them from KNOWN_FAILURES):\n{}",
        new.join("\n"),
        fixed.join("\n")
    );
}

/// Passes when the call decoded a 2xx/3xx answer without a violation of the request. Prism also
/// reports where its own response example contradicts the response schema; that is a flaw of
/// the description's example, not of the request, and the client decoded the answer anyway.
fn judge(result: Result<Called, CallFailure>) -> Result<u16, String> {
    match result {
        Ok(called) => match called.violations.as_deref().map(request_violations) {
            Some(violations) if !violations.trim().is_empty() => Err(format!(
                "status {} with violations: {}",
                called.status,
                summarize_violations(&violations)
            )),
            _ if (200..400).contains(&called.status) => Ok(called.status),
            _ => Err(format!("status {}", called.status)),
        },
        Err(CallFailure::Client(error)) => Err(describe_client_error(&error)),
        Err(CallFailure::Argument(message)) => Err(format!("argument: {message}")),
        Err(CallFailure::UnknownOperation(name)) => Err(format!("unknown operation `{name}`")),
    }
}

fn describe_client_error(error: &intercom_api::Error) -> String {
    if let Some(api) = error.api_error() {
        let violations = api
            .headers()
            .get("sl-violations")
            .map(|v| summarize_violations(&String::from_utf8_lossy(v.as_bytes())));
        let detail = violations.unwrap_or_else(|| {
            let body: Value = serde_json::from_slice(api.body()).unwrap_or(Value::Null);
            match body.get("validation") {
                Some(validation) => summarize_violations(&validation.to_string()),
                None => truncate(&String::from_utf8_lossy(api.body()), 300),
            }
        });
        return format!("status {}: {detail}", api.status().as_u16());
    }
    if let Some(decode) = error.decode_error() {
        return format!(
            "status {}: response does not decode at `{}`: {}",
            decode.status().as_u16(),
            decode.path().unwrap_or("."),
            decode.message()
        );
    }
    format!("client error: {error}")
}

/// Only the violations Prism found in the request (their location starts with `request`).
fn request_violations(text: &str) -> String {
    let Ok(Value::Array(violations)) = serde_json::from_str::<Value>(text) else {
        return text.to_owned();
    };
    let kept: Vec<Value> = violations
        .into_iter()
        .filter(|v| v["location"][0].as_str() == Some("request"))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        Value::Array(kept).to_string()
    }
}

/// Prism's violations (a JSON array of `{location, code, message}`) as `location: message; ..`.
fn summarize_violations(text: &str) -> String {
    let Ok(Value::Array(violations)) = serde_json::from_str::<Value>(text) else {
        return truncate(text, 300);
    };
    violations
        .iter()
        .map(|violation| {
            let location = violation["location"]
                .as_array()
                .map(|parts| {
                    parts
                        .iter()
                        .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            let message = violation["message"].as_str().unwrap_or("?");
            format!("{location}: {message}")
        })
        .fold(Vec::<String>::new(), |mut unique, line| {
            if !unique.contains(&line) {
                unique.push(line);
            }
            unique
        })
        .join("; ")
}

fn truncate(text: &str, limit: usize) -> String {
    let mut short: String = text.chars().take(limit).collect();
    if short.len() < text.len() {
        short.push_str("...");
    }
    short
}

/// Prism must refuse a search whose nested filter has an invalid operator: proof that it
/// compiled the (prepared) search request schema instead of skipping its validation.
async fn probe_search_validation(client: &VersionClient, version: &str, prism: &Prism) {
    let args = Args {
        body: Some(json!({
            "query": {
                "operator": "AND",
                "value": [{"field": "name", "operator": "NOT-AN-OPERATOR", "value": "x"}]
            }
        })),
        ..Args::default()
    };
    match client.call("search_contacts", &args).await {
        // Prism answers a request it finds invalid with the operation's first 4xx response
        // (422, or 400 where the description declares only that) and lists the violations.
        Err(CallFailure::Client(error))
            if error.api_error().is_some_and(|e| {
                e.status().as_u16() == 422
                    || (e.status().is_client_error() && e.headers().contains_key("sl-violations"))
            }) => {}
        other => panic!(
            "{version}: Prism accepted an invalid search filter, so it does not validate search \
             bodies (see {}): {other:?}",
            prism.log.display()
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Prism

/// `node_modules/.bin/prism`, installed with `npm ci` (once per test process) when missing.
fn prism_binary() -> PathBuf {
    static INSTALLED: OnceLock<PathBuf> = OnceLock::new();
    INSTALLED
        .get_or_init(|| {
            let root = root();
            let prism = root.join("node_modules/.bin/prism");
            if !prism.exists() {
                println!("installing Prism: `npm ci` in {}", root.display());
                let status = Command::new("npm")
                    .args(["ci", "--no-audit", "--no-fund"])
                    .current_dir(&root)
                    .status()
                    .expect("npm runs (this test needs Node.js 20.6+ or 18.18+ and npm)");
                assert!(status.success(), "`npm ci` failed: {status}");
                assert!(
                    prism.exists(),
                    "`npm ci` did not install {}",
                    prism.display()
                );
            }
            prism
        })
        .clone()
}

/// A Node.js option that makes the process exit when its stdin ends.
const EXIT_ON_STDIN_END: &str = "--import=data:text/javascript,\
    process.stdin.on('end',()=>process.exit(0));process.stdin.resume();";

/// A running `prism mock`, killed (by its process id) and reaped when dropped.
struct Prism {
    child: Child,
    url: String,
    log: PathBuf,
}

impl Prism {
    fn start(binary: &Path, spec: &Path, log: &Path) -> Self {
        let port = free_port();
        let output = File::create(log).expect("the Prism log can be created");
        let errors = output.try_clone().expect("the Prism log can be shared");
        // Prism also exits when its stdin ends: if this process dies without unwinding (abort,
        // SIGKILL), the pipe closes and no server is left behind.
        let node_options = match std::env::var("NODE_OPTIONS") {
            Ok(existing) if !existing.trim().is_empty() => {
                format!("{existing} {EXIT_ON_STDIN_END}")
            }
            _ => EXIT_ON_STDIN_END.to_owned(),
        };
        let child = Command::new(binary)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(spec)
            .env("NODE_OPTIONS", node_options)
            .stdin(Stdio::piped())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .expect("Prism starts");
        Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log: log.to_owned(),
        }
    }

    /// Waits until Prism answers 404 for a path the description does not have.
    async fn wait_until_ready(&mut self) {
        let http = intercom_api::reqwest::Client::new();
        let probe = format!("{}/prism-readiness-probe", self.url);
        let deadline = Instant::now() + PRISM_START_TIMEOUT;
        loop {
            let answer = http.get(&probe).send().await;
            if answer.is_ok_and(|a| a.status() == intercom_api::reqwest::StatusCode::NOT_FOUND) {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "Prism exited ({status}) before answering:\n{}",
                    self.log_tail()
                );
            }
            assert!(
                Instant::now() < deadline,
                "Prism did not answer within {PRISM_START_TIMEOUT:?}:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// The end of Prism's log, for failure messages.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let tail = lines[lines.len().saturating_sub(20)..].join("\n");
        format!("{tail}\n(full log: {})", self.log.display())
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        // Errors mean the process has already exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a local port is free");
    listener
        .local_addr()
        .expect("the listener has an address")
        .port()
}

// ---------------------------------------------------------------------------------------------
// The prepared description

/// How many times each rewrite of [`prepare_spec`] applied.
#[derive(Debug, Default)]
struct Rewrites {
    overlay_patches: usize,
    null_in_nullable_enum: usize,
    nullable_false_without_type: usize,
    nullable_true_without_type: usize,
    recursive_ref: usize,
    exploded_object_properties: usize,
}

impl std::fmt::Display for Rewrites {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "overlay patches {}; rewrites: (1) null dropped from a nullable enum {}, (2) \
             `nullable: false` without type removed {}, (3) `nullable: true` without type made \
             anyOf-null {}, (4) recursive $ref made permissive {}, (5) branch properties copied \
             to an exploded query object {}",
            self.overlay_patches,
            self.null_in_nullable_enum,
            self.nullable_false_without_type,
            self.nullable_true_without_type,
            self.recursive_ref,
            self.exploded_object_properties
        )
    }
}

/// The description Prism serves: the pinned one with the project's overlay (specs/overlay.yaml,
/// the patches the generated client was built with; 2.14: 4, Unstable: 4), and with the shapes
/// rewritten that Prism mishandles. Prism turns each OpenAPI schema into a JSON Schema
/// (`@stoplight/http-spec`) and compiles it with Ajv; when compiling throws, it skips validating
/// that request (or response) without any message. Each rewrite keeps the schema's meaning; the
/// counts are printed:
///
/// 1. `nullable: true` with a `type` and an `enum` that already lists `null`: Prism's converter
///    adds `null` to both the type and the enum, so the enum lists `null` twice, which Ajv
///    refuses. The `null` is dropped from the enum; the converter adds it back.
///    (2.14: 7, Unstable: 7; e.g. `article_content.type`, `ai_agent.resolution_state`.)
/// 2. `nullable: false` on a schema without `type`: Ajv refuses `nullable` without `type`.
///    `false` is the default, so it is removed. (2.14: 1, Unstable: 1: `content_sources_list`.)
/// 3. `nullable: true` on a schema without `type` (and without `$ref`, whose siblings Prism,
///    like OpenAPI 3.0, ignores): same Ajv error. `S` becomes `anyOf: [S, {type: null}]`, which
///    is what `nullable` means. (2.14: 3, Unstable: 2: the search filter's `value`, which makes
///    every search body uncompilable; in 2.14 the overlay's `activity_log_metadata.before` and
///    `.after`; in Unstable `data_connector_detail`'s `example_value`.)
/// 4. A component schema that refers to itself (`multiple_filter_search_request` through its
///    `value` items): Prism bundles the recursion into an invalid `properties: {$ref: ..}`, so
///    the search bodies do not compile either. The self-reference becomes an object that keeps
///    only the schema's `enum` properties (`operator: AND|OR`), so a nested group still differs
///    from a single filter in the `oneOf`; only the nested group's own filters go unchecked.
///    (2.14: 1, Unstable: 1.)
/// 5. A form-exploded object query parameter whose properties are declared only in its
///    `oneOf`/`anyOf` branches (`GET /events`' `filter`): Prism builds the object from the query
///    keys listed in the schema's own `properties`, finds none, and refuses every request. The
///    branches' properties are copied to `properties` (when no two branches disagree on one),
///    which adds no constraint the branches do not already make. (2.14: 1, Unstable: 1.)
fn prepare_spec(version: &str, spec: &Value) -> (Value, Rewrites) {
    let mut prepared = spec.clone();
    let mut rewrites = Rewrites::default();
    let patches: Vec<_> = xtask::codegen::load_overlay(&root())
        .expect("specs/overlay.yaml loads")
        .into_iter()
        .filter(|patch| patch.versions.iter().any(|v| v == version))
        .collect();
    intercom_codegen::overlay::apply(&mut prepared, &patches).expect("the overlay applies");
    rewrites.overlay_patches = patches.len();
    rewrite_nullable(&mut prepared, &mut rewrites);
    for item in prepared["paths"]
        .as_object_mut()
        .into_iter()
        .flat_map(|paths| paths.values_mut())
    {
        for parameters in item
            .as_object_mut()
            .into_iter()
            .flat_map(|item| item.iter_mut())
            .filter_map(|(key, value)| match key.as_str() {
                "parameters" => Some(value),
                _ => value.get_mut("parameters"),
            })
            .filter_map(Value::as_array_mut)
        {
            for parameter in parameters.iter_mut() {
                rewrites.exploded_object_properties += hoist_branch_properties(parameter);
            }
        }
    }
    if let Some(Value::Object(schemas)) = prepared.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            let reference = format!("#/components/schemas/{name}");
            let replacement = permissive_copy(schema);
            rewrites.recursive_ref += replace_ref(schema, &reference, &replacement);
        }
    }
    (prepared, rewrites)
}

/// Rewrites 1 to 3 of [`prepare_spec`], everywhere except inside examples.
fn rewrite_nullable(value: &mut Value, rewrites: &mut Rewrites) {
    match value {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_nullable(item, rewrites)),
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key != "example" && key != "examples" {
                    rewrite_nullable(child, rewrites);
                }
            }
            let typed = object.get("type").is_some_and(Value::is_string);
            match object.get("nullable").and_then(Value::as_bool) {
                Some(true) if typed => {
                    if let Some(Value::Array(values)) = object.get_mut("enum") {
                        if values.contains(&Value::Null) {
                            values.retain(|v| !v.is_null());
                            rewrites.null_in_nullable_enum += 1;
                        }
                    }
                }
                Some(false) if !typed => {
                    object.remove("nullable");
                    rewrites.nullable_false_without_type += 1;
                }
                Some(true) if !typed && !object.contains_key("$ref") => {
                    object.remove("nullable");
                    let schema = Value::Object(std::mem::take(object));
                    object.insert("anyOf".to_owned(), json!([schema, {"type": "null"}]));
                    rewrites.nullable_true_without_type += 1;
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// Rewrite 5 of [`prepare_spec`] for one parameter: 1 when it applied.
fn hoist_branch_properties(parameter: &mut Value) -> usize {
    let exploded_form = parameter["in"] == "query"
        && parameter.get("style").is_none_or(|style| style == "form")
        && parameter
            .get("explode")
            .is_none_or(|explode| explode == true);
    let Some(Value::Object(schema)) = parameter.get_mut("schema") else {
        return 0;
    };
    if !exploded_form || schema.get("type").is_none_or(|t| t != "object") {
        return 0;
    }
    let mut hoisted = Map::new();
    let branches = ["oneOf", "anyOf"]
        .into_iter()
        .filter_map(|key| schema.get(key).and_then(Value::as_array))
        .flatten();
    for branch in branches {
        for (name, property) in branch["properties"].as_object().into_iter().flatten() {
            if hoisted
                .get(name)
                .is_some_and(|existing| existing != property)
            {
                return 0;
            }
            hoisted.insert(name.clone(), property.clone());
        }
    }
    let Value::Object(properties) = schema.entry("properties").or_insert_with(|| json!({})) else {
        return 0;
    };
    let before = properties.len();
    for (name, property) in hoisted {
        properties.entry(name).or_insert(property);
    }
    usize::from(properties.len() > before)
}

/// An object schema with only the `enum` properties of `schema`.
fn permissive_copy(schema: &Value) -> Value {
    let properties: Map<String, Value> = schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, property)| property.get("enum").is_some())
        .map(|(name, property)| (name.clone(), property.clone()))
        .collect();
    json!({"type": "object", "properties": properties})
}

/// Replaces every `{"$ref": reference}` inside `value` with `replacement`; returns how many.
fn replace_ref(value: &mut Value, reference: &str, replacement: &Value) -> usize {
    match value {
        Value::Object(object) if object.get("$ref").and_then(Value::as_str) == Some(reference) => {
            *value = replacement.clone();
            1
        }
        Value::Object(object) => object
            .iter_mut()
            .filter(|(key, _)| *key != "example" && *key != "examples")
            .map(|(_, child)| replace_ref(child, reference, replacement))
            .sum(),
        Value::Array(items) => items
            .iter_mut()
            .map(|item| replace_ref(item, reference, replacement))
            .sum(),
        _ => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments from the description

fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "get",
        HttpMethod::Post => "post",
        HttpMethod::Put => "put",
        HttpMethod::Delete => "delete",
        HttpMethod::Patch => "patch",
        HttpMethod::Head => "head",
        HttpMethod::Options => "options",
        HttpMethod::Trace => "trace",
    }
}

/// Every parameter (path, query, header) with a value from the description, and a body.
fn build_args(spec: &Value, operation: &Operation) -> Args {
    let item = &spec["paths"][&operation.path];
    let declared = &item[method_name(operation.method)];
    let parameters: Vec<&Value> = [&item["parameters"], &declared["parameters"]]
        .into_iter()
        .filter_map(Value::as_array)
        .flatten()
        .map(|p| resolve(spec, p))
        .collect();
    let mut args = Args::default();
    for param in &operation.params {
        let (location, values) = match param.location {
            ParamLocation::Path => ("path", &mut args.path),
            ParamLocation::Query => ("query", &mut args.query),
            ParamLocation::Header | ParamLocation::Cookie => ("header", &mut args.header),
        };
        // The operation's own declaration wins over the path item's. A parameter may be lowered
        // to another location than declared (a `{name}` of the path template declared `in:
        // query`), so the name alone decides when nothing matches both.
        let named = |p: &&&Value| p["name"].as_str() == Some(&param.wire_name);
        let found = parameters
            .iter()
            .rev()
            .filter(named)
            .find(|p| p["in"].as_str() == Some(location))
            .or_else(|| parameters.iter().rev().find(named));
        if let Some(parameter) = found {
            values.insert(param.wire_name.clone(), parameter_value(spec, parameter));
        }
    }
    args.body = body_value(spec, declared);
    args
}

/// `example`, else the first of `examples`, else a value from the schema.
fn parameter_value(spec: &Value, parameter: &Value) -> Value {
    if let Some(example) = parameter.get("example") {
        return example.clone();
    }
    if let Some((_, example)) = named_examples(spec, parameter.get("examples"))
        .into_iter()
        .next()
    {
        return example;
    }
    schema_value(spec, parameter.get("schema").unwrap_or(&Value::Null), 0)
}

/// The first request example that is not an error case, else the media type's `example`, else a
/// value from the schema.
fn body_value(spec: &Value, operation: &Value) -> Option<Value> {
    let body = resolve(spec, operation.get("requestBody")?);
    let content = body.get("content")?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.values().next())?;
    let errors = error_example_names(spec, operation);
    named_examples(spec, media.get("examples"))
        .into_iter()
        .find(|(name, _)| !errors.contains(&normalize_example_name(name)))
        .map(|(_, value)| value)
        .or_else(|| media.get("example").cloned())
        .or_else(|| media.get("schema").map(|s| schema_value(spec, s, 0)))
}

/// The names of the examples of the operation's error responses: a request example with such a
/// name shows a bad request.
fn error_example_names(spec: &Value, operation: &Value) -> Vec<String> {
    let mut names = Vec::new();
    for (code, response) in operation["responses"].as_object().into_iter().flatten() {
        if code.starts_with('2') || code.starts_with('3') {
            continue;
        }
        let response = resolve(spec, response);
        for media in response["content"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(_, m)| m)
        {
            for (name, _) in named_examples(spec, media.get("examples")) {
                names.push(normalize_example_name(&name));
            }
        }
    }
    names
}

/// A value for a schema: its `example`, else its first non-null `enum` value, else its
/// `default`, else one built from its type (objects with their required properties only).
fn schema_value(spec: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(spec, schema);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    let first_enum = schema["enum"]
        .as_array()
        .and_then(|values| values.iter().find(|v| !v.is_null()));
    if let Some(value) = first_enum.or_else(|| schema.get("default")) {
        return value.clone();
    }
    if depth > 10 {
        return json!({});
    }
    let first_branch = ["oneOf", "anyOf"]
        .into_iter()
        .find_map(|key| schema[key].as_array().and_then(|branches| branches.first()));
    let is_object = schema["type"] == "object" || schema.get("properties").is_some();
    if let Some(branch) = first_branch {
        if !is_object {
            return schema_value(spec, branch, depth + 1);
        }
    }
    if let Some(parts) = schema["allOf"].as_array() {
        let mut merged = Map::new();
        for part in parts {
            match schema_value(spec, part, depth + 1) {
                Value::Object(fields) => merged.extend(fields),
                other => return other,
            }
        }
        return Value::Object(merged);
    }
    match schema["type"].as_str() {
        Some("string") => json!(match schema["format"].as_str() {
            Some("date-time") => "2024-01-01T00:00:00Z",
            Some("date") => "2024-01-01",
            Some("email") => "user@example.com",
            Some("uri" | "url") => "https://example.com",
            Some("uuid") => "123e4567-e89b-12d3-a456-426614174000",
            _ => "abc",
        }),
        Some("integer" | "number") => json!(1),
        Some("boolean") => json!(true),
        Some("array") => json!([schema_value(spec, &schema["items"], depth + 1)]),
        _ if is_object => required_properties(spec, schema, first_branch, depth),
        _ => json!("abc"),
    }
}

/// The required properties of an object schema and of its first `oneOf`/`anyOf` branch (the
/// "one of these identifiers is required" shape).
fn required_properties(
    spec: &Value,
    schema: &Value,
    branch: Option<&Value>,
    depth: usize,
) -> Value {
    let branch = branch.map_or(&Value::Null, |b| resolve(spec, b));
    let object: Map<String, Value> = [schema, branch]
        .into_iter()
        .filter_map(|s| s["required"].as_array())
        .flatten()
        .filter_map(Value::as_str)
        .map(|name| {
            let property = match &schema["properties"][name] {
                Value::Null => &branch["properties"][name],
                declared => declared,
            };
            (name.to_owned(), schema_value(spec, property, depth + 1))
        })
        .collect();
    Value::Object(object)
}
