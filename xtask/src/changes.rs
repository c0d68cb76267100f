//! `cargo xtask changes OLD NEW`: the API change report between two descriptions, as Markdown
//! for a pull request.
//!
//! Each side is a spec file (lowered as published, without the overlay, so two files compare on
//! equal terms) or a git revision of this repository (the shipped descriptions its
//! specs/versions.toml pins, with its specs/overlay.yaml: exactly what generated/ was built from).

use crate::pins::Pins;
use crate::release::{lower_source, Source};
use anyhow::{bail, Context};
use intercom_codegen::changes::{compare, Report};
use intercom_codegen::ir::Api;
use std::path::Path;
use std::process::Command;

/// One side of the comparison.
enum Side {
    File(Box<Api>),
    /// Each shipped module of a revision, by module name.
    Revision(Vec<(String, Api)>),
}

/// The report between `old` and `new`.
pub fn report(root: &Path, old: &str, new: &str) -> anyhow::Result<Report> {
    match (side(root, old)?, side(root, new)?) {
        (Side::File(old), Side::File(new)) => Ok(compare(&old, &new)),
        (Side::Revision(old), Side::Revision(new)) => Ok(compare_modules(&old, &new)),
        _ => bail!("compare two spec files or two git revisions, not one of each"),
    }
}

/// Prints the Markdown report, or writes it to `out`.
pub fn changes(root: &Path, old: &str, new: &str, out: Option<&Path>) -> anyhow::Result<()> {
    let report = report(root, old, new)?;
    let markdown = report.to_markdown(&format!("API changes from `{old}` to `{new}`"));
    match out {
        Some(path) => {
            std::fs::write(path, &markdown)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("{} ({})", report.counts(), path.display());
        }
        None => print!("{markdown}"),
    }
    Ok(())
}

fn compare_modules(old: &[(String, Api)], new: &[(String, Api)]) -> Report {
    let reports = new.iter().filter_map(|(module, new_api)| {
        let (_, old_api) = old.iter().find(|(m, _)| m == module)?;
        Some(compare(old_api, new_api).in_module(module))
    });
    let mut report = Report::merge(reports);
    let listed = |list: &[(String, Api)], module: &str| list.iter().any(|(m, _)| m == module);
    for (module, api) in new.iter().filter(|(m, _)| !listed(old, m)) {
        report
            .changes
            .push(module_line(module, api, "module added", false));
    }
    for (module, api) in old.iter().filter(|(m, _)| !listed(new, m)) {
        report
            .changes
            .push(module_line(module, api, "module removed", true));
    }
    report.changes.sort();
    report
}

fn module_line(
    module: &str,
    api: &Api,
    what: &str,
    breaking: bool,
) -> intercom_codegen::changes::Change {
    use intercom_codegen::changes::{Change, Impact};
    Change {
        impact: if breaking {
            Impact::Breaking
        } else {
            Impact::Compatible
        },
        item: module.to_owned(),
        what: format!("{what} (Intercom API {})", api.version),
        pointer: "#".to_owned(),
    }
}

fn side(root: &Path, arg: &str) -> anyhow::Result<Side> {
    let path = Path::new(arg);
    if path.is_file() {
        let api = intercom_codegen::lower_file(path)?;
        return Ok(Side::File(Box::new(api)));
    }
    let pins_text = git_show(root, arg, "specs/versions.toml")
        .with_context(|| format!("`{arg}` is neither a spec file nor a git revision"))?;
    let pins: Pins = toml::from_str(&pins_text)
        .with_context(|| format!("specs/versions.toml at {arg} is not a valid pin file"))?;
    let overlay = match git_show(root, arg, "specs/overlay.yaml") {
        Ok(text) => intercom_codegen::overlay::parse(&text)
            .with_context(|| format!("specs/overlay.yaml at {arg} is not a valid overlay"))?,
        Err(_) => Vec::new(),
    };
    let mut modules = Vec::new();
    for pin in pins.version.iter().filter(|p| p.ship) {
        let api = lower_source(root, &Source::of(pin), &overlay)
            .with_context(|| format!("version {} at {arg}", pin.name))?;
        modules.push((pin.module.clone(), api));
    }
    Ok(Side::Revision(modules))
}

fn git_show(root: &Path, revision: &str, file: &str) -> anyhow::Result<String> {
    let output = Command::new("git")
        .args(["show", &format!("{revision}:{file}")])
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git show {revision}:{file}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}
