//! National ID validators against oracle-labelled vectors.
//!
//! The vectors in `tests/data/checksums/national/` were written by `generate.py` there and
//! labelled by python-stdnum (or, for formats stdnum lacks, by a reference implementation
//! checked against published vectors). Every valid value must pass and every invalid value
//! must fail; `kr_rrn` additionally has values whose answer must be `Unknown`.

use scrim_core::checksum::national::{
    Validity, br_cpf, de_steuer_id, es_dni, es_nie, fr_nir, gb_nhs, gb_nino, hk_id, in_aadhaar,
    it_codice_fiscale, jp_my_number, kr_rrn, pl_pesel, sg_nric, tw_id,
};
use serde_json::Value;

/// The smallest number of values each list must hold, so a truncated file cannot pass.
const MIN_VECTORS: usize = 200;

/// A signature shared by the two-state validators.
type Validator = fn(&[u8]) -> bool;

/// The strings under `key`, or a message saying why there are none.
fn list<'a>(doc: &'a Value, key: &str) -> Result<Vec<&'a str>, String> {
    let values = doc
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no `{key}` array"))?;
    values
        .iter()
        .map(|v| {
            v.as_str()
                .ok_or_else(|| format!("`{v}` in `{key}` is not a string"))
        })
        .collect()
}

/// Runs `validate` over one vector file and returns a line per disagreement or defect.
fn check(name: &str, json: &str, validate: impl Fn(&[u8]) -> Validity) -> Vec<String> {
    let doc: Value = match serde_json::from_str(json) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("{name}: vector file is not JSON: {e}")],
    };
    let mut failures = Vec::new();
    if doc.get("format").and_then(Value::as_str) != Some(name) {
        failures.push(format!("{name}: the vector file names another format"));
    }
    for (key, expected) in [("valid", Validity::Valid), ("invalid", Validity::Invalid)] {
        let values = match list(&doc, key) {
            Ok(values) => values,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        if values.len() < MIN_VECTORS {
            failures.push(format!("{name}: only {} {key} values", values.len()));
        }
        for value in values {
            let got = validate(value.as_bytes());
            if got != expected {
                failures.push(format!("{name}: `{value}` is {expected:?}, got {got:?}"));
            }
        }
    }
    failures
}

fn two_state(validate: Validator) -> impl Fn(&[u8]) -> Validity {
    move |input| {
        if validate(input) {
            Validity::Valid
        } else {
            Validity::Invalid
        }
    }
}

macro_rules! vectors {
    ($name:literal) => {
        include_str!(concat!("data/checksums/national/", $name, ".json"))
    };
}

#[test]
fn two_state_validators_agree_with_the_oracle() {
    let cases: [(&str, &str, Validator); 14] = [
        ("in_aadhaar", vectors!("in_aadhaar"), in_aadhaar),
        ("sg_nric", vectors!("sg_nric"), sg_nric),
        ("jp_my_number", vectors!("jp_my_number"), jp_my_number),
        ("br_cpf", vectors!("br_cpf"), br_cpf),
        ("es_dni", vectors!("es_dni"), es_dni),
        ("es_nie", vectors!("es_nie"), es_nie),
        (
            "it_codice_fiscale",
            vectors!("it_codice_fiscale"),
            it_codice_fiscale,
        ),
        ("fr_nir", vectors!("fr_nir"), fr_nir),
        ("de_steuer_id", vectors!("de_steuer_id"), de_steuer_id),
        ("gb_nino", vectors!("gb_nino"), gb_nino),
        ("gb_nhs", vectors!("gb_nhs"), gb_nhs),
        ("pl_pesel", vectors!("pl_pesel"), pl_pesel),
        ("hk_id", vectors!("hk_id"), hk_id),
        ("tw_id", vectors!("tw_id"), tw_id),
    ];
    let failures: Vec<String> = cases
        .into_iter()
        .flat_map(|(name, json, validate)| check(name, json, two_state(validate)))
        .collect();
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn kr_rrn_agrees_with_the_oracle_and_the_unknown_rule() {
    let json = vectors!("kr_rrn");
    let mut failures = check("kr_rrn", json, kr_rrn);
    let doc: Value = serde_json::from_str(json).unwrap();
    let unknown = list(&doc, "unknown").unwrap();
    // Unknown only arises for births since 2020-10, so this list is smaller.
    assert!(
        unknown.len() >= 20,
        "kr_rrn: only {} unknown values",
        unknown.len()
    );
    for value in unknown {
        let got = kr_rrn(value.as_bytes());
        if got != Validity::Unknown {
            failures.push(format!("kr_rrn: `{value}` is Unknown, got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} disagreements:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
