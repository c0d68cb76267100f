//! `cargo xtask`: the project's automation.
//!
//! - `cargo xtask specs [--from DIR]`: put each pinned description at specs/cache/, checking its sha256.
//! - `cargo xtask codegen [--check] [--report FILE]`: regenerate generated/ from the shipped versions (or only
//!   report stale files); prints the API changes and moves the crate version by semver.
//! - `cargo xtask changes OLD NEW [--out FILE]`: API change report between two spec files or git revisions.
//! - `cargo xtask generate --spec FILE --out DIR`: turn any OpenAPI 3.0 description into a standalone crate.
//! - `cargo xtask test` / `cargo xtask lint`: every test / every lint, as CI runs them.
//! - `cargo xtask bench [--runs N] [--progenitor | --progenitor-only] [--resources A,B,C]`: generation, size, build and decode measurements.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Intercom client generator tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Obtain every pinned description into specs/cache/ and verify its sha256.
    Specs {
        /// Copy from this folder (laid out as <version>/api.intercom.io.yaml) instead of downloading.
        /// Defaults to ../shared/specs when it exists.
        #[arg(long)]
        from: Option<PathBuf>,
    },
    /// Regenerate generated/ from the shipped versions.
    Codegen {
        /// Write nothing; exit non-zero and name each file that is stale.
        #[arg(long)]
        check: bool,
        /// Treat the description's faults that the generator degrades as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// Also write the full API change report (Markdown) of this regeneration to this file.
        #[arg(long)]
        report: Option<PathBuf>,
    },
    /// Print the API change report (Markdown) between two spec files or two git revisions.
    Changes {
        /// The old side: a spec file, or a git revision of this repository.
        old: String,
        /// The new side: a spec file, or a git revision of this repository.
        new: String,
        /// Write the report to this file instead of printing it.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate a standalone crate from any OpenAPI 3.0 description.
    Generate {
        /// The description (YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// Directory of the crate to write (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Package name of the crate.
        #[arg(long, default_value = "intercom-api")]
        package: String,
        /// Name of the version module and feature.
        #[arg(long, default_value = "api")]
        module: String,
        /// Treat the description's faults that the generator degrades as errors.
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Run every test: specs, staleness check, `cargo test --workspace`, the other versions.
    Test,
    /// Formatting, clippy and rustdoc, all with warnings denied.
    Lint,
    /// Generate each non-shipped pinned version into target/other-versions/ and compile it.
    OtherVersions,
    /// Measure generation, generated lines, the generated crate's check and build time (all
    /// resources and three) and decode time; not part of CI.
    Bench {
        /// Rounds of each compared pair of measurements.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also measure progenitor 0.15.1 on the same description, side by side.
        #[arg(long)]
        progenitor: bool,
        /// Only the comparison with progenitor (crate-only check and build, decode).
        #[arg(long)]
        progenitor_only: bool,
        /// The resources of the slim build measured against all of them (comma-separated).
        #[arg(long, default_value = xtask::tasks::SLIM_EXAMPLE)]
        resources: String,
    },
    /// Generation time and peak memory, in this process (run by `bench` from a release build).
    #[command(hide = true)]
    BenchCodegen {
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Generate progenitor's crate from the edited 2.14 description (for `bench --progenitor`).
    #[command(hide = true)]
    ProgenitorCrate {
        /// Also time the decode of this contact list (ours, progenitor's, Value).
        #[arg(long)]
        decode: Option<PathBuf>,
        #[arg(long, default_value_t = 11)]
        rounds: usize,
    },
    /// Check the generated crate's rust-version against its dependencies and build it with
    /// that toolchain.
    Msrv,
}

use xtask::{bench, changes, codegen, msrv, pins, progenitor, specs, tasks};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = pins::workspace_root();
    let result = match cli.command {
        Command::Specs { from } => specs::obtain_all(&root, from),
        Command::Codegen {
            check,
            deny_warnings,
            report,
        } => codegen::codegen(&root, check, deny_warnings, report.as_deref()),
        Command::Changes { old, new, out } => changes::changes(&root, &old, &new, out.as_deref()),
        Command::Generate {
            spec,
            out,
            package,
            module,
            deny_warnings,
        } => codegen::generate(&spec, &out, &package, &module, deny_warnings),
        Command::Test => tasks::test(&root),
        Command::Lint => tasks::lint(&root),
        Command::OtherVersions => tasks::other_versions(&root),
        Command::Msrv => msrv::msrv(&root),
        Command::Bench {
            runs,
            progenitor,
            progenitor_only,
            resources,
        } => {
            let scope = match (progenitor, progenitor_only) {
                (_, true) => bench::Scope::ProgenitorOnly,
                (true, false) => bench::Scope::WithProgenitor,
                (false, false) => bench::Scope::Ours,
            };
            bench::bench(&root, runs, scope, &resources)
        }
        Command::BenchCodegen { runs } => bench::bench_codegen(&root, runs),
        Command::ProgenitorCrate { decode, rounds } => {
            progenitor::crate_and_decode(&root, decode.as_deref(), rounds)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
