//! The adversarial corpus: small specs of our own under tests/corpus/, one construct each (odd
//! identifiers, names that collide with the generated crate's scaffolding, cycles, pagination
//! look-alikes, YAML oddities...), plus a `$ref` chain of 3000 schemas written by the test.
//!
//! Every case is generated in a child process (a stack overflow aborts a process, which
//! `catch_unwind` cannot catch), and must give generated code or a clear error, never a crash:
//! the outcomes are an insta snapshot, the list of what is expected. Then every generated case
//! becomes one module of ONE crate, checked by clippy with warnings denied, so a case whose code
//! does not compile or warns fails the test by name.

use intercom_codegen::{generate_crate, VersionInput};
use intercom_tests::root;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Cases that the generator does not handle yet, with why: each is left out of the compiled
/// crate (its outcome is still in the snapshot). Empty: every case is handled.
const PENDING: &[(&str, &str)] = &[];

/// Environment of the child process: the spec to generate and where to write the outcome.
const SPEC_VAR: &str = "CORPUS_CASE_SPEC";
const OUT_VAR: &str = "CORPUS_CASE_OUT";

/// Number of schemas in the generated `$ref` chain.
const CHAIN_LENGTH: usize = 3000;

#[derive(Debug)]
enum Outcome {
    Generated,
    Error(String),
    Crash(String),
}

/// The child side: generates one case and writes `error.txt` when the generator refuses it.
/// Does nothing unless started by `corpus_generates_or_fails_clearly_and_compiles`.
#[test]
#[ignore = "run by the corpus test in a child process"]
fn corpus_case_in_child_process() {
    let (Some(spec), Some(out)) = (std::env::var_os(SPEC_VAR), std::env::var_os(OUT_VAR)) else {
        return;
    };
    let out = PathBuf::from(out);
    match generate(Path::new(&spec)) {
        Ok(first) => {
            let second = generate(Path::new(&spec)).expect("a second run generates too");
            assert!(first == second, "generation is not deterministic");
            std::fs::write(out.join("generated.txt"), "").expect("outcome is writable");
        }
        Err(message) => {
            std::fs::write(out.join("error.txt"), message).expect("outcome is writable")
        }
    }
}

fn generate(spec: &Path) -> Result<Vec<intercom_codegen::emit::OutputFile>, String> {
    generate_crate("corpus", "0.0.0", "corpus", None, &[input("c", spec)])
        .map_err(|error| error.to_string())
}

fn input(module: &str, spec: &Path) -> VersionInput {
    VersionInput {
        module: module.to_owned(),
        default: true,
        spec: spec.to_owned(),
        patches: Vec::new(),
    }
}

