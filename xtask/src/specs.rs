//! Obtaining the pinned descriptions: copied from a local folder or downloaded, then verified.

use crate::pins::{self, Pin};
use anyhow::{bail, Context};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;

pub fn obtain_all(root: &Path, from: Option<PathBuf>) -> anyhow::Result<()> {
    let pins = pins::load(root)?;
    let source = from.or_else(|| default_source(root));
    std::fs::create_dir_all(root.join("specs/cache"))?;
    for pin in &pins.version {
        match obtain(root, pin, source.as_deref())? {
            None => println!("{}: up to date", pin.name),
            Some(origin) => println!("{}: {} (sha256 ok)", pin.name, origin),
        }
    }
    Ok(())
}

/// ../shared/specs, when it exists beside the checkout.
fn default_source(root: &Path) -> Option<PathBuf> {
    let dir = root.join("../shared/specs");
    dir.is_dir().then_some(dir)
}

/// Puts one pinned description at specs/cache/ unless it is already there with the pinned
/// sha256; returns where it came from, or `None` when it was already there.
fn obtain(root: &Path, pin: &Pin, source: Option<&Path>) -> anyhow::Result<Option<String>> {
    let target = pin.cached_path(root);
    if target.exists() && sha256_of(&std::fs::read(&target)?) == pin.sha256 {
        return Ok(None);
    }
    let (bytes, origin) = match source {
        Some(dir) => {
            let file = dir.join(&pin.name).join("api.intercom.io.yaml");
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            (bytes, file.display().to_string())
        }
        None => (download(&pin.url)?, pin.url.clone()),
    };
    verify(pin, &bytes, &origin)?;
    std::fs::create_dir_all(root.join("specs/cache"))?;
    write_atomically(&target, &bytes)?;
    Ok(Some(origin))
}

/// Makes sure each of these pinned descriptions is in specs/cache/ (from ../shared/specs or by
/// download), so that regenerating is one command.
pub fn ensure_cached(root: &Path, pins: &[&Pin]) -> anyhow::Result<()> {
    let source = default_source(root);
    for pin in pins {
        if let Some(origin) = obtain(root, pin, source.as_deref())? {
            println!("{}: obtained from {} (sha256 ok)", pin.name, origin);
        }
    }
    Ok(())
}

/// The bytes of a description known by its sha256 (possibly one no longer pinned): from
/// specs/cache/, from ../shared/specs, or downloaded from `url`; always verified.
pub fn bytes_of(root: &Path, name: &str, url: &str, sha256: &str) -> anyhow::Result<Vec<u8>> {
    let candidates = [
        Some(root.join("specs/cache").join(format!("{name}.yaml"))),
        default_source(root).map(|dir| dir.join(name).join("api.intercom.io.yaml")),
    ];
    for path in candidates.into_iter().flatten() {
        if let Ok(bytes) = std::fs::read(&path) {
            if sha256_of(&bytes) == sha256 {
                return Ok(bytes);
            }
        }
    }
    let bytes = download(url)?;
    let actual = sha256_of(&bytes);
    if actual != sha256 {
        bail!("{url}: sha256 is {actual}, expected {sha256}");
    }
    Ok(bytes)
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
