//! `cargo xtask bench --progenitor`: progenitor 0.15.1 on the same 2.14 description, side by
//! side with ours. The CLI is installed into target/bench/progenitor-cli/; the description is
//! edited where progenitor refuses it or generates code that does not compile
//! (`edits`); its crate is generated into target/bench/progenitor/crate/.

use crate::bench::{alternate, median, median_ratio, Variant};
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// progenitor's release measured against: the CLI is installed into target/bench/.
pub const PROGENITOR_VERSION: &str = "0.15.1";

/// progenitor's crate, generated from the edited 2.14 description.
pub struct Generated {
    pub manifest: PathBuf,
    pub edits: Vec<String>,
    /// Operations of the description that progenitor's crate does not have.
    pub dropped_operations: usize,
    pub generation: Duration,
}

/// `--progenitor`: progenitor's crate for the same 2.14 description (after the edits it needs)
/// against ours, check and build alternating, and strict decode side by side.
pub fn bench(
    root: &Path,
    runs: usize,
    ours: &Variant,
    contacts: &Path,
) -> anyhow::Result<Vec<String>> {
    let generated = generate_crate(root)?;
    let theirs = Variant {
        name: "progenitor",
        manifest: generated.manifest.clone(),
        args: Vec::new(),
    };
    let target = root.join("target/bench/target");
    let mut rows = vec![format!(
        "| progenitor {PROGENITOR_VERSION}: generation of 2.14 (CLI, one run) | {:.2} s ({} edits to the description, {} operations dropped) |",
        generated.generation.as_secs_f64(),
        generated.edits.len(),
        generated.dropped_operations
    )];
    for step in ["check", "build"] {
        let [a, b] = alternate(step, ours, &theirs, &target, runs)?;
        rows.push(format!(
            "| crate-only `cargo {step}`: ours (all resources) / progenitor | {} / {} = {:.2} |",
            a.summary(),
            b.summary(),
            median_ratio(&a.times, &b.times)
        ));
    }
    rows.extend(decode(root, &generated, contacts, (runs * 5).max(11))?);
    Ok(rows)
}

/// The decode harness: decodes the contact list into ours, progenitor's and
/// `serde_json::Value`, alternating, `rounds` times (each timed decode after an untimed one of
/// its own kind: one that follows `Value`'s decode measured up to 1.5× slower); prints one
/// line per decoder, its name and its times in seconds. Each client decodes as it does a
/// response: ours with
/// `runtime::decode_json` (the body's UTF-8 checked once, then read as text), progenitor's
/// with `serde_json::from_slice` (as `progenitor-client` does). `progenitor-text` reads
/// progenitor's types the way ours are read, to show what the reading alone buys.
const DECODE_MAIN: &str = r#"//! Written by `cargo xtask bench --progenitor`; not part of the workspace.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("the contact list's file");
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(11);
    let body = std::fs::read(&path).expect("the contact list's file is readable");
    let decoders: [(&str, fn(&[u8]) -> usize); 4] = [
        ("ours", |body| {
            let list: intercom_api::v2_14::types::ContactList =
                intercom_api::runtime::decode_json(body).expect("ours decodes");
            list.data.map_or(0, |data| data.len())
        }),
        ("progenitor", |body| {
            let list: intercom_progenitor::types::ContactList =
                serde_json::from_slice(body).expect("progenitor's decodes");
            list.data.len()
        }),
        ("progenitor-text", |body| {
            let text = std::str::from_utf8(body).expect("the list is UTF-8");
            let list: intercom_progenitor::types::ContactList =
                serde_json::from_str(text).expect("progenitor's decodes");
            list.data.len()
        }),
        ("value", |body| {
            let list: serde_json::Value = serde_json::from_slice(body).expect("JSON decodes");
            list["data"].as_array().map_or(0, Vec::len)
        }),
    ];
    let mut times = vec![Vec::new(); decoders.len()];
    let mut expected = None;
    for _ in 0..rounds {
        for ((_, decode), times) in decoders.iter().zip(&mut times) {
            // Untimed first: the timed decode finds the allocator as its own kind left it.
            std::hint::black_box(decode(&body));
            let start = Instant::now();
            let count = std::hint::black_box(decode(&body));
            times.push(start.elapsed().as_secs_f64());
            assert_eq!(*expected.get_or_insert(count), count, "every decoder reads every contact");
        }
    }
    for ((name, _), times) in decoders.iter().zip(&times) {
        let times: Vec<String> = times.iter().map(f64::to_string).collect();
        println!("{name} {}", times.join(" "));
    }
}
"#;

