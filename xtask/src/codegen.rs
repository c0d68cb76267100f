//! Regenerating generated/ (or checking it is current), and generating standalone crates.

use crate::pins;
use crate::specs::{verify, write_atomically};
use anyhow::{bail, Context};
use intercom_codegen::emit::{self, CrateSpec, OutputFile};
use intercom_codegen::VersionInput;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PACKAGE: &str = "intercom-api";
const PACKAGE_VERSION: &str = "0.1.0";
const DESCRIPTION: &str =
    "Typed async client for the Intercom REST API, generated from its OpenAPI descriptions";
const CRATE_DOCS: &str = include_str!("crate_docs.md");

/// Directories whose every file the generator writes (relative to the workspace root).
const GENERATED_DIRS: &[&str] = &["generated/src", "tests/src/conformance"];

/// The files of generated/ (and the conformance test support in tests/src/conformance/), with
/// paths relative to the workspace root, as the shipped, pinned descriptions produce them.
pub fn expected_files(root: &Path, deny_warnings: bool) -> anyhow::Result<Vec<OutputFile>> {
    let pins = pins::load(root)?;
    let overlay = load_overlay(root)?;
    let mut inputs = Vec::new();
    for (index, pin) in pins.version.iter().filter(|p| p.ship).enumerate() {
        let path = pin.cached_path(root);
        let bytes = std::fs::read(&path).with_context(|| {
            format!(
                "cannot read {}: run `cargo xtask specs` first",
                path.display()
            )
        })?;
        verify(pin, &bytes, &path.display().to_string())?;
        let patches = overlay
            .iter()
            .filter(|p| p.versions.contains(&pin.name))
            .cloned()
            .collect();
        inputs.push(VersionInput {
            module: pin.module.clone(),
            default: index == 0,
            spec: path,
            patches,
        });
    }
    let modules = intercom_codegen::lower_versions(&inputs)?;
    report_warnings(&modules, deny_warnings)?;
    let mut files = Vec::new();
    for module in &modules {
        let path = format!("tests/src/conformance/{}.rs", module.module);
        let crate_name = PACKAGE.replace('-', "_");
        files.push(emit::conformance_file(
            &path,
            &module.api,
            &crate_name,
            &module.module,
        )?);
    }
    let spec = CrateSpec {
        package: PACKAGE.to_owned(),
        version: PACKAGE_VERSION.to_owned(),
        description: DESCRIPTION.to_owned(),
        docs: Some(CRATE_DOCS.to_owned()),
        modules,
    };
    for file in emit::emit_crate(&spec)? {
        files.push(OutputFile {
            path: format!("generated/{}", file.path),
            contents: file.contents,
        });
    }
    Ok(files)
}

/// specs/overlay.yaml: patches to the descriptions, each with its reason and evidence.
pub fn load_overlay(root: &Path) -> anyhow::Result<Vec<intercom_codegen::overlay::Patch>> {
    let path = root.join("specs/overlay.yaml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    intercom_codegen::overlay::parse(&text)
        .with_context(|| format!("{} is not a valid overlay", path.display()))
}

/// Prints every place where a description is wrong and was degraded; with `deny`, those are
/// errors and nothing is written.
fn report_warnings(modules: &[emit::VersionModule], deny: bool) -> anyhow::Result<()> {
    let mut count = 0;
    for module in modules {
        for warning in &module.api.warnings {
            eprintln!("warning: {} ({}): {warning}", module.module, module.api.version);
            count += 1;
        }
    }
    if deny && count > 0 {
        bail!("{count} warning(s) and `--deny-warnings`: nothing was written");
    }
    Ok(())
}

pub fn codegen(root: &Path, check: bool, deny_warnings: bool) -> anyhow::Result<()> {
    let files = expected_files(root, deny_warnings)?;
    if !check {
        return write_files(root, &files, GENERATED_DIRS);
    }
    let stale = stale_files(root, &files)?;
    if stale.is_empty() {
        println!("generated files are up to date ({} files)", files.len());
        return Ok(());
    }
    bail!(
        "generated files are stale; run `cargo xtask codegen`:\n  {}",
        stale.join("\n  ")
    )
}

pub fn generate(
    spec: &Path,
    out: &Path,
    package: &str,
    module: &str,
    deny_warnings: bool,
) -> anyhow::Result<()> {
    let inputs = [VersionInput {
        module: module.to_owned(),
        default: true,
        spec: spec.to_owned(),
        patches: Vec::new(),
    }];
    let modules = intercom_codegen::lower_versions(&inputs)?;
    report_warnings(&modules, deny_warnings)?;
    let crate_spec = CrateSpec {
        package: package.to_owned(),
        version: PACKAGE_VERSION.to_owned(),
        // Made from the spec's title, never from the path given here.
        description: String::new(),
        docs: None,
        modules,
    };
    let files = emit::emit_crate(&crate_spec)?;
    write_files(out, &files, &["src"])?;
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}

/// Writes every file (each atomically, paths relative to `base`) and removes files under
/// `owned` directories that are no longer produced.
fn write_files(base: &Path, files: &[OutputFile], owned: &[&str]) -> anyhow::Result<()> {
    for file in files {
        let path = base.join(&file.path);
        if std::fs::read(&path).is_ok_and(|existing| existing == file.contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        write_atomically(&path, file.contents.as_bytes())?;
    }
    for stale in leftover_files(base, files, owned)? {
        std::fs::remove_file(&stale)
            .with_context(|| format!("cannot remove {}", stale.display()))?;
    }
    Ok(())
}

/// Each file that differs from what the generator produces, or that it no longer produces.
pub fn stale_files(root: &Path, files: &[OutputFile]) -> anyhow::Result<Vec<String>> {
    let mut stale: Vec<String> = files
        .iter()
        .filter(|file| {
            std::fs::read(root.join(&file.path))
                .map_or(true, |bytes| bytes != file.contents.as_bytes())
        })
        .map(|file| format!("{} (differs from the generator's output)", file.path))
        .collect();
    let leftovers = leftover_files(root, files, GENERATED_DIRS)?;
    stale.extend(
        leftovers
            .iter()
            .map(|p| format!("{} (no longer generated)", p.display())),
    );
    Ok(stale)
}

/// Files under the `owned` directories (relative to `base`) that are not in `files`.
fn leftover_files(
    base: &Path,
    files: &[OutputFile],
    owned: &[&str],
) -> anyhow::Result<Vec<PathBuf>> {
    let expected: BTreeSet<PathBuf> = files.iter().map(|f| base.join(&f.path)).collect();
    let mut leftovers = Vec::new();
    let mut pending: Vec<PathBuf> = owned.iter().map(|dir| base.join(dir)).collect();
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
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
