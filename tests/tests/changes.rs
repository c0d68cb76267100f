//! The API change report (`cargo xtask changes`): pairs of small specs with known changes
//! (tests/fixtures/changes/<case>/{old,new}.yaml), each with its exact report as a snapshot,
//! and the stability rules that keep regenerated diffs local.

use intercom_codegen::changes::{compare, Impact, Report};
use intercom_codegen::ir::{Api, TypeKind};
use intercom_codegen::{generate_crate, lower_file, VersionInput};
use intercom_tests::root;
use std::path::PathBuf;

fn fixture(case: &str, side: &str) -> PathBuf {
    root()
        .join("tests/fixtures/changes")
        .join(case)
        .join(format!("{side}.yaml"))
}

fn lowered(case: &str, side: &str) -> Api {
    lower_file(&fixture(case, side)).expect("fixture lowers")
}

fn report(case: &str) -> Report {
    compare(&lowered(case, "old"), &lowered(case, "new"))
}

macro_rules! snapshot_report {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(report(stringify!($name)).to_markdown("API changes"));
        }
    };
}

snapshot_report!(merge_contacts);
snapshot_report!(path_parameter_rename);
snapshot_report!(operations);
snapshot_report!(types);
snapshot_report!(inline_names);

/// Upstream added `required: [from, into]` to `merge_contacts_request`: two breaking changes a
/// reviewer must not have to find by reading the diff. The method does not change: the body of
/// a `POST` is an argument either way.
#[test]
fn required_list_breaks_the_method_and_both_fields() {
    let report = report("merge_contacts");
    let breaking: Vec<&str> = report.breaking().map(|c| c.item.as_str()).collect();
    assert_eq!(
        breaking,
        [
            "types::MergeContactsRequest::from",
            "types::MergeContactsRequest::into",
        ]
    );
    assert_eq!(report.compatible().count(), 0);
}

/// A renamed path parameter moves the endpoint; the method is the same for its callers.
#[test]
fn path_parameter_rename_is_a_move() {
    let report = report("path_parameter_rename");
    assert!(report.breaking().next().is_none(), "{report:?}");
    assert!(report
        .changes
        .iter()
        .all(|c| c.impact == Impact::Compatible && c.what.starts_with("moved to")));
    assert_eq!(report.changes.len(), 2);
}

fn generated(case: &str, side: &str) -> Vec<(String, String)> {
    let inputs = [VersionInput {
        module: "api".to_owned(),
        default: true,
        spec: fixture(case, side),
        patches: Vec::new(),
    }];
    generate_crate("fixture", "0.0.0", "fixture", None, &inputs)
        .expect("fixture generates")
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

/// Items are ordered by method name, not by path: renaming a path parameter changes only the
/// lines that mention the path or the argument, and moves nothing.
#[test]
fn path_parameter_rename_changes_only_the_lines_that_name_it() {
    let (old, new) = (
        generated("path_parameter_rename", "old"),
        generated("path_parameter_rename", "new"),
    );
    assert_eq!(old.len(), new.len());
    let mut changed = 0;
    for ((path, before), (_, after)) in old.iter().zip(&new) {
        let (before, after): (Vec<&str>, Vec<&str>) =
            (before.lines().collect(), after.lines().collect());
        assert_eq!(
            before.len(),
            after.len(),
            "{path}: lines were added or removed"
        );
        for (a, b) in before.iter().zip(&after) {
            if a != b {
                changed += 1;
                assert!(
                    b.contains("company_id"),
                    "{path}: an unrelated line changed:\n-{a}\n+{b}"
                );
            }
        }
    }
    assert!(changed > 0);
}

/// An inline type is named from its position; adding a component whose name an inline type
/// would otherwise have been numbered past does not rename it.
#[test]
fn adding_a_component_does_not_rename_an_inline_type() {
    let (old, new) = (
        lowered("inline_names", "old"),
        lowered("inline_names", "new"),
    );
    let ticket_fields = |api: &Api| {
        let ticket = api
            .types
            .iter()
            .find(|t| t.name == "Ticket")
            .expect("Ticket");
        match &ticket.kind {
            TypeKind::Struct(s) => s.fields.clone(),
            other => panic!("Ticket is a struct, not {other:?}"),
        }
    };
    assert_eq!(ticket_fields(&old), ticket_fields(&new));
    let report = compare(&old, &new);
    let items: Vec<&str> = report.changes.iter().map(|c| c.item.as_str()).collect();
    assert_eq!(items, ["types::TicketType2"]);
}