/// Decode of the contact list (the file the `decode_compare` bench wrote) into ours,
/// progenitor's strict `ContactList` and `serde_json::Value`, in one release process
/// (target/bench/progenitor/decode/, a path dependency on both crates), alternating.
fn decode(
    root: &Path,
    generated: &Generated,
    contacts: &Path,
    rounds: usize,
) -> anyhow::Result<Vec<String>> {
    let dir = root.join("target/bench/progenitor/decode");
    std::fs::create_dir_all(dir.join("src"))?;
    let path = |path: PathBuf| toml::Value::String(path.display().to_string()).to_string();
    let theirs = generated
        .manifest
        .parent()
        .context("manifest without a directory")?;
    let manifest = format!(
        r#"[package]
name = "decode-progenitor"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
# Only what `ContactList` needs, and no TLS: the decode is the same with every feature.
intercom-api = {{ path = {ours}, default-features = false, features = ["v2_14", "contacts"] }}
intercom-progenitor = {{ path = {theirs} }}
serde_json = "1"

[workspace]
"#,
        ours = path(root.join("generated")),
        theirs = path(theirs.to_path_buf()),
    );
    std::fs::write(dir.join("Cargo.toml"), manifest)?;
    std::fs::write(dir.join("src/main.rs"), DECODE_MAIN)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    println!("decode: ours, progenitor's and Value ({rounds} rounds, release)");
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--release", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .arg("--")
        .arg(contacts)
        .arg(rounds.to_string())
        .env("CARGO_TARGET_DIR", root.join("target/bench/target"))
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "the progenitor decode harness failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let times = parse_times(&String::from_utf8_lossy(&output.stdout))?;
    let get = |name: &str| {
        times
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_slice())
            .with_context(|| format!("the harness printed no `{name}` times"))
    };
    let (ours, theirs, value) = (get("ours")?, get("progenitor")?, get("value")?);
    let theirs_as_text = get("progenitor-text")?;
    let ms = |times: &[Duration]| format!("{:.1} ms", median(times).as_secs_f64() * 1e3);
    Ok(vec![
        format!(
            "| decode of the contact list, release ({rounds} rounds): ours `v2_14::types::ContactList` / progenitor's strict `ContactList` | {} / {} = {:.2} |",
            ms(ours),
            ms(theirs),
            median_ratio(ours, theirs)
        ),
        format!(
            "| same process: ours / progenitor's read as ours are (UTF-8 checked once, then as text) | {} / {} = {:.2} |",
            ms(ours),
            ms(theirs_as_text),
            median_ratio(ours, theirs_as_text)
        ),
        format!(
            "| same process: ours / `serde_json::Value` | {} / {} = {:.2} |",
            ms(ours),
            ms(value),
            median_ratio(ours, value)
        ),
    ])
}

/// The harness's lines: a name, then times in seconds.
fn parse_times(stdout: &str) -> anyhow::Result<Vec<(String, Vec<Duration>)>> {
    stdout
        .lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(name, times)| {
            let times = times
                .split_whitespace()
                .map(|t| t.parse::<f64>().map(Duration::from_secs_f64))
                .collect::<Result<Vec<_>, _>>()
                .with_context(|| format!("bad times for `{name}`"))?;
            Ok((name.to_owned(), times))
        })
        .collect()
}

