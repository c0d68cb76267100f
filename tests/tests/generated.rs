//! The committed generated/ crate is what the generator produces from the pinned descriptions,
//! and it covers every operation and every component schema of both shipped versions.

use intercom_codegen::ir::Api;
use intercom_tests::{root, spec_json, spec_path};
use std::collections::BTreeSet;

#[test]
fn generated_crate_is_not_stale() {
    let files = xtask::codegen::expected_files(&root()).expect("the shipped specs generate");
    let stale = xtask::codegen::stale_files(&root(), &files).expect("generated files are readable");
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask codegen`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let first = xtask::codegen::expected_files(&root()).expect("generates");
    let second = xtask::codegen::expected_files(&root()).expect("generates");
    assert_eq!(first, second);
}

fn lowered(version: &str) -> Api {
    intercom_codegen::lower_file(&spec_path(version)).expect("shipped spec lowers")
}

fn generated_source(module: &str, file: &str) -> String {
    std::fs::read_to_string(root().join("generated/src").join(module).join(file))
        .expect("generated file exists")
}

/// Every (path, method) of the description has exactly one client method, and it is emitted.
fn assert_every_operation_has_a_method(version: &str, module: &str, expected_count: usize) {
    let spec = spec_json(version);
    let methods = ["get", "put", "post", "delete", "patch"];
    let in_spec: BTreeSet<(String, String)> = spec["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            methods
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(|m| (path.clone(), m.to_uppercase()))
        })
        .collect();
    let api = lowered(version);
    let lowered_ops: BTreeSet<(String, String)> = api
        .operations
        .iter()
        .map(|op| (op.path.clone(), format!("{:?}", op.method).to_uppercase()))
        .collect();
    assert_eq!(
        in_spec.len(),
        expected_count,
        "operation count of {version}"
    );
    assert_eq!(in_spec, lowered_ops, "every operation is lowered");
    let client = generated_source(module, "mod.rs");
    for op in &api.operations {
        assert!(
            client.contains(&format!("pub fn {}(", op.name)),
            "{version}: no method {} for {}",
            op.name,
            op.path
        );
    }
}

/// Every component schema becomes a named Rust type.
fn assert_every_schema_has_a_type(version: &str, module: &str, expected_count: usize) {
    let spec = spec_json(version);
    let schemas = spec["components"]["schemas"].as_object().expect("schemas");
    assert_eq!(schemas.len(), expected_count, "schema count of {version}");
    let api = lowered(version);
    let types = generated_source(module, "types.rs");
    for raw in schemas.keys() {
        let origin = format!("#/components/schemas/{raw}");
        let def = api
            .types
            .iter()
            .find(|t| t.origin == origin)
            .unwrap_or_else(|| panic!("{version}: no type for {origin}"));
        // A tag (a one-value string enum) is a unit struct: `pub struct Name;`.
        let declared = ["struct", "enum", "type"]
            .iter()
            .any(|kw| types.contains(&format!("pub {kw} {} ", def.name)))
            || types.contains(&format!("pub struct {};", def.name));
        assert!(
            declared,
            "{version}: type {} of {origin} is not emitted",
            def.name
        );
    }
}

/// Every operation has a request example, called in its version's test file of the generated
/// crate (which compiles it and runs it against the mock) and shown in its method's docs.
#[test]
fn every_operation_has_a_compiled_example() {
    for (version, module) in [
        ("2.14", "v2_14"),
        ("Unstable", "unstable"),
        ("Preview", "preview"),
    ] {
        let api = lowered(version);
        let tests =
            std::fs::read_to_string(root().join(format!("generated/tests/examples_{module}.rs")))
                .expect("the examples' test file exists");
        let client = generated_source(module, "mod.rs");
        for op in &api.operations {
            assert!(
                api.request_examples.iter().any(|e| e.operation == op.name),
                "{version}: no request example for {}",
                op.name
            );
            assert!(
                tests.contains(&format!("async fn {}(", op.name))
                    && tests.contains(&format!("block_on({}(&client))", op.name)),
                "{version}: {} is not compiled and run in examples_{module}.rs",
                op.name
            );
        }
        assert_eq!(
            client.matches("/// # Example").count(),
            api.operations.len(),
            "{version}: every method documents its example"
        );
    }
}

#[test]
fn v2_14_covers_every_operation() {
    assert_every_operation_has_a_method("2.14", "v2_14", 150);
}

#[test]
fn unstable_covers_every_operation() {
    assert_every_operation_has_a_method("Unstable", "unstable", 189);
}

#[test]
fn preview_covers_every_operation() {
    assert_every_operation_has_a_method("Preview", "preview", 256);
}

#[test]
fn preview_covers_every_schema() {
    assert_every_schema_has_a_type("Preview", "preview", 385);
}

#[test]
fn v2_14_covers_every_schema() {
    assert_every_schema_has_a_type("2.14", "v2_14", 230);
}

#[test]
fn unstable_covers_every_schema() {
    assert_every_schema_has_a_type("Unstable", "unstable", 274);
}

/// The operations without operationId get stable names derived from method and path.
#[test]
fn reporting_operations_get_derived_names() {
    let api = lowered("2.14");
    let names: BTreeSet<&str> = api
        .operations
        .iter()
        .filter(|op| op.path.contains("reporting_data"))
        .map(|op| op.name.as_str())
        .collect();
    let expected = [
        "get_download_reporting_data_by_job_identifier",
        "get_export_reporting_data_by_job_identifier",
        "get_export_reporting_data_get_datasets",
        "post_export_reporting_data_enqueue",
    ];
    assert_eq!(names, expected.into_iter().collect());
}
