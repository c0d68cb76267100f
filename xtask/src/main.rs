//! `cargo xtask`: the project's automation.
//!
//! - `cargo xtask specs [--from DIR]`: put each pinned description at specs/cache/, checking its sha256.
//! - `cargo xtask codegen [--check]`: regenerate generated/ from the shipped versions (or only report stale files).
//! - `cargo xtask generate --spec FILE --out DIR`: turn any OpenAPI 3.0 description into a standalone crate.
//! - `cargo xtask test` / `cargo xtask lint`: every test / every lint, as CI runs them.

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
    },
    /// Run every test: specs, staleness check, `cargo test --workspace`, the other versions.
    Test,
    /// Formatting, clippy and rustdoc, all with warnings denied.
    Lint,
    /// Generate each non-shipped pinned version into target/other-versions/ and compile it.
    OtherVersions,
    /// Check the generated crate's rust-version against its dependencies and build it with
    /// that toolchain.
    Msrv,
}

use xtask::{codegen, msrv, pins, specs, tasks};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = pins::workspace_root();
    let result = match cli.command {
        Command::Specs { from } => specs::obtain_all(&root, from),
        Command::Codegen { check } => codegen::codegen(&root, check),
        Command::Generate {
            spec,
            out,
            package,
            module,
        } => codegen::generate(&spec, &out, &package, &module),
        Command::Test => tasks::test(&root),
        Command::Lint => tasks::lint(&root),
        Command::OtherVersions => tasks::other_versions(&root),
        Command::Msrv => msrv::msrv(&root),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
