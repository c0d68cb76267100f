//! Obtaining the pinned descriptions: copied from a local folder or downloaded, then verified.

use crate::pins::{self, Pin};
use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn obtain_all(root: &Path, from: Option<PathBuf>) -> anyhow::Result<()> {
    let pins = pins::load(root)?;
    let default_source = root.join("../shared/specs");
    let source = from.or_else(|| default_source.is_dir().then_some(default_source));
    std::fs::create_dir_all(root.join("specs/cache"))?;
    for pin in &pins.version {
        let target = pin.cached_path(root);
        if target.exists() && sha256_of(&std::fs::read(&target)?) == pin.sha256 {
            println!("{}: up to date", pin.name);
            continue;
        }
        let (bytes, origin) = match &source {
            Some(dir) => {
                let file = dir.join(&pin.name).join("api.intercom.io.yaml");
                let bytes = std::fs::read(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                (bytes, file.display().to_string())
            }
            None => (download(&pin.url)?, pin.url.clone()),
        };
        verify(pin, &bytes, &origin)?;
        write_atomically(&target, &bytes)?;
        println!("{}: {} (sha256 ok)", pin.name, origin);
    }
    Ok(())
}

/// Refuses a file whose hash is not the pinned one, naming the file and both hashes.
pub fn verify(pin: &Pin, bytes: &[u8], origin: &str) -> anyhow::Result<()> {
    let actual = sha256_of(bytes);
    if actual != pin.sha256 {
        bail!(
            "{origin} (version {}): sha256 is {actual}, but specs/versions.toml pins {}",
            pin.name,
            pin.sha256
        );
    }
    Ok(())
}

pub fn sha256_of(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn download(url: &str) -> anyhow::Result<Vec<u8>> {
    let output = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--max-time",
            "120",
            url,
        ])
        .output()
        .context("cannot run curl to download the description (or pass --from DIR)")?;
    if !output.status.success() {
        bail!(
            "downloading {url} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let temporary = path.with_extension("partial");
    std::fs::write(&temporary, bytes)
        .with_context(|| format!("cannot write {}", temporary.display()))?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
