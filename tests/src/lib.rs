//! Shared helpers for the workspace-level tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from(".."), Path::to_path_buf)
}

/// A pinned description obtained by `cargo xtask specs`, e.g. `spec_path("2.14")`.
pub fn spec_path(version: &str) -> PathBuf {
    let path = root().join("specs/cache").join(format!("{version}.yaml"));
    assert!(path.exists(), "{} is missing: run `cargo xtask specs` first", path.display());
    path
}

/// The parsed description as JSON, for tests that read examples.
pub fn spec_json(version: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(spec_path(version)).expect("spec is readable");
    intercom_codegen::load::yaml_to_json(&text).expect("spec is valid YAML")
}
