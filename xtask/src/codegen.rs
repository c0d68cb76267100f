//! Regenerating generated/ (or checking it is current), and generating standalone crates.

use crate::pins::{self, Pin};
use crate::release::{self, Release, Source};
use crate::specs::{self, verify, write_atomically};
use anyhow::{bail, Context};
use intercom_codegen::emit::{self, CrateSpec, OutputFile};
use intercom_codegen::VersionInput;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const PACKAGE: &str = "intercom-api";
const DESCRIPTION: &str =
    "Typed async client for the Intercom REST API, generated from its OpenAPI descriptions";
const CRATE_DOCS: &str = include_str!("crate_docs.md");

/// Directories whose every file the generator writes (relative to the workspace root).
const GENERATED_DIRS: &[&str] = &["generated/src", "generated/tests", "tests/src/conformance"];

/// The files of generated/ (and the conformance test support in tests/src/conformance/), with
/// paths relative to the workspace root, as the shipped, pinned descriptions produce them.
pub fn expected_files(root: &Path) -> anyhow::Result<Vec<OutputFile>> {
    Ok(generation(root, false)?.files)
}

/// The shipped versions' pins and their lowered modules (the first is the default version),
/// from the pinned descriptions (obtaining any that are missing) with the overlay applied.
pub fn shipped_modules(root: &Path) -> anyhow::Result<(Vec<Pin>, Vec<emit::VersionModule>)> {
    modules_of(root, |pin| pin.ship)
}

/// The pins that `chosen` picks and their lowered modules (the first is the default version).
pub fn modules_of(
    root: &Path,
    chosen: impl Fn(&Pin) -> bool,
) -> anyhow::Result<(Vec<Pin>, Vec<emit::VersionModule>)> {
    let pins = pins::load(root)?;
    let overlay = load_overlay(root)?;
    let shipped: Vec<&Pin> = pins.version.iter().filter(|p| chosen(p)).collect();
    specs::ensure_cached(root, &shipped)?;
    let mut inputs = Vec::new();
    for (index, pin) in shipped.iter().enumerate() {
        let path = pin.cached_path(root);
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
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
    let shipped = shipped.into_iter().cloned().collect();
    Ok((shipped, modules))
}

/// One generation of generated/: its files and what it records (version, changelog, report).
pub struct Generation {
    pub files: Vec<OutputFile>,
    pub release: Release,
}

/// Generates every file from the shipped, pinned descriptions (obtaining any that are missing
/// from specs/cache/), deciding the crate version and changelog from the recorded sources.
pub fn generation(root: &Path, deny_warnings: bool) -> anyhow::Result<Generation> {
    let (shipped, modules) = shipped_modules(root)?;
    report_warnings(&modules, deny_warnings)?;
    let overlay = load_overlay(root)?;
    let sources: Vec<Source> = shipped.iter().map(Source::of).collect();
    let release = release::plan(root, &sources, &modules, |source| {
        release::lower_source(root, source, &overlay)
    })?;
    let mut files = emit::conformance_files(
        &modules,
        "tests/src/conformance",
        &PACKAGE.replace('-', "_"),
    )?;
    let spec = CrateSpec {
        package: PACKAGE.to_owned(),
        version: release.version.clone(),
        description: DESCRIPTION.to_owned(),
        docs: Some(format!("{CRATE_DOCS}{}", release::docs_section(&sources))),
        modules,
    };
    for mut file in emit::emit_crate(&spec)? {
        if file.path == "Cargo.toml" {
            file.contents
                .push_str(&release::manifest_metadata(&sources));
        }
        files.push(OutputFile {
            path: format!("generated/{}", file.path),
            contents: file.contents,
        });
    }
    files.push(OutputFile {
        path: "generated/CHANGELOG.md".to_owned(),
        contents: release.changelog.clone(),
    });
    Ok(Generation { files, release })
}

/// specs/overlay.yaml: patches to the descriptions, each with its reason and evidence.
pub fn load_overlay(root: &Path) -> anyhow::Result<Vec<intercom_codegen::overlay::Patch>> {
    let path = root.join("specs/overlay.yaml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    intercom_codegen::overlay::parse(&text)
        .with_context(|| format!("{} is not a valid overlay", path.display()))
}

/// Regenerates generated/ (or, with `check`, only names stale files). Prints what the API
/// change report says about this regeneration and writes the full report to `report` if given.
pub fn codegen(
    root: &Path,
    check: bool,
    deny_warnings: bool,
    report: Option<&Path>,
) -> anyhow::Result<()> {
    let Generation { files, release } = generation(root, deny_warnings)?;
    if !check {
        write_files(root, &files, GENERATED_DIRS)?;
        print_summary(&release);
        suggest_histogram_diff(root);
        if let Some(path) = report {
            let markdown = release
                .report
                .clone()
                .unwrap_or_default()
                .to_markdown(&format!("API changes in intercom-api {}", release.version));
            std::fs::write(path, markdown)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("full report: {}", path.display());
        }
        return Ok(());
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

/// Git's default diff pairs removed types with unrelated unchanged ones; the histogram diff does
/// not. A repository cannot set it for its clones, so say how when it is not set.
fn suggest_histogram_diff(root: &Path) {
    let configured = std::process::Command::new("git")
        .args(["config", "--get", "diff.algorithm"])
        .current_dir(root)
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "histogram");
    if !configured {
        println!(
            "review with `git diff --histogram` (or once: `git config diff.algorithm histogram`)"
        );
    }
}

fn print_summary(release: &Release) {
    let Some(report) = &release.report else {
        if release.first_record {
            println!(
                "generated/ is intercom-api {}; its sources are now recorded (no previous sources to compare with)",
                release.version
            );
            return;
        }
        println!(
            "generated/ is intercom-api {} (sources unchanged: no version change)",
            release.version
        );
        return;
    };
    println!(
        "intercom-api {} -> {} ({}): {}",
        release.previous_version.as_deref().unwrap_or("?"),
        release.version,
        release::bump_words(report.bump()),
        report.counts()
    );
    for change in report.breaking() {
        println!("  breaking: {change}");
    }
}

/// Prints every place where a description is wrong and was degraded; with `deny`, those are
/// errors and nothing is written.
fn report_warnings(modules: &[emit::VersionModule], deny: bool) -> anyhow::Result<()> {
    let mut count = 0;
    for module in modules {
        for warning in &module.api.warnings {
            eprintln!(
                "warning: {} ({}): {warning}",
                module.module, module.api.version
            );
            count += 1;
        }
    }
    if deny && count > 0 {
        bail!("{count} warning(s) and `--deny-warnings`: nothing was written");
    }
    Ok(())
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
        version: release::INITIAL_VERSION.to_owned(),
        // Made from the spec's title, never from the path given here.
        description: String::new(),
        docs: None,
        modules,
    };
    let files = emit::emit_crate(&crate_spec)?;
    write_files(out, &files, &["src", "tests"])?;
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
