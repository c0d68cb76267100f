//! Overlays: patches applied to a description before it is lowered.
//!
//! Where the description contradicts what the API sends and no general lowering rule would be
//! right, a patch replaces the value at a JSON pointer. Each patch says why and cites its
//! evidence; a patch whose pointer no longer exists is an error, so stale patches are noticed
//! when Intercom fixes the description.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Patch {
    /// The versions (`info.version` names, as in specs/versions.toml) this patch applies to.
    pub versions: Vec<String>,
    /// RFC 6901 pointer of the value to replace, e.g. `/components/schemas/x/properties/id`.
    pub pointer: String,
    /// The replacement.
    pub value: Value,
    /// Why the description is wrong here.
    pub why: String,
    /// What shows it: an example's location, an upstream issue.
    pub evidence: String,
}

#[derive(Debug, thiserror::Error)]
pub enum OverlayError {
    #[error("overlay is not valid: {0}")]
    Parse(#[from] serde_yaml::Error),
    #[error("overlay patch for #{pointer} does not apply: the description has no value there (fixed upstream?)")]
    Missing { pointer: String },
}

/// Reads an overlay file's text: a YAML list of patches.
pub fn parse(text: &str) -> Result<Vec<Patch>, OverlayError> {
    Ok(serde_yaml::from_str(text)?)
}

/// Replaces the value at each patch's pointer.
pub fn apply(document: &mut Value, patches: &[Patch]) -> Result<(), OverlayError> {
    for patch in patches {
        let target = document
            .pointer_mut(&patch.pointer)
            .ok_or_else(|| OverlayError::Missing {
                pointer: patch.pointer.clone(),
            })?;
        *target = patch.value.clone();
    }
    Ok(())
}
