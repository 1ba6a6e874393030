//! Every conformance vector in `tests/vectors/` runs natively and through the built filter in
//! scrim-host under every chunking plan, and all runs give the expected answer.

use scrim_cli::vectors::{check_vector, collect, load};
use scrim_host::Host;
use scrim_tests::{wasm_artifact, workspace_root};

#[test]
fn vectors_agree_natively_and_in_the_filter_under_every_chunking() {
    let host = Host::from_file(wasm_artifact("scrim_envoy.wasm")).expect("the filter loads");
    let files = collect(&[workspace_root().join("tests/vectors")]);
    assert!(files.len() >= 10, "expected the conformance corpus, found {} vectors", files.len());
    let mut failures = Vec::new();
    for path in &files {
        let loaded = load(path).expect("vector loads");
        let problems = check_vector(&loaded, Some(&host));
        if !problems.is_empty() {
            failures.push(format!("{}:\n  {}", path.display(), problems.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{} of {} vectors failed:\n{}", failures.len(), files.len(), failures.join("\n"));
}
