//! specs/versions.toml: which descriptions exist, where they come from, and their hashes.

use anyhow::Context;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
pub struct Pins {
    pub version: Vec<Pin>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pin {
    /// The `Intercom-Version` name, e.g. `2.14`.
    pub name: String,
    /// Rust module and cargo feature, e.g. `v2_14`.
    pub module: String,
    /// Compiled into the generated crate.
    pub ship: bool,
    /// Generated into a standalone crate and compiled by `cargo xtask other-versions`.
    #[serde(default)]
    pub compile_check: bool,
    pub url: String,
    pub sha256: String,
}

impl Pin {
    /// Where `cargo xtask specs` puts the file.
    pub fn cached_path(&self, root: &Path) -> PathBuf {
        root.join("specs/cache").join(format!("{}.yaml", self.name))
    }
}

pub fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

pub fn load(root: &Path) -> anyhow::Result<Pins> {
    let path = root.join("specs/versions.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{} is not a valid pin file", path.display()))
}
