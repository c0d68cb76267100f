//! Generates a typed async Rust client crate from Intercom's OpenAPI descriptions.
//!
//! The pipeline has one module per phase, each with one job:
//! [`load`] (file → `openapiv3`), [`lower`] (`openapiv3` → [`ir`]), [`emit`] (IR → formatted Rust).

pub mod docs;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod names;

use std::path::{Path, PathBuf};

/// One API version to put into the generated crate.
#[derive(Debug, Clone)]
pub struct VersionInput {
    /// Module and cargo feature name, e.g. `v2_14`.
    pub module: String,
    /// Part of the crate's default features.
    pub default: bool,
    pub spec: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Load(#[from] load::LoadError),
    #[error("{path}: {count} construct(s) cannot be generated:\n{list}", count = diagnostics.len(), list = render(diagnostics))]
    Lower { path: PathBuf, diagnostics: Vec<lower::Diagnostic> },
    #[error(transparent)]
    Emit(#[from] emit::EmitError),
}

fn render(diagnostics: &[lower::Diagnostic]) -> String {
    diagnostics.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
}

/// Loads and lowers one description.
pub fn lower_file(path: &Path) -> Result<ir::Api, GenerateError> {
    let spec = load::load_file(path)?;
    lower::lower(&spec).map_err(|diagnostics| GenerateError::Lower { path: path.to_owned(), diagnostics })
}

/// The whole pipeline: every version is loaded and lowered before anything is emitted, so an
/// error in any of them produces no output at all.
pub fn generate_crate(
    package: &str,
    version: &str,
    description: &str,
    docs: Option<String>,
    inputs: &[VersionInput],
) -> Result<Vec<emit::OutputFile>, GenerateError> {
    let modules = inputs
        .iter()
        .map(|input| {
            Ok(emit::VersionModule { module: input.module.clone(), default: input.default, api: lower_file(&input.spec)? })
        })
        .collect::<Result<Vec<_>, GenerateError>>()?;
    let spec = emit::CrateSpec {
        package: package.to_owned(),
        version: version.to_owned(),
        description: description.to_owned(),
        docs,
        modules,
    };
    Ok(emit::emit_crate(&spec)?)
}
