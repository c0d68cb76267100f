//! The generated crate's Cargo.toml (TOML, not Rust).

use super::{CrateSpec, GENERATED_NOTICE};

/// Dependencies of the generated crate; the runtime and the emitted code use exactly these.
const DEPENDENCIES: &str = r#"bytes = "1"
futures = "0.3"
percent-encoding = "2"
fastrand = "2"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls", "multipart", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_path_to_error = "0.1"
tokio = { version = "1", features = ["time", "fs"] }
tokio-util = { version = "0.7", features = ["io"] }
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

pub fn cargo_toml(spec: &CrateSpec) -> String {
    let defaults: Vec<String> = spec
        .modules
        .iter()
        .filter(|m| m.default)
        .map(|m| format!("\"{}\"", m.module))
        .collect();
    let features: String = spec
        .modules
        .iter()
        .map(|m| format!("{} = []\n", m.module))
        .collect();
    format!(
        "# {GENERATED_NOTICE}\n[package]\nname = \"{}\"\nversion = \"{}\"\ndescription = \"{}\"\nedition = \"2021\"\nlicense = \"MIT\"\nrust-version = \"1.85\"\n\n[features]\ndefault = [{}]\n{features}\n[dependencies]\n{DEPENDENCIES}",
        spec.package,
        spec.version,
        description(spec).replace('"', "'"),
        defaults.join(", "),
    )
}
