//! What a regeneration of generated/ records: the source of each version (upstream revision and
//! sha256, in the crate's docs and Cargo metadata), the crate version (moved by semver according
//! to the API change report), and an entry in generated/CHANGELOG.md.
//!
//! The previous state is read back from the committed generated/Cargo.toml, so the decision is a
//! plain function of the repository: `cargo xtask codegen --check` computes the same version and
//! changelog that `cargo xtask codegen` wrote.

use crate::pins::Pin;
use crate::specs;
use anyhow::Context;
use intercom_codegen::changes::{self, Bump, Report};
use intercom_codegen::emit::VersionModule;
use intercom_codegen::overlay::Patch;
use std::path::Path;

/// The first version of the crate, before any recorded regeneration.
pub const INITIAL_VERSION: &str = "0.1.0";

const METADATA_TABLE: &str = "package.metadata.intercom-api.sources";

/// Where one version module's description came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub module: String,
    /// The `Intercom-Version` name, e.g. `2.14`.
    pub name: String,
    pub url: String,
    pub sha256: String,
}

impl Source {
    pub fn of(pin: &Pin) -> Self {
        Self {
            module: pin.module.clone(),
            name: pin.name.clone(),
            url: pin.url.clone(),
            sha256: pin.sha256.clone(),
        }
    }

    /// The upstream commit in the pinned URL (Intercom-OpenAPI's raw GitHub URLs carry it).
    pub fn revision(&self) -> Option<&str> {
        self.url
            .split('/')
            .find(|part| part.len() == 40 && part.chars().all(|c| c.is_ascii_hexdigit()))
    }
}

/// The crate as the committed generated/Cargo.toml describes it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub version: String,
    /// Empty when generated/ predates source recording.
    pub sources: Vec<Source>,
}

/// What this generation writes besides the code.
#[derive(Debug, Clone)]
pub struct Release {
    pub version: String,
    pub changelog: String,
    /// The API changes since the recorded sources, when the sources changed.
    pub report: Option<Report>,
    pub previous_version: Option<String>,
    /// generated/ did not record its sources before this generation.
    pub first_record: bool,
}