/// `xtask progenitor-crate [--decode FILE]`: generates progenitor's crate (to iterate on
/// `edits`) and, given a contact list, prints the decode rows.
pub fn crate_and_decode(root: &Path, contacts: Option<&Path>, rounds: usize) -> anyhow::Result<()> {
    let generated = generate_crate(root)?;
    if let Some(contacts) = contacts {
        for row in decode(root, &generated, contacts, rounds)? {
            println!("{row}");
        }
    }
    Ok(())
}

/// Installs the CLI into target/bench/progenitor-cli/ unless it is there; returns its path.
fn install_cli(root: &Path) -> anyhow::Result<PathBuf> {
    let cli_root = root.join("target/bench/progenitor-cli");
    let cli = cli_root.join("bin/cargo-progenitor");
    if cli.exists() {
        return Ok(cli);
    }
    println!(
        "installing cargo-progenitor {PROGENITOR_VERSION} into {}",
        cli_root.display()
    );
    let status = Command::new(env!("CARGO"))
        .args([
            "install",
            "cargo-progenitor",
            "--version",
            PROGENITOR_VERSION,
            "--locked",
            "--root",
        ])
        .arg(&cli_root)
        .status()
        .context("cannot run cargo install")?;
    if !status.success() {
        bail!("cannot install cargo-progenitor {PROGENITOR_VERSION}");
    }
    Ok(cli)
}

