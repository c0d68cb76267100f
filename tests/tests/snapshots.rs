//! What each spec construct becomes: one small fixture spec per construct (tests/fixtures/),
//! lowered and emitted, with the generated Rust kept as an insta snapshot for review.

use intercom_codegen::{generate_crate, VersionInput};
use intercom_tests::root;

/// The generated version module (types, then client, operations and the mock's response
/// examples when the fixture has paths).
fn generated(fixture: &str) -> String {
    let spec = root()
        .join("tests/fixtures")
        .join(format!("{fixture}.yaml"));
    let inputs = [VersionInput {
        module: "api".to_owned(),
        default: true,
        spec,
        patches: Vec::new(),
    }];
    let files =
        generate_crate("fixture", "0.0.0", "fixture", None, &inputs).expect("fixture generates");
    let wanted = [
        "src/api/types.rs",
        "src/api/mod.rs",
        "src/api/operations.rs",
        "src/api/examples.rs",
    ];
    let has_operations = files
        .iter()
        .any(|f| f.path == "src/api/operations.rs" && f.contents.contains("pub struct"));
    wanted
        .iter()
        .filter(|path| has_operations || path.ends_with("types.rs"))
        .filter_map(|path| files.iter().find(|f| f.path == *path))
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect::<Vec<_>>()
        .join("\n")
}

macro_rules! snapshot_fixture {
    ($name:ident) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(generated(stringify!($name)));
        }
    };
}

snapshot_fixture!(fields);
snapshot_fixture!(enums);
snapshot_fixture!(shapes);
snapshot_fixture!(compositions);
snapshot_fixture!(names);
snapshot_fixture!(docs);
snapshot_fixture!(operations);
snapshot_fixture!(pagination);
snapshot_fixture!(bodies);
snapshot_fixture!(references);
snapshot_fixture!(tags);
snapshot_fixture!(ids);
snapshot_fixture!(shared);
snapshot_fixture!(timestamps);

/// Each operation's request example: the call in the method's docs, and the test file that
/// compiles and runs them (with misfits converted or replaced, and counted in its docs).
#[test]
fn request_examples() {
    let spec = root().join("tests/fixtures/request_examples.yaml");
    let inputs = [VersionInput {
        module: "api".to_owned(),
        default: true,
        spec,
        patches: Vec::new(),
    }];
    let files =
        generate_crate("fixture", "0.0.0", "fixture", None, &inputs).expect("fixture generates");
    let shown: Vec<String> = ["src/api/mod.rs", "tests/examples_api.rs"]
        .iter()
        .filter_map(|path| files.iter().find(|f| f.path == *path))
        .map(|f| format!("==> {} <==\n{}", f.path, f.contents))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

/// Cargo features per resource: the manifest's features and the `cfg` of every item.
#[test]
fn resources() {
    let spec = root().join("tests/fixtures/resources.yaml");
    let inputs = [VersionInput {
        module: "api".to_owned(),
        default: true,
        spec,
        patches: Vec::new(),
    }];
    let files =
        generate_crate("fixture", "0.0.0", "fixture", None, &inputs).expect("fixture generates");
    let file = |path: &str| {
        let contents = files
            .iter()
            .find(|f| f.path == path)
            .map_or("", |f| f.contents.as_str());
        format!("==> {path} <==\n{contents}")
    };
    let manifest = file("Cargo.toml");
    let features: String = manifest
        .lines()
        .skip_while(|line| *line != "[features]")
        .take_while(|line| !line.is_empty())
        .map(|line| format!("{line}\n"))
        .collect();
    let parts = [
        features,
        file("src/api/types.rs"),
        file("src/api/mod.rs"),
        file("src/api/webhooks.rs"),
    ];
    insta::assert_snapshot!(parts.join("\n"));
}

/// What the description gets wrong is degraded, not refused: each place is a warning that names
/// its JSON pointer, and the generated module's docs list them.
#[test]
fn description_faults_are_degraded_with_warnings() {
    let spec = root().join("tests/fixtures/degraded.yaml");
    let api = intercom_codegen::lower_file(&spec).expect("a faulty description still lowers");
    let warnings: Vec<String> = api.warnings.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!("degraded_warnings", warnings.join("\n"));
    insta::assert_snapshot!("degraded_code", generated("degraded"));
}

/// Bad input is an error naming the file and location, never a panic.
#[test]
fn malformed_descriptions_are_clear_errors() {
    let dir = std::env::temp_dir().join(format!("intercom-bad-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases = [
        ("not_yaml.yaml", "openapi: [3.0\n  broken: {"),
        (
            "swagger.yaml",
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n",
        ),
        (
            "bad_field.yaml",
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {/x: {get: {responses: 7}}}\n",
        ),
        (
            "duplicate_key.yaml",
            "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    a: {type: string}\n    a: {type: integer}\n",
        ),
        (
            "openapi_3_1.yaml",
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        ),
        ("not_a_mapping.json", "[1, 2, 3]"),
    ];
    let mut messages = Vec::new();
    for (name, text) in cases {
        let spec = dir.join(name);
        std::fs::write(&spec, text).expect("write fixture");
        let inputs = [VersionInput {
            module: "api".to_owned(),
            default: true,
            spec,
            patches: Vec::new(),
        }];
        let error =
            generate_crate("fixture", "0.0.0", "fixture", None, &inputs).expect_err("must fail");
        messages.push(
            error
                .to_string()
                .replace(&dir.display().to_string(), "<dir>"),
        );
    }
    insta::assert_snapshot!(messages.join("\n"));
}
