//! The generated crate's Cargo.toml (TOML, not Rust).

use super::{CrateSpec, GENERATED_NOTICE};
use crate::ir::{ALL_RESOURCES_FEATURE, OTHER_SCHEMAS_FEATURE, WEBHOOKS_FEATURE};
use std::collections::BTreeSet;

/// The oldest Rust the generated crate builds with, dependencies included: the newest
/// `rust-version` among the crates a fresh resolve picks (`.ci/run` checks it with that toolchain).
pub const RUST_VERSION: &str = "1.88";

/// Features of the generated crate besides the version modules. TLS: explicit opt-ins win over
/// the default (`native-tls`, then `rustls-platform-roots`, then `rustls-webpki-roots`); with none
/// of them, bring a client (`ClientBuilder::http_client`) or use a plain `http://` base URL.
const FEATURES: &str = r#"rustls-webpki-roots = ["_rustls", "dep:webpki-roots"]
rustls-platform-roots = ["_rustls"]
native-tls = ["reqwest/native-tls"]
tracing = ["dep:tracing"]
jiff = ["dep:jiff"]
test-util = []
_rustls = ["reqwest/rustls", "dep:rustls"]
"#;

/// Dependencies of the generated crate; the runtime and the emitted code use exactly these.
const DEPENDENCIES: &str = r#"bytes = "1"
compact_str = { version = "0.10", default-features = false }
futures = "0.3"
hmac = "0.12"
jiff = { version = "0.2", default-features = false, features = ["std"], optional = true }
percent-encoding = "2"
fastrand = "2"
reqwest = { version = "0.13", default-features = false, features = ["multipart", "stream"] }
rustls = { version = "0.23", default-features = false, features = ["aws_lc_rs", "std", "tls12"], optional = true }
serde = { version = "1", features = ["derive"] }
serde-transcode = "1"
serde_json = { version = "1", features = ["raw_value"] }
serde_path_to_error = "0.1"
sha1 = "0.10"
sha2 = "0.10"
tokio = { version = "1", features = ["time", "fs"] }
tokio-util = { version = "0.7", features = ["io"] }
tracing = { version = "0.1", default-features = false, features = ["std"], optional = true }
webpki-roots = { version = "1", optional = true }
"#;

/// The package description: the given one, or one made from the description's title (never
/// from where the spec file was, so the manifest is the same wherever it is generated from).
fn description(spec: &CrateSpec) -> String {
    if !spec.description.is_empty() {
        return spec.description.clone();
    }
    match spec.modules.first() {
        Some(module) => format!(
            "Typed async client for {}, generated from its OpenAPI description",
            module.api.title
        ),
        None => "Typed async client generated from an OpenAPI description".to_owned(),
    }
}

/// The resources' features of every version (lowering names them: `Operation::resources`,
/// `TypeDef::resources`), sorted. A resource named like a version module is that module's
/// feature (the manifest cannot list a feature twice).
fn resource_features(spec: &CrateSpec) -> Vec<String> {
    let mut resources: BTreeSet<&str> = BTreeSet::new();
    for module in &spec.modules {
        resources.extend(module.api.resources());
        resources.insert(WEBHOOKS_FEATURE);
        resources.insert(OTHER_SCHEMAS_FEATURE);
    }
    resources.retain(|r| !spec.modules.iter().any(|m| m.module == *r));
    resources.into_iter().map(str::to_owned).collect()
}

pub fn cargo_toml(spec: &CrateSpec) -> String {
    let mut defaults: Vec<String> = spec
        .modules
        .iter()
        .filter(|m| m.default)
        .map(|m| format!("\"{}\"", m.module))
        .collect();
    defaults.push(format!("\"{ALL_RESOURCES_FEATURE}\""));
    defaults.push("\"rustls-webpki-roots\"".to_owned());
    let mut features: String = spec
        .modules
        .iter()
        .map(|m| format!("{} = []\n", m.module))
        .collect();
    let resources = resource_features(spec);
    let all: Vec<String> = resources.iter().map(|r| format!("\"{r}\"")).collect();
    features.push_str(&format!("{ALL_RESOURCES_FEATURE} = [{}]\n", all.join(", ")));
    for resource in &resources {
        features.push_str(&format!("{resource} = []\n"));
    }
    format!(
        "# {GENERATED_NOTICE}\n[package]\nname = \"{}\"\nversion = \"{}\"\ndescription = \"{}\"\nedition = \"2021\"\nlicense = \"MIT\"\nrust-version = \"{RUST_VERSION}\"\n\n[package.metadata.docs.rs]\nall-features = true\n\n[features]\ndefault = [{}]\n{features}{FEATURES}\n[dependencies]\n{DEPENDENCIES}",
        spec.package,
        spec.version,
        description(spec).replace('"', "'"),
        defaults.join(", "),
    )
}
