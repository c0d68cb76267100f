//! The generated crate's Cargo.toml (TOML, not Rust).

use super::{CrateSpec, GENERATED_NOTICE};

/// Dependencies of the generated crate; the runtime and the emitted code use exactly these.
const DEPENDENCIES: &str = r#"bytes = "1"
futures = "0.3"
percent-encoding = "2"
fastrand = "2"
reqwest = { version = "0.12", default-features = false, features = ["rustls-tls"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_path_to_error = "0.1"
tokio = { version = "1", features = ["time"] }
"#;

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
        spec.description.replace('"', "'"),
        defaults.join(", "),
    )
}
