//! `cargo xtask bench`: what the generated code costs, measured side by side on this machine.
//!
//! - generation (release build of xtask): 2.14 + Unstable lowered and emitted, and everything
//!   `cargo xtask codegen` does; median time and peak memory,
//! - generated lines per version,
//! - crate-only `cargo check` and debug `cargo build` of a standalone 2.14 crate (from
//!   `generate`, dependencies built first, `CARGO_INCREMENTAL=0`, `touch src/lib.rs`) with all
//!   resources and with three (`tasks::SLIM_EXAMPLE`, or `--resources`), and rustc's peak memory,
//! - decode time of 20,000 contacts (the `decode_compare` bench of intercom-tests),
//! - with `--progenitor`, the same against progenitor 0.15.1 ([`crate::progenitor`]).
//!
//! Measurements that are compared alternate (A B A B ...); the report gives medians and the
//! median of the per-round ratios, since a shared machine is noisy. Build outputs go to
//! target/bench/. Not run in CI: these are measurements, not tests.

use crate::codegen::{expected_files, generate, modules_of};
use anyhow::{bail, Context};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The standalone crate's version module (and feature).
const MODULE: &str = "v2_14";

/// Which measurements `bench` makes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Ours only.
    Ours,
    /// Ours, then the comparison with progenitor.
    WithProgenitor,
    /// Only the comparison with progenitor (check, build, decode).
    ProgenitorOnly,
}

/// Runs every measurement of `scope`; `runs` rounds of each compared pair. `slim` is the
/// resources (comma-separated Cargo features) of the slim build measured against all of them.
pub fn bench(root: &Path, runs: usize, scope: Scope, slim: &str) -> anyhow::Result<()> {
    let runs = runs.max(1);
    crate::specs::obtain_all(root, None)?;
    // Before anything is built, so that an unknown resource fails at once.
    let reach = slim_reach(root, slim)?;
    // The list every decode reads (the decode bench's and progenitor's harness).
    let contacts = root.join("target/bench/contacts.json");
    write_contact_list(root, &contacts)?;
    let dir = root.join("target/bench/ours");
    let spec = root.join("specs/cache/2.14.yaml");
    standalone_crate(root, &spec, &dir)?;
    let all = Variant {
        name: "all resources",
        manifest: dir.join("Cargo.toml"),
        args: Vec::new(),
    };
    let mut report = Vec::new();
    let mut decode = String::new();
    if scope != Scope::ProgenitorOnly {
        let (rows, table) = ours(root, runs, &all, &contacts, slim, reach)?;
        report.extend(rows);
        decode = table;
    }
    if scope != Scope::Ours {
        println!("== progenitor {}", crate::progenitor::PROGENITOR_VERSION);
        match crate::progenitor::bench(root, runs, &all, &contacts) {
            Ok(rows) => report.extend(rows),
            Err(error) => report.push(format!(
                "| progenitor {} | not measured: {} |",
                crate::progenitor::PROGENITOR_VERSION,
                format!("{error:#}").replace(['\n', '|'], " ")
            )),
        }
    }
    println!();
    println!("| measure | result |");
    println!("|---|---|");
    for row in &report {
        println!("{row}");
    }
    if !decode.is_empty() {
        println!();
        print!("{decode}");
    }
    Ok(())
}