/// Edits the 2.14 description, prints the edits, and generates progenitor's crate from it
/// (its own workspace) into target/bench/progenitor/crate/.
pub fn generate_crate(root: &Path) -> anyhow::Result<Generated> {
    let cli = install_cli(root)?;
    let base = root.join("target/bench/progenitor");
    std::fs::create_dir_all(&base)?;
    let text = std::fs::read_to_string(root.join("specs/cache/2.14.yaml"))?;
    let mut spec = intercom_codegen::load::yaml_to_json(&text)?;
    let operations = operation_count(&spec);
    let edits = edits(&mut spec);
    let dropped_operations = operations - operation_count(&spec);
    println!("edits to the description for progenitor ({dropped_operations} operations dropped):");
    for edit in &edits {
        println!("  - {edit}");
    }
    let spec_path = base.join("2.14.json");
    std::fs::write(&spec_path, serde_json::to_vec_pretty(&spec)?)?;
    let out = base.join("crate");
    let _ = std::fs::remove_dir_all(&out);
    let started = Instant::now();
    let output = Command::new(&cli)
        .args(["progenitor", "-i"])
        .arg(&spec_path)
        .arg("-o")
        .arg(&out)
        .args(["-n", "intercom-progenitor", "-v", "0.1.0"])
        .output()
        .context("cannot run cargo-progenitor")?;
    let generation = started.elapsed();
    if !output.status.success() {
        bail!(
            "progenitor refuses the edited description: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The project's lock file, so that the dependencies both crates share have one version.
    std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
        .context("cannot copy Cargo.lock")?;
    let manifest = out.join("Cargo.toml");
    let mut manifest_text = std::fs::read_to_string(&manifest)?;
    if !manifest_text.contains("[workspace]") {
        manifest_text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, manifest_text)?;
    }
    Ok(Generated {
        manifest,
        edits,
        dropped_operations,
        generation,
    })
}

/// The operations of a description: methods under `paths`.
fn operation_count(spec: &serde_json::Value) -> usize {
    spec.get("paths")
        .and_then(serde_json::Value::as_object)
        .map_or(0, |paths| {
            paths
                .values()
                .filter_map(serde_json::Value::as_object)
                .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                .sum()
        })
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites the description where progenitor 0.15.1 refuses it (each found by the panic it
/// gives) or generates code that does not compile; returns what was changed. None of it
/// touches the contact list's shape.
///
/// - operations without `operationId` get one made of the method and path;
/// - string enums with a value that has no letter or digit (`=`, `!=`, `<`...) become plain
///   strings (typify cannot name the variants);
/// - media types without a schema get `{}` (progenitor: "media type encoding, no schema");
/// - only the first success response is kept, and error responses lose their content
///   (progenitor takes one success type and one error type per operation);
/// - a path template parameter the operation does not declare is declared as a string;
/// - the rules below for code that does not compile: [`non_nullable_components`],
///   [`remove_titles`], [`distinct_property_type_names`].
fn edits(spec: &mut serde_json::Value) -> Vec<String> {
    use serde_json::{json, Value};
    let mut edits = Vec::new();
    plain_symbol_enums(spec, "", &mut edits);
    non_nullable_components(spec, &mut edits);
    let mut titles = 0;
    for section in ["components", "paths"] {
        if let Some(value) = spec.get_mut(section) {
            titles += remove_titles(value, "");
        }
    }
    edits.push(format!("`title` removed from {titles} schemas"));
    distinct_property_type_names(spec, &mut edits);
    let Some(paths) = spec.get_mut("paths").and_then(Value::as_object_mut) else {
        return edits;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for method in METHODS {
            let Some(operation) = item.get_mut(method).and_then(Value::as_object_mut) else {
                continue;
            };
            let at = format!("`{} {path}`", method.to_uppercase());
            if !operation.contains_key("operationId") {
                let id = format!("{method}{}", path.replace(['/', '{', '}', '-'], "_"));
                edits.push(format!("{at}: operationId `{id}` added"));
                operation.insert("operationId".to_owned(), id.into());
            }
            if let Some(content) = operation
                .get_mut("requestBody")
                .and_then(|body| body.get_mut("content"))
                .and_then(Value::as_object_mut)
            {
                for (media, object) in content.iter_mut() {
                    if let Some(object) = object.as_object_mut() {
                        if !object.contains_key("schema") {
                            object.insert("schema".to_owned(), json!({}));
                            edits.push(format!("{at}: body `{media}` without schema: `{{}}`"));
                        }
                    }
                }
            }
            if let Some(responses) = operation
                .get_mut("responses")
                .and_then(Value::as_object_mut)
            {
                let mut success_seen = false;
                let codes: Vec<String> = responses.keys().cloned().collect();
                for code in codes {
                    if code.starts_with('2') {
                        if success_seen {
                            responses.remove(&code);
                            edits.push(format!("{at}: second success response {code} removed"));
                        }
                        success_seen = true;
                    } else if let Some(response) =
                        responses.get_mut(&code).and_then(Value::as_object_mut)
                    {
                        response.remove("content");
                    }
                }
                for (code, response) in responses.iter_mut() {
                    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut)
                    else {
                        continue;
                    };
                    for (media, object) in content.iter_mut() {
                        if let Some(object) = object.as_object_mut() {
                            if !object.contains_key("schema") {
                                object.insert("schema".to_owned(), json!({}));
                                edits.push(format!(
                                    "{at}: response {code} `{media}` without schema: `{{}}`"
                                ));
                            }
                        }
                    }
                }
            }
            let declared: Vec<String> = shared
                .iter()
                .chain(
                    operation
                        .get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                )
                .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
                .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_owned))
                .collect();
            let missing: Vec<String> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                .filter(|name| !declared.contains(name))
                .collect();
            for name in missing {
                let parameters = operation.entry("parameters").or_insert_with(|| json!([]));
                if let Some(parameters) = parameters.as_array_mut() {
                    parameters.push(json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}));
                    edits.push(format!("{at}: path parameter `{name}` declared"));
                }
            }
        }
    }
    edits
}

