//! `cargo xtask msrv`: proves the generated crate's `rust-version` is true.
//!
//! 1. No crate in its dependency graph (all features, the committed Cargo.lock, which is a fresh
//!    resolve) declares a newer `rust-version`; the newest one is printed, since the declared
//!    version should be exactly that unless the crate's own code needs more.
//! 2. The crate type-checks with that toolchain (installed with rustup if missing), every
//!    feature on, in its own target directory.

use anyhow::{bail, Context};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

const PACKAGE: &str = "intercom-api";

pub fn msrv(root: &Path) -> anyhow::Result<()> {
    let declared = declared_rust_version(&root.join("generated/Cargo.toml"))?;
    let newest = newest_dependency_rust_version(root)?;
    println!(
        "declared rust-version {declared}; newest among dependencies: {} ({})",
        newest.0, newest.1
    );
    if version_key(&newest.0) > version_key(&declared) {
        bail!(
            "{} needs Rust {} but {PACKAGE} declares {declared}",
            newest.1,
            newest.0
        );
    }
    let toolchain = declared.clone();
    let installed = Command::new("rustup")
        .args(["run", &toolchain, "rustc", "--version"])
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        run(Command::new("rustup").args([
            "toolchain",
            "install",
            &toolchain,
            "--profile",
            "minimal",
        ]))?;
    }
    run(Command::new("rustup")
        .args([
            "run",
            &toolchain,
            "cargo",
            "check",
            "--locked",
            "-p",
            PACKAGE,
            "--all-features",
        ])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target/msrv"))
        .env_remove("RUSTUP_TOOLCHAIN"))
}

fn run(command: &mut Command) -> anyhow::Result<()> {
    println!("$ {command:?}");
    let status = command
        .status()
        .with_context(|| format!("cannot run {command:?}"))?;
    if !status.success() {
        bail!("{command:?} failed");
    }
    Ok(())
}

fn declared_rust_version(manifest: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(manifest)
        .with_context(|| format!("cannot read {}", manifest.display()))?;
    let manifest: toml::Value = toml::from_str(&text)?;
    manifest
        .get("package")
        .and_then(|p| p.get("rust-version"))
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
        .context("generated/Cargo.toml declares no rust-version")
}

/// (rust-version, package) of the dependency with the newest `rust-version`.
fn newest_dependency_rust_version(root: &Path) -> anyhow::Result<(String, String)> {
    let output = Command::new(env!("CARGO"))
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--all-features",
        ])
        .current_dir(root)
        .output()?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: Value = serde_json::from_slice(&output.stdout)?;
    let packages: HashMap<&str, &Value> = metadata["packages"]
        .as_array()
        .context("no packages")?
        .iter()
        .filter_map(|p| Some((p["id"].as_str()?, p)))
        .collect();
    let nodes: HashMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .context("no resolve")?
        .iter()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let start = packages
        .values()
        .find(|p| p["name"] == PACKAGE)
        .and_then(|p| p["id"].as_str())
        .context("intercom-api is not in the workspace")?;
    // Normal and build dependencies only: dev-dependencies do not build for users.
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes
            .get(id)
            .and_then(|n| n["deps"].as_array())
            .into_iter()
            .flatten()
        {
            let used = dep["dep_kinds"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|k| k["kind"] != "dev");
            if let (true, Some(pkg)) = (used, dep["pkg"].as_str()) {
                stack.push(pkg);
            }
        }
    }
    seen.remove(start);
    seen.iter()
        .filter_map(|id| {
            let package = packages.get(id)?;
            let version = package["rust_version"].as_str()?;
            let name = format!(
                "{} {}",
                package["name"].as_str()?,
                package["version"].as_str()?
            );
            Some((version.to_owned(), name))
        })
        .max_by_key(|(version, _)| version_key(version))
        .context("no dependency declares a rust-version")
}

fn version_key(version: &str) -> Vec<u64> {
    let mut parts: Vec<u64> = version.split('.').map(|p| p.parse().unwrap_or(0)).collect();
    parts.resize(3, 0);
    parts
}
