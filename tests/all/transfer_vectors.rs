//! Runs every transfer vector in `tests/decisions/` through the native decision engine.
//!
//! A vector names a bundle, a request (method, path, headers as an object, optional
//! `properties`: `xds.cluster_name`, `xds.route_metadata.scrim.recipient`,
//! `upstream.locality.region`, `scrim.categories`, `scrim.profile`, `scrim.audience`), a date,
//! and the expected decision. Only the keys given under `expect.decision` are compared.
//! `bundle_overrides` (optional) replaces top-level keys of the bundle for that vector.

use scrim_core::law::{Date, LawData};
use scrim_core::transfer::{RegionChain, RequestFacts, TransferPolicy};
use serde_json::Value;
use std::fs;

fn run_vector(path: &std::path::Path, law: &LawData) -> Result<(), String> {
    let root = scrim_tests::workspace_root();
    let v: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let bundle_path = root.join(v["bundle"].as_str().expect("bundle path"));
    let mut text = fs::read_to_string(&bundle_path).unwrap();
    // `bundle_overrides`: top-level bundle keys replaced for this vector (a variant of a
    // shipped bundle without a copy of it).
    if let Some(over) = v.get("bundle_overrides").and_then(Value::as_object) {
        let mut doc: Value = serde_json::from_str(&text).unwrap();
        for (k, val) in over {
            doc[k.as_str()] = val.clone();
        }
        text = serde_json::to_string(&doc).unwrap();
    }
    let policy = TransferPolicy::from_bundle_json(&text)
        .map_err(|e| format!("{}: {e}", bundle_path.display()))?;
    let req = &v["request"];
    let headers: Vec<(String, String)> = req["headers"]
        .as_object()
        .expect("headers object")
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap().to_owned()))
        .collect();
    let props = &req["properties"];
    let prop = |k: &str| props.get(k).and_then(Value::as_str);
    let categories: Option<Vec<String>> = props.get("scrim.categories").map(|c| {
        c.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect()
    });
    let host = headers
        .iter()
        .find(|(k, _)| k == "host" || k == ":authority")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let facts = RequestFacts {
        method: req["method"].as_str().unwrap_or("GET"),
        path: req["path"].as_str().unwrap_or("/"),
        host: &host,
        cluster: prop("xds.cluster_name"),
        route_metadata: prop("xds.route_metadata.scrim.recipient"),
        upstream_region: prop("upstream.locality.region"),
        audience: prop("scrim.audience"),
        profile: prop("scrim.profile"),
        categories: categories.as_deref(),
        at: Date::parse_rfc3339(v["at"].as_str().unwrap()).unwrap(),
        ..RequestFacts::new(&headers)
    };
    let decision = policy.decide_request(law, &RegionChain::default(), &facts);
    let got = serde_json::to_value(&decision).unwrap();
    let want = v["expect"]["decision"]
        .as_object()
        .expect("expect.decision");
    assert!(!want.is_empty(), "{}: expects nothing", path.display());
    for (key, expected) in want {
        if &got[key] != expected {
            return Err(format!(
                "{}: `{key}` is {} but the vector expects {}\nfull decision: {got:#}",
                path.display(),
                got[key],
                expected
            ));
        }
    }
    // A denial always renders a problem body that names the deciding rule.
    if let Some(p) = decision.problem("/test", Some("https://gateway.example")) {
        assert_eq!(Some(u64::from(p.status)), got["status"].as_u64());
        let body: Value = serde_json::from_str(&p.body).unwrap();
        let last = decision.rules.last().unwrap();
        assert!(body["detail"].as_str().unwrap().contains(last.as_str()));
    }
    Ok(())
}

#[test]
fn transfer_vectors() {
    let root = scrim_tests::workspace_root();
    let law = LawData::from_json(
        &fs::read_to_string(root.join("policies/reference/transfer-law.json")).unwrap(),
    )
    .unwrap();
    let mut paths: Vec<_> = fs::read_dir(root.join("tests/decisions"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 3, "the three scenarios have vectors");
    let failures: Vec<String> = paths
        .iter()
        .filter_map(|p| run_vector(p, &law).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