/// Removes `enum` from string enums with a value that has no letter or digit.
fn plain_symbol_enums(value: &mut serde_json::Value, pointer: &str, edits: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Value::Object(object) => {
            let symbolic = object
                .get("enum")
                .and_then(Value::as_array)
                .is_some_and(|values| {
                    values.iter().any(|v| {
                        v.as_str()
                            .is_some_and(|s| !s.chars().any(|c| c.is_ascii_alphanumeric()))
                    })
                });
            if symbolic {
                object.remove("enum");
                edits.push(format!("`{pointer}`: enum of symbols made a plain string"));
            }
            for (key, child) in object.iter_mut() {
                plain_symbol_enums(child, &format!("{pointer}/{key}"), edits);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                plain_symbol_enums(child, &format!("{pointer}/{index}"), edits);
            }
        }
        _ => {}
    }
}

/// Removes `nullable: true` from component schemas. For a nullable component `X`, typify emits
/// both `struct X(Option<X>)` and the object `struct X {..}`: the name is defined twice
/// (E0428) and the newtype is infinitely recursive (E0072). Properties that refer to `X` and
/// are not required stay `Option<X>`, so `null` is still read there.
fn non_nullable_components(spec: &mut serde_json::Value, edits: &mut Vec<String>) {
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(serde_json::Value::as_object_mut)
    else {
        return;
    };
    let mut names = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        let Some(schema) = schema.as_object_mut() else {
            continue;
        };
        if schema.get("nullable") == Some(&serde_json::Value::Bool(true)) {
            schema.remove("nullable");
            names.push(format!("`{name}`"));
        }
    }
    if !names.is_empty() {
        edits.push(format!(
            "`nullable` removed from {} components: {}",
            names.len(),
            names.join(", ")
        ));
    }
}

/// Removes every schema's `title`; returns how many. typify names an inline schema after its
/// title, so inline schemas that share one (three `Quick Reply Option`s) become types of the
/// same name (E0428). Components are named after their key either way; titles are
/// documentation.
fn remove_titles(value: &mut serde_json::Value, parent_key: &str) -> usize {
    use serde_json::Value;
    let mut removed = 0;
    match value {
        Value::Object(object) => {
            // Under `properties` (or `examples`), `title` is a name, not a keyword.
            let keyword = !matches!(parent_key, "properties" | "examples" | "example");
            if keyword && object.get("title").is_some_and(Value::is_string) {
                object.remove("title");
                removed += 1;
            }
            for (key, child) in object.iter_mut() {
                if !matches!(key.as_str(), "example" | "examples") {
                    removed += remove_titles(child, key);
                }
            }
        }
        Value::Array(items) => {
            for child in items {
                removed += remove_titles(child, parent_key);
            }
        }
        _ => {}
    }
    removed
}

/// typify names the inline type of property `p` of component `c` `{C}{P}`; where that is
/// also a component's name (`ticket.type` and `ticket_type`: `TicketType`), both are emitted
/// under one name (E0428). Such an inline property schema gets the title `{c}_{p}_value`,
/// which typify names it after instead.
fn distinct_property_type_names(spec: &mut serde_json::Value, edits: &mut Vec<String>) {
    use heck::ToUpperCamelCase;
    use serde_json::Value;
    let Some(schemas) = spec
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let components: std::collections::BTreeSet<String> = schemas
        .keys()
        .map(|name| name.to_upper_camel_case())
        .collect();
    for (name, schema) in schemas.iter_mut() {
        let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (property, child) in properties.iter_mut() {
            let Some(child) = child.as_object_mut() else {
                continue;
            };
            let inline_type = format!("{name}_{property}").to_upper_camel_case();
            if child.contains_key("$ref") || !components.contains(&inline_type) {
                continue;
            }
            child.insert(
                "title".to_owned(),
                format!("{name}_{property}_value").into(),
            );
            edits.push(format!(
                "`{name}.{property}`: titled `{name}_{property}_value` (its type would be named like component `{inline_type}`)"
            ));
        }
    }
}
