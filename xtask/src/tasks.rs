//! `cargo xtask test`, `cargo xtask lint` and `cargo xtask other-versions`: the project's checks,
//! as one command each, so the README, CI and developers run exactly the same thing.

use crate::codegen::generate;
use crate::pins;
use anyhow::{bail, Context};
use std::path::Path;
use std::process::Command;

/// Obtains the specs, checks generated/ is current, runs every test, then proves the other
/// published descriptions generate into crates that compile.
pub fn test(root: &Path) -> anyhow::Result<()> {
    crate::specs::obtain_all(root, None)?;
    crate::codegen::codegen(root, true, false, None)?;
    cargo(root, &["test", "--workspace", "--all-features"], &[])?;
    other_versions(root)
}

/// Formatting, clippy with warnings denied, and rustdoc with warnings denied, for the workspace
/// and for the generated crate with each version alone, each TLS choice, and the default
/// version with each resource alone.
pub fn lint(root: &Path) -> anyhow::Result<()> {
    cargo(root, &["fmt", "--all", "--check"], &[])?;
    cargo(
        root,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;
    // Each TLS choice compiles different code: none, the default, the platform's roots
    // (native-tls is in the --all-features run above). Then the default version with no
    // resource, with each resource alone and with three (`resource_feature_sets`).
    let mut feature_sets: Vec<String> = [
        "v2_14,all-resources",
        "unstable,all-resources",
        "preview,all-resources",
        "v2_14,all-resources,rustls-webpki-roots,tracing",
        "unstable,all-resources,rustls-platform-roots,test-util",
    ]
    .map(str::to_owned)
    .into();
    feature_sets.extend(resource_feature_sets(root)?);
    for features in &feature_sets {
        let args = [
            "clippy",
            "-p",
            "intercom-api",
            "--no-default-features",
            "--features",
            features.as_str(),
            "--",
            "-D",
            "warnings",
        ];
        cargo(root, &args, &[])?;
    }
    cargo(
        root,
        &["doc", "--workspace", "--no-deps", "--all-features"],
        &[("RUSTDOCFLAGS", "-D warnings")],
    )
}

/// The default version's feature sets that compile different parts of it: no resource, each
/// resource alone (with `test-util`, so the mock's examples are compiled too), and the three
/// resources of the README's slim example.
fn resource_feature_sets(root: &Path) -> anyhow::Result<Vec<String>> {
    let (_, modules) = crate::codegen::shipped_modules(root)?;
    let Some(module) = modules.iter().find(|m| m.default) else {
        return Ok(Vec::new());
    };
    let resources = module.api.resources();
    let version = &module.module;
    let mut sets = vec![version.clone()];
    sets.extend(
        resources
            .iter()
            .map(|resource| format!("{version},{resource},test-util")),
    );
    sets.push(format!("{version},{SLIM_EXAMPLE}"));
    Ok(sets)
}

/// The resources of the README's slim dependency (also measured by `cargo xtask bench`).
pub const SLIM_EXAMPLE: &str = "contacts,conversations,tickets";

/// Generates every pinned description marked `compile_check` into its own crate under
/// target/other-versions/ and type-checks it (`cargo check`), sharing one target directory.
pub fn other_versions(root: &Path) -> anyhow::Result<()> {
    let pins = pins::load(root)?;
    let base = root.join("target/other-versions");
    let mut failed = Vec::new();
    for pin in pins.version.iter().filter(|p| p.compile_check) {
        let out = base.join(&pin.module);
        generate(
            &pin.cached_path(root),
            &out,
            "intercom-api",
            &pin.module,
            false,
        )?;
        // Each crate is its own workspace; the project's lock file pins the same dependencies.
        std::fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock"))
            .context("cannot copy Cargo.lock")?;
        let manifest = out.join("Cargo.toml");
        let mut text = std::fs::read_to_string(&manifest)?;
        if !text.contains("[workspace]") {
            text.push_str("\n[workspace]\n");
            std::fs::write(&manifest, text)?;
        }
        let target = base.join("target");
        let status = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .env("CARGO_TARGET_DIR", &target)
            .env("RUSTFLAGS", "-D warnings")
            .status()
            .context("cannot run cargo")?;
        println!(
            "{}: {}",
            pin.name,
            if status.success() {
                "compiles"
            } else {
                "FAILS to compile"
            }
        );
        if !status.success() {
            failed.push(pin.name.clone());
        }
    }
    if !failed.is_empty() {
        bail!(
            "these descriptions do not generate a compiling crate: {}",
            failed.join(", ")
        );
    }
    Ok(())
}

fn cargo(root: &Path, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<()> {
    println!("$ cargo {}", args.join(" "));
    let status = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root)
        .envs(env.iter().copied())
        .status()?;
    if !status.success() {
        bail!("`cargo {}` failed", args.join(" "));
    }
    Ok(())
}