/// Generation, generated lines, check and build with all resources and with the `slim` ones
/// (`reach`: what they compile), and the decode bench: the table's rows (the decode bench's own
/// table is one multi-line row).
fn ours(
    root: &Path,
    runs: usize,
    all: &Variant,
    contacts: &Path,
    slim: &str,
    reach: String,
) -> anyhow::Result<(Vec<String>, String)> {
    let mut report = Vec::new();

    println!("== generation (release xtask, {runs} runs)");
    cargo(root, &["build", "--quiet", "--release", "-p", "xtask"])?;
    let xtask = root.join("target/release/xtask");
    let output = Command::new(&xtask)
        .args(["bench-codegen", "--runs", &runs.max(3).to_string()])
        .current_dir(root)
        .output()
        .context("cannot run the release xtask")?;
    if !output.status.success() {
        bail!(
            "bench-codegen failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let line = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    report.push(format!("| generation (release) | {line} |"));

    println!("== generated lines");
    for (module, lines) in generated_lines(root)? {
        report.push(format!("| generated lines, `{module}` | {lines} |"));
    }

    println!("== crate-only check and build of a standalone {MODULE} crate");
    let target = root.join("target/bench/target");
    let slim_build = Variant {
        name: "slim",
        manifest: all.manifest.clone(),
        args: vec![
            "--no-default-features".to_owned(),
            "--features".to_owned(),
            format!("{MODULE},{slim},rustls-webpki-roots"),
        ],
    };
    for step in ["check", "build"] {
        let [a, b] = alternate(step, all, &slim_build, &target, runs)?;
        report.push(format!(
            "| crate-only `cargo {step}`, {MODULE}, all resources | {} |",
            a.summary()
        ));
        report.push(format!(
            "| crate-only `cargo {step}`, {MODULE}, resources {slim} | {} (these / all = {:.2}) |",
            b.summary(),
            median_ratio(&b.times, &a.times)
        ));
    }

    report.push(reach);

    println!("== decode (release)");
    let decode = decode_bench(
        root,
        &[
            ("DECODE_ROUNDS", &(runs * 5).max(11).to_string()),
            ("DECODE_BODY", &contacts.display().to_string()),
        ],
    )?;
    Ok((report, decode))
}

/// What the slim build's resources compile of the module against all of it (types, the fields
/// of its structs, operations), from the resources lowering gives each type and operation: the
/// share of the crate's type definitions that even a build without any fixed cost would check.
/// A resource the module does not have is an error.
fn slim_reach(root: &Path, slim: &str) -> anyhow::Result<String> {
    use intercom_codegen::ir::{TypeDef, TypeKind};
    let (_, modules) = modules_of(root, |pin| pin.module == MODULE)?;
    let api = &modules
        .first()
        .context("no pinned version has the bench's module")?
        .api;
    let known = api.resources();
    let slim: Vec<&str> = slim.split(',').map(str::trim).collect();
    if let Some(unknown) = slim.iter().find(|resource| !known.contains(*resource)) {
        let known: Vec<&str> = known.into_iter().collect();
        bail!(
            "{MODULE} has no resource `{unknown}` (its resources: {})",
            known.join(", ")
        );
    }
    let compiled = |resources: &[String]| resources.iter().any(|r| slim.contains(&r.as_str()));
    let fields = |def: &TypeDef| match &def.kind {
        TypeKind::Struct(shape) => shape.fields.len(),
        _ => 0,
    };
    let reached: Vec<&TypeDef> = api
        .types
        .iter()
        .filter(|def| compiled(&def.resources))
        .collect();
    let reached_fields: usize = reached.iter().map(|def| fields(def)).sum();
    let all_fields: usize = api.types.iter().map(fields).sum();
    let operations = api
        .operations
        .iter()
        .filter(|operation| compiled(&operation.resources))
        .count();
    Ok(format!(
        "| what resources {} compile of {MODULE} | {} of {} types, {reached_fields} of {all_fields} struct fields ({:.2}), {operations} of {} operations |",
        slim.join(","),
        reached.len(),
        api.types.len(),
        reached_fields as f64 / all_fields.max(1) as f64,
        api.operations.len()
    ))
}

/// Has the `decode_compare` bench write its list of 20,000 contacts to `path` (it builds the list
/// from the 2.14 description, and writes it when `DECODE_BODY` names a file that is not there),
/// so every decode reads the same bytes and the list is built in one place.
fn write_contact_list(root: &Path, path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        std::fs::remove_file(path)
            .with_context(|| format!("cannot remove the old {}", path.display()))?;
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    decode_bench(
        root,
        &[
            ("DECODE_BODY", &path.display().to_string()),
            ("DECODE_ONLY", "strict"),
        ],
    )?;
    if !path.exists() {
        bail!("the decode bench did not write {}", path.display());
    }
    Ok(())
}

/// Runs intercom-tests' `decode_compare` bench (release) with `env`, giving what it printed.
fn decode_bench(root: &Path, env: &[(&str, &str)]) -> anyhow::Result<String> {
    let args = [
        "bench",
        "--quiet",
        "-p",
        "intercom-tests",
        "--bench",
        "decode_compare",
    ];
    cargo_output(root, &args, env)
}

/// `xtask bench-codegen`: generates every file of generated/ in-process `runs` times (nothing
/// is written) and prints the median time and the process's peak resident memory.
pub fn bench_codegen(root: &Path, runs: usize) -> anyhow::Result<()> {
    let shipped = median_time(runs, || expected_files(root).map(std::hint::black_box))?;
    let two = median_time(runs, || two_versions(root).map(std::hint::black_box))?;
    let peak = peak_memory().map_or_else(
        || "peak memory not available on this system".to_owned(),
        |kib| format!("peak memory {}", mebibytes(kib)),
    );
    println!(
        "median {:.3} s of {runs} runs ({}: lowered and emitted); every shipped version with the change report and conformance files (`cargo xtask codegen`): median {:.3} s; {peak}",
        two.as_secs_f64(),
        TWO_VERSIONS.join(" + "),
        shipped.as_secs_f64(),
    );
    Ok(())
}

/// The versions the generation figure is about: the crate's two main versions.
const TWO_VERSIONS: [&str; 2] = ["2.14", "Unstable"];

/// The crate's files for [`TWO_VERSIONS`] alone: lowered and emitted, nothing else.
fn two_versions(root: &Path) -> anyhow::Result<Vec<intercom_codegen::emit::OutputFile>> {
    let (_, modules) = modules_of(root, |pin| TWO_VERSIONS.contains(&pin.name.as_str()))?;
    let spec = intercom_codegen::emit::CrateSpec {
        package: crate::codegen::PACKAGE.to_owned(),
        version: "0.0.0".to_owned(),
        description: String::new(),
        docs: None,
        modules,
    };
    Ok(intercom_codegen::emit::emit_crate(&spec)?)
}

/// The median time of `runs` (at least one) calls of `work`.
fn median_time<T>(
    runs: usize,
    mut work: impl FnMut() -> anyhow::Result<T>,
) -> anyhow::Result<Duration> {
    let mut times = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        work()?;
        times.push(start.elapsed());
    }
    Ok(median(&times))
}

/// The process's peak resident set size in KiB (Linux: `VmHWM` in /proc/self/status).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Lines of each version module under generated/src/ (and of the shared runtime).
fn generated_lines(root: &Path) -> anyhow::Result<Vec<(String, usize)>> {
    let src = root.join("generated/src");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&src)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    let mut counts = Vec::new();
    for dir in dirs {
        let mut lines = 0;
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .collect();
        files.sort();
        for file in files {
            lines += std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?
                .lines()
                .count();
        }
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        counts.push((name, lines));
    }
    Ok(counts)
}

