//! Regenerating generated/ (or checking it is current), and generating standalone crates.

use crate::pins;
use crate::specs::{verify, write_atomically};
use anyhow::{bail, Context};
use intercom_codegen::emit::OutputFile;
use intercom_codegen::{generate_crate, VersionInput};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PACKAGE: &str = "intercom-api";
const PACKAGE_VERSION: &str = "0.1.0";
const DESCRIPTION: &str = "Typed async client for the Intercom REST API, generated from its OpenAPI descriptions";
const CRATE_DOCS: &str = include_str!("crate_docs.md");

/// The files of generated/ as the shipped, pinned descriptions produce them.
pub fn expected_files(root: &Path) -> anyhow::Result<Vec<OutputFile>> {
    let pins = pins::load(root)?;
    let mut inputs = Vec::new();
    for (index, pin) in pins.version.iter().filter(|p| p.ship).enumerate() {
        let path = pin.cached_path(root);
        let bytes = std::fs::read(&path)
            .with_context(|| format!("cannot read {}: run `cargo xtask specs` first", path.display()))?;
        verify(pin, &bytes, &path.display().to_string())?;
        inputs.push(VersionInput { module: pin.module.clone(), default: index == 0, spec: path });
    }
    Ok(generate_crate(PACKAGE, PACKAGE_VERSION, DESCRIPTION, Some(CRATE_DOCS.to_owned()), &inputs)?)
}

pub fn codegen(root: &Path, check: bool) -> anyhow::Result<()> {
    let files = expected_files(root)?;
    let out = root.join("generated");
    if !check {
        return write_crate(&out, &files);
    }
    let stale = stale_files(&out, &files)?;
    if stale.is_empty() {
        println!("generated/ is up to date ({} files)", files.len());
        return Ok(());
    }
    bail!("generated/ is stale; run `cargo xtask codegen`:\n  {}", stale.join("\n  "))
}

pub fn generate(spec: &Path, out: &Path, package: &str, module: &str) -> anyhow::Result<()> {
    let inputs = [VersionInput { module: module.to_owned(), default: true, spec: spec.to_owned() }];
    let description = format!("Typed async client generated from {}", spec.display());
    let files = generate_crate(package, PACKAGE_VERSION, &description, None, &inputs)?;
    write_crate(out, &files)?;
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}

/// Writes every file (each atomically) and removes generated files that are no longer produced.
fn write_crate(out: &Path, files: &[OutputFile]) -> anyhow::Result<()> {
    for file in files {
        let path = out.join(&file.path);
        if std::fs::read(&path).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_atomically(&path, file.contents.as_bytes())?;
    }
    for stale in leftover_files(out, files)? {
        std::fs::remove_file(&stale).with_context(|| format!("cannot remove {}", stale.display()))?;
    }
    Ok(())
}

/// Each file under `out` that differs from what the generator produces, or that it no longer produces.
pub fn stale_files(out: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<String>> {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|file| std::fs::read(out.join(&file.path)).map_or(true, |bytes| bytes != file.contents.as_bytes()))
        .map(|file| format!("generated/{} (differs from the generator's output)", file.path))
        .collect();
    stale.extend(leftover_files(out, files)?.iter().map(|p| format!("{} (no longer generated)", p.display())));
    Ok(stale)
}

/// Files under the crate's src/ that carry the generated notice but are not in `files`.
fn leftover_files(out: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<PathBuf>> {
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    let mut leftovers = Vec::new();
    let mut pending = vec![out.join("src")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if !expected.contains(&path) {
                leftovers.push(path);
            }
        }
    }
    leftovers.sort();
    Ok(leftovers)
}