/// Reads the version and recorded sources of a generated crate's Cargo.toml.
pub fn recorded(manifest: &str) -> anyhow::Result<Recorded> {
    let value: toml::Value =
        toml::from_str(manifest).context("generated/Cargo.toml is not TOML")?;
    let package = value.get("package");
    let version = package
        .and_then(|p| p.get("version"))
        .and_then(toml::Value::as_str)
        .unwrap_or(INITIAL_VERSION)
        .to_owned();
    let table = package
        .and_then(|p| p.get("metadata"))
        .and_then(|m| m.get("intercom-api"))
        .and_then(|m| m.get("sources"))
        .and_then(toml::Value::as_table);
    let field = |entry: &toml::Value, key: &str| {
        entry
            .get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let sources = table
        .into_iter()
        .flatten()
        .map(|(module, entry)| Source {
            module: module.clone(),
            name: field(entry, "version"),
            url: field(entry, "url"),
            sha256: field(entry, "sha256"),
        })
        .collect();
    Ok(Recorded { version, sources })
}

/// The Cargo metadata recording each version's source, appended to the generated Cargo.toml.
pub fn manifest_metadata(sources: &[Source]) -> String {
    let mut out = String::new();
    for source in sources {
        out.push_str(&format!(
            "\n[{METADATA_TABLE}.{}]\nversion = \"{}\"\nurl = \"{}\"\nrevision = \"{}\"\nsha256 = \"{}\"\n",
            source.module,
            source.name,
            source.url,
            source.revision().unwrap_or("unknown"),
            source.sha256
        ));
    }
    out
}

/// A "Sources" section for the crate docs.
pub fn docs_section(sources: &[Source]) -> String {
    let mut out = String::from(
        "\n## Sources\n\nGenerated from Intercom's published OpenAPI descriptions \
         ([Intercom-OpenAPI](https://github.com/intercom/Intercom-OpenAPI), MIT):\n\n\
         | Module | `Intercom-Version` | Upstream revision | sha256 |\n|---|---|---|---|\n",
    );
    for source in sources {
        let revision = source.revision().unwrap_or("unknown");
        out.push_str(&format!(
            "| `{}` | {} | [`{}`]({}) | `{}` |\n",
            source.module,
            source.name,
            &revision[..revision.len().min(12)],
            source.url,
            source.sha256
        ));
    }
    out
}

/// Decides the version and changelog of this generation from the recorded state.
/// `lower_old` lowers the description a recorded source names (for the change report).
pub fn plan(
    root: &Path,
    sources: &[Source],
    modules: &[VersionModule],
    lower_old: impl Fn(&Source) -> anyhow::Result<intercom_codegen::ir::Api>,
) -> anyhow::Result<Release> {
    let manifest = std::fs::read_to_string(root.join("generated/Cargo.toml")).ok();
    let changelog_path = root.join("generated/CHANGELOG.md");
    let existing = std::fs::read_to_string(&changelog_path).ok();
    let recorded = manifest.as_deref().map(recorded).transpose()?;
    let Some(recorded) = recorded.filter(|r| !r.sources.is_empty()) else {
        // First generation that records its sources: nothing to compare with.
        let version = INITIAL_VERSION.to_owned();
        let changelog =
            existing.unwrap_or_else(|| changelog_with(None, &entry(&version, sources, None)));
        return Ok(Release {
            version,
            changelog,
            report: None,
            previous_version: None,
            first_record: true,
        });
    };
    if same_sources(&recorded.sources, sources) {
        let changelog = existing
            .unwrap_or_else(|| changelog_with(None, &entry(&recorded.version, sources, None)));
        return Ok(Release {
            version: recorded.version,
            changelog,
            report: None,
            previous_version: None,
            first_record: false,
        });
    }
    let report = compare_sources(&recorded.sources, modules, lower_old)?;
    let version = changes::next_version(&recorded.version, report.bump())
        .unwrap_or_else(|| recorded.version.clone());
    let changelog = changelog_with(
        existing.as_deref(),
        &entry(&version, sources, Some(&report)),
    );
    Ok(Release {
        version,
        changelog,
        report: Some(report),
        previous_version: Some(recorded.version),
        first_record: false,
    })
}

fn same_sources(a: &[Source], b: &[Source]) -> bool {
    let sorted = |list: &[Source]| {
        let mut list = list.to_vec();
        list.sort_by(|x, y| x.module.cmp(&y.module));
        list
    };
    sorted(a) == sorted(b)
}

/// The report across every module: a module compared with the same module's recorded source.
fn compare_sources(
    old_sources: &[Source],
    modules: &[VersionModule],
    lower_old: impl Fn(&Source) -> anyhow::Result<intercom_codegen::ir::Api>,
) -> anyhow::Result<Report> {
    let mut reports = Vec::new();
    for module in modules {
        let Some(old) = old_sources.iter().find(|s| s.module == module.module) else {
            reports.push(module_change(&module.module, "module added", false));
            continue;
        };
        let old_api = lower_old(old)?;
        reports.push(changes::compare(&old_api, &module.api).in_module(&module.module));
    }
    for old in old_sources {
        if !modules.iter().any(|m| m.module == old.module) {
            reports.push(module_change(&old.module, "module removed", true));
        }
    }
    Ok(Report::merge(reports))
}

fn module_change(module: &str, what: &str, breaking: bool) -> Report {
    Report {
        changes: vec![changes::Change {
            impact: if breaking {
                changes::Impact::Breaking
            } else {
                changes::Impact::Compatible
            },
            item: module.to_owned(),
            what: what.to_owned(),
            pointer: "#".to_owned(),
        }],
    }
}

const CHANGELOG_TITLE: &str = "<!-- generated by `cargo xtask codegen`, do not edit -->\n# Changelog\n\nOne entry per regeneration from new upstream descriptions \
(`cargo xtask codegen`). Versions follow semver for the crate's users: while below 1.0, a \
breaking change bumps the minor version and anything else the patch version.\n";

fn changelog_with(existing: Option<&str>, entry: &str) -> String {
    let previous = existing
        .and_then(|text| text.strip_prefix(CHANGELOG_TITLE))
        .unwrap_or("");
    format!("{CHANGELOG_TITLE}\n{entry}{previous}")
}

fn entry(version: &str, sources: &[Source], report: Option<&Report>) -> String {
    let mut out = format!("## {version}\n\n");
    for source in sources {
        out.push_str(&format!(
            "- `{}`: Intercom API {} at upstream revision `{}` (sha256 `{}`)\n",
            source.module,
            source.name,
            source.revision().unwrap_or("unknown"),
            source.sha256
        ));
    }
    match report {
        None => out.push_str("\nFirst generation with recorded sources.\n"),
        Some(report) => {
            let markdown = report.to_markdown("API changes");
            // Nest the report's headings under the entry's.
            let body = markdown
                .lines()
                .skip(1)
                .map(|line| match line.strip_prefix("## ") {
                    Some(heading) => format!("### {heading}"),
                    None => line.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            out.push_str(&body);
            out.push('\n');
        }
    }
    out.push('\n');
    out
}

/// Lowers the description a source names, obtained by its sha256 (see [`specs::bytes_of`]), with
/// the overlay's patches for its version; without them when they no longer apply to it.
pub fn lower_source(
    root: &Path,
    source: &Source,
    overlay: &[Patch],
) -> anyhow::Result<intercom_codegen::ir::Api> {
    let bytes = specs::bytes_of(root, &source.name, &source.url, &source.sha256)?;
    let dir = root.join("target/xtask-specs");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join(format!("{}.yaml", source.sha256));
    specs::write_atomically(&path, &bytes)?;
    let patches: Vec<Patch> = overlay
        .iter()
        .filter(|p| p.versions.contains(&source.name))
        .cloned()
        .collect();
    match intercom_codegen::lower_patched(&path, &patches) {
        Err(intercom_codegen::GenerateError::Overlay { .. }) => {
            Ok(intercom_codegen::lower_file(&path)?)
        }
        other => Ok(other?),
    }
}

/// The version bump a report asks for, in words (for the codegen summary).
pub fn bump_words(bump: Bump) -> &'static str {
    match bump {
        Bump::Breaking => "breaking",
        Bump::Additions => "additions only",
        Bump::Patch => "no API change",
    }
}