/// A standalone crate generated from `spec` into `dir`, its own workspace, with the project's
/// lock file (so both sides build the same dependency versions).
fn standalone_crate(root: &Path, spec: &Path, dir: &Path) -> anyhow::Result<()> {
    generate(spec, dir, "intercom-api", MODULE, false)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
        .context("cannot copy Cargo.lock")?;
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)?;
    if !text.contains("[workspace]") {
        text.push_str("\n[workspace]\n");
        std::fs::write(&manifest, text)?;
    }
    Ok(())
}

/// One way to build a crate: its manifest and the feature arguments.
pub struct Variant {
    pub name: &'static str,
    pub manifest: PathBuf,
    pub args: Vec<String>,
}

/// The times of one variant's runs and the largest peak resident memory among them.
pub struct Timed {
    pub times: Vec<Duration>,
    /// KiB; `None` without GNU time (/usr/bin/time).
    pub peak: Option<u64>,
}

impl Timed {
    /// The median time, and the peak memory when it was measured.
    pub fn summary(&self) -> String {
        match self.peak {
            Some(kib) => format!("{} (peak {})", seconds(median(&self.times)), mebibytes(kib)),
            None => seconds(median(&self.times)),
        }
    }
}

pub fn mebibytes(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// Builds the dependencies of both variants, then times `cargo {step}` of each crate alone,
/// alternating A B A B, `runs` times each.
pub fn alternate(
    step: &str,
    a: &Variant,
    b: &Variant,
    target: &Path,
    runs: usize,
) -> anyhow::Result<[Timed; 2]> {
    for variant in [a, b] {
        println!("building the dependencies of {} ({step})", variant.name);
        cargo_step(step, variant, target)?;
    }
    let mut timed = [a, b].map(|_| Timed {
        times: Vec::new(),
        peak: None,
    });
    for run in 0..runs {
        for (variant, timed) in [a, b].into_iter().zip(&mut timed) {
            let lib = variant
                .manifest
                .parent()
                .map(|dir| dir.join("src/lib.rs"))
                .context("manifest without a directory")?;
            touch(&lib)?;
            let (elapsed, peak) = cargo_step(step, variant, target)?;
            println!(
                "  run {}: {} {}: {:.1} s",
                run + 1,
                variant.name,
                step,
                elapsed.as_secs_f64()
            );
            timed.times.push(elapsed);
            timed.peak = timed.peak.max(peak);
        }
    }
    Ok(timed)
}

/// GNU time, which reports the peak resident memory of the largest process it waited for:
/// here rustc, since only the crate itself is compiled.
const GNU_TIME: &str = "/usr/bin/time";

/// Runs `cargo {step}` of the variant; its wall time and (under GNU time) peak memory in KiB.
fn cargo_step(
    step: &str,
    variant: &Variant,
    target: &Path,
) -> anyhow::Result<(Duration, Option<u64>)> {
    let peak_file = target.join("peak-memory.txt");
    // GNU time writes the file before cargo has made the target directory.
    std::fs::create_dir_all(target)
        .with_context(|| format!("cannot create {}", target.display()))?;
    let mut command = if Path::new(GNU_TIME).exists() {
        let mut command = Command::new(GNU_TIME);
        command
            .args(["-f", "%M", "-o"])
            .arg(&peak_file)
            .arg(env!("CARGO"));
        command
    } else {
        Command::new(env!("CARGO"))
    };
    let _ = std::fs::remove_file(&peak_file);
    let start = Instant::now();
    let status = command
        .args([step, "--quiet", "--manifest-path"])
        .arg(&variant.manifest)
        .args(&variant.args)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
        .status()
        .context("cannot run cargo")?;
    let elapsed = start.elapsed();
    if !status.success() {
        bail!("`cargo {step}` of {} failed", variant.manifest.display());
    }
    let peak = std::fs::read_to_string(&peak_file)
        .ok()
        .and_then(|text| text.trim().parse().ok());
    Ok((elapsed, peak))
}

/// Sets a file's modification time to now by rewriting it unchanged.
fn touch(path: &Path) -> anyhow::Result<()> {
    let text = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

pub fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2,
    }
}

/// The median of the round-by-round ratios `a[i] / b[i]`.
pub fn median_ratio(a: &[Duration], b: &[Duration]) -> f64 {
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64().max(f64::EPSILON))
        .collect();
    ratios.sort_by(f64::total_cmp);
    match ratios.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => ratios[n / 2],
        n => (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0,
    }
}

pub fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}

fn cargo(root: &Path, args: &[&str]) -> anyhow::Result<()> {
    let mut command = Command::new(env!("CARGO"));
    command.args(args).current_dir(root);
    if !command.status().context("cannot run cargo")?.success() {
        bail!("`cargo {}` failed", args.join(" "));
    }
    Ok(())
}

fn cargo_output(root: &Path, args: &[&str], env: &[(&str, &str)]) -> anyhow::Result<String> {
    let output = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(root)
        .envs(env.iter().copied())
        .output()
        .context("cannot run cargo")?;
    if !output.status.success() {
        bail!(
            "`cargo {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