#[test]
fn corpus_generates_or_fails_clearly_and_compiles() {
    let work = root().join("target/corpus");
    let cases = cases(&work);
    assert!(cases.len() >= 40, "the corpus has {} cases", cases.len());

    let mut outcomes = BTreeMap::new();
    for (name, spec) in &cases {
        outcomes.insert(name.clone(), run_case(name, spec, &work));
    }
    let crashed: Vec<String> = outcomes
        .iter()
        .filter(|(name, outcome)| matches!(outcome, Outcome::Crash(_)) && !is_pending(name))
        .map(|(name, outcome)| format!("{name}: {outcome:?}"))
        .collect();
    assert!(
        crashed.is_empty(),
        "the generator crashed:\n{}",
        crashed.join("\n")
    );
    insta::assert_snapshot!("outcomes", render(&outcomes, &work));

    let compiled: Vec<VersionInput> = outcomes
        .iter()
        .filter(|(name, outcome)| matches!(outcome, Outcome::Generated) && !is_pending(name))
        .map(|(name, _)| input(&format!("c_{name}"), &cases[name]))
        .collect();
    let failures = compile_together(&compiled, &work.join("crate"));
    assert!(
        failures.is_empty(),
        "generated corpus code does not compile or warns:\n{}",
        failures
            .iter()
            .map(|(case, lines)| format!("{case}:\n  {}", lines.join("\n  ")))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn is_pending(name: &str) -> bool {
    PENDING.iter().any(|(pending, _)| *pending == name)
}

/// Every corpus file by case name, plus the generated `$ref` chain.
fn cases(work: &Path) -> BTreeMap<String, PathBuf> {
    let dir = root().join("tests/corpus");
    let mut cases: BTreeMap<String, PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/corpus exists")
        .map(|entry| entry.expect("corpus entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| {
            let name = path
                .file_stem()
                .expect("file name")
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .collect();
    std::fs::create_dir_all(work).expect("target/corpus is writable");
    let chain = work.join("ref_chain_3000.yaml");
    std::fs::write(&chain, ref_chain(CHAIN_LENGTH)).expect("chain spec is writable");
    cases.insert("ref_chain_3000".to_owned(), chain);
    cases
}

/// `S0` refers to `S1`, ... `S{n-1}` is a string, and an object holds `S0`.
fn ref_chain(length: usize) -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: corpus, version: \"1\"}\npaths: {}\ncomponents:\n  schemas:\n    Holder:\n      type: object\n      properties:\n        value: {$ref: '#/components/schemas/S0'}\n",
    );
    for index in 0..length - 1 {
        spec.push_str(&format!(
            "    S{index}: {{$ref: '#/components/schemas/S{}'}}\n",
            index + 1
        ));
    }
    spec.push_str(&format!("    S{}: {{type: string}}\n", length - 1));
    spec
}

fn run_case(name: &str, spec: &Path, work: &Path) -> Outcome {
    let out = work.join("outcomes").join(name);
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("outcome dir is writable");
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "corpus_case_in_child_process",
            "--exact",
            "--include-ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(SPEC_VAR, spec)
        .env(OUT_VAR, &out)
        .output()
        .expect("the test binary runs");
    if let Ok(message) = std::fs::read_to_string(out.join("error.txt")) {
        return Outcome::Error(message);
    }
    if output.status.success() && out.join("generated.txt").exists() {
        return Outcome::Generated;
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reason = stderr
        .lines()
        .find(|line| line.contains("panicked at") || line.contains("overflowed its stack"))
        .map(|line| {
            // The thread name and id vary between runs.
            line.find("panicked at")
                .or_else(|| line.find("has overflowed"))
                .map_or(line, |at| &line[at..])
                .to_owned()
        })
        .unwrap_or_else(|| format!("exit status {:?}", output.status.code()));
    Outcome::Crash(reason)
}

/// One line per case; paths made relative so the snapshot does not depend on the checkout.
fn render(outcomes: &BTreeMap<String, Outcome>, work: &Path) -> String {
    let root = root();
    let relative = |text: &str| {
        text.replace(&format!("{}/", work.display()), "target/corpus/")
            .replace(&format!("{}/", root.display()), "")
    };
    outcomes
        .iter()
        .map(|(name, outcome)| {
            let pending = if is_pending(name) { " [pending]" } else { "" };
            match outcome {
                Outcome::Generated => format!("{name}{pending}: generates"),
                Outcome::Error(message) => {
                    format!(
                        "{name}{pending}: error: {}",
                        relative(message).replace('\n', "\n    ")
                    )
                }
                Outcome::Crash(reason) => format!("{name}{pending}: CRASH: {}", relative(reason)),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Generates one crate with a module per case and runs clippy on it with warnings denied.
/// Returns, per case, the compiler's errors and warnings located in its module.
fn compile_together(inputs: &[VersionInput], dir: &Path) -> BTreeMap<String, Vec<String>> {
    let files = generate_crate("corpus-crate", "0.0.0", "the corpus", None, inputs)
        .expect("every case that generated alone generates together");
    let _ = std::fs::remove_dir_all(dir);
    for file in &files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("file in a directory")).expect("writable");
        std::fs::write(&path, &file.contents).expect("writable");
    }
    let manifest = dir.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).expect("manifest");
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text).expect("manifest is writable");
    // The workspace's lock file pins the same dependencies as the shipped generated crate.
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "clippy",
            "--quiet",
            "--message-format=short",
            "--manifest-path",
        ])
        .arg(&manifest)
        .args(["--", "-D", "warnings"])
        .env("CARGO_TARGET_DIR", root().join("target/corpus/target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let mut failures: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in stderr
        .lines()
        .filter(|l| l.contains("error") || l.contains("warning"))
    {
        let case = line
            .strip_prefix("src/c_")
            .and_then(|rest| rest.split_once('/'))
            .map_or("(outside the case modules)", |(case, _)| case);
        failures
            .entry(case.to_owned())
            .or_default()
            .push(line.to_owned());
    }
    if !output.status.success() && failures.is_empty() {
        failures.insert("(cargo)".to_owned(), vec![stderr.into_owned()]);
    }
    failures
}
