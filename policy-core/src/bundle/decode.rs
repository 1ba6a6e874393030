//! Reading the bundle model from the parsed tree by hand ([`crate::json::decode`]): the same
//! keys, defaults and errors as the serde derives, without their visitors in the filter.

use super::consent::{
    Consent, ConsentCategory, ConsentMode, ConsentService, GpcMode, Jurisdiction, MinimizeRule,
};
use super::detectors::{
    BuiltinConfig, BuiltinSetting, CustomDetector, Detectors, DictionaryDetector, Pack,
    RegexDetector, ValidatorName,
};
use super::fields::FieldRule;
use super::model::{Bundle, Category, PiplVolume};
use super::redaction::{MaskPreset, Redaction, RedactionOverride};
use super::retention::Retention;
use super::routes::{Direction, HttpMethod, Profile, Route};
use super::transfers::{Action, Basis, Mode, Recipient, RecipientMatch, TransferRule, When};
use crate::json::decode::{Decode, Obj, decode_enum, decode_struct, wrong};
use crate::json::{DeError, Value, ValueKind};

decode_struct!(Bundle {
    "$schema" => schema: def,
    "scrim" => scrim: req,
    "name" => name: req,
    "revision" => revision: req,
    "description" => description: def,
    "home_region" => home_region: def,
    "dry_run" => dry_run: def,
    "categories" => categories: req,
    "detectors" => detectors: def,
    "fields" => fields: def,
    "redaction" => redaction: def,
    "profiles" => profiles: def,
    "routes" => routes: def,
    "regions" => regions: def,
    "recipients" => recipients: def,
    "transfers" => transfers: def,
    "consent" => consent: def,
    "minimize" => minimize: def,
    "retention" => retention: def,
    "localities" => localities: def,
    "pipl_volume" => pipl_volume: def,
});

decode_struct!(PiplVolume {
    "non_sensitive_individuals" => non_sensitive_individuals: def,
    "sensitive_individuals" => sensitive_individuals: def,
    "ciio" => ciio: def,
    "important_data" => important_data: def,
});

decode_struct!(Category {
    "id" => id: req,
    "label" => label: req,
    "sensitive" => sensitive: def,
    "description" => description: def,
});

decode_struct!(Consent {
    "revision" => revision: req,
    "categories" => categories: req,
    "services" => services: def,
    "jurisdictions" => jurisdictions: def,
    "gpc" => gpc: def,
});

decode_struct!(ConsentCategory {
    "id" => id: req,
    "label" => label: req,
    "required" => required: def,
    "description" => description: def,
});

decode_struct!(ConsentService {
    "id" => id: req,
    "category" => category: req,
    "label" => label: req,
    "cookies" => cookies: def,
    "recipient" => recipient: def,
});

decode_struct!(Jurisdiction {
    "regions" => regions: req,
    "mode" => mode: req,
});

decode_enum!(ConsentMode {
    "opt-in" => OptIn,
    "opt-out" => OptOut,
    "notice" => Notice,
});

decode_enum!(GpcMode {
    "opt-out-sale-share" => OptOutSaleShare,
    "opt-out-all" => OptOutAll,
    "ignore" => Ignore,
});

decode_struct!(MinimizeRule {
    "id" => id: req,
    "destinations" => destinations: req,
    "allow" => allow: def,
    "consent" => consent: def,
});

decode_struct!(Detectors {
    "builtin" => builtin: def,
    "packs" => packs: def,
    "custom" => custom: def,
});

impl Decode for BuiltinSetting {
    fn decode(v: &Value) -> Result<BuiltinSetting, DeError> {
        match v.kind {
            ValueKind::Bool(on) => Ok(BuiltinSetting::Enabled(on)),
            ValueKind::Object(_) => BuiltinConfig::decode(v).map(BuiltinSetting::Configured),
            _ => Err(wrong(
                v,
                "`true`, `false` or an object with `enabled` and `category`",
            )),
        }
    }
}

decode_struct!(BuiltinConfig {
    "enabled" => enabled: or(true),
    "category" => category: def,
});

decode_enum!(Pack {
    "in" => In,
    "sg" => Sg,
    "kr" => Kr,
    "jp" => Jp,
    "br" => Br,
    "es" => Es,
    "it" => It,
    "fr" => Fr,
    "de" => De,
    "gb" => Gb,
    "pl" => Pl,
    "hk" => Hk,
    "tw" => Tw,
});

impl Decode for CustomDetector {
    fn decode(v: &Value) -> Result<CustomDetector, DeError> {
        let Some(tag) = v.get("type") else {
            return match v.kind {
                ValueKind::Object(_) => Err(DeError::new("missing field `type`".into(), v.span)),
                _ => Err(wrong(v, "an object with a `type`")),
            };
        };
        let kind = crate::json::decode::variant(tag, &["regex", "dictionary"])
            .map_err(|e| e.under("type"))?;
        let o = |fields: &[&str]| Obj::new(v, fields);
        if kind == 0 {
            let o = o(&[
                "type",
                "id",
                "pattern",
                "category",
                "context",
                "context_required",
                "validator",
            ])?;
            Ok(CustomDetector::Regex(RegexDetector {
                id: o.req("id")?,
                pattern: o.req("pattern")?,
                category: o.req("category")?,
                context: o.def("context")?,
                context_required: o.def("context_required")?,
                validator: o.def("validator")?,
            }))
        } else {
            let o = o(&[
                "type",
                "id",
                "words",
                "category",
                "case_sensitive",
                "context",
                "context_required",
                "validator",
            ])?;
            Ok(CustomDetector::Dictionary(DictionaryDetector {
                id: o.req("id")?,
                words: o.req("words")?,
                category: o.req("category")?,
                case_sensitive: o.def("case_sensitive")?,
                context: o.def("context")?,
                context_required: o.def("context_required")?,
                validator: o.def("validator")?,
            }))
        }
    }
}

decode_enum!(ValidatorName {
    "luhn" => Luhn,
    "mod97" => Mod97,
    "mod11_2" => Mod11_2,
});

decode_struct!(FieldRule {
    "id" => id: req,
    "paths" => paths: def,
    "keys" => keys: def,
    "category" => category: def,
    "ignore" => ignore: def,
});

decode_struct!(Redaction {
    "default" => default: def,
    "categories" => categories: def,
    "detectors" => detectors: def,
    "audiences" => audiences: def,
});

decode_struct!(RedactionOverride {
    "default" => default: def,
    "categories" => categories: def,
    "detectors" => detectors: def,
});

decode_enum!(MaskPreset {
    "phone" => Phone,
    "cn_id" => CnId,
    "card" => Card,
    "email" => Email,
});

decode_struct!(Retention {
    "period" => period: req,
    "basis" => basis: def,
    "note" => note: def,
});

decode_struct!(Profile {
    "description" => description: def,
    "redact_sensitive" => redact_sensitive: def,
    "deny_outside_home" => deny_outside_home: def,
    "redaction" => redaction: def,
});

decode_struct!(Route {
    "id" => id: req,
    "hosts" => hosts: def,
    "paths" => paths: def,
    "methods" => methods: def,
    "direction" => direction: def,
    "profile" => profile: def,
    "recipient" => recipient: def,
    "bulk_limit" => bulk_limit: def,
});

decode_enum!(Direction {
    "response" => Response,
    "request" => Request,
    "both" => Both,
});

decode_enum!(HttpMethod {
    "GET" => Get,
    "HEAD" => Head,
    "POST" => Post,
    "PUT" => Put,
    "PATCH" => Patch,
    "DELETE" => Delete,
    "OPTIONS" => Options,
});

decode_struct!(Recipient {
    "id" => id: req,
    "name" => name: def,
    "region" => region: req,
    "attributes" => attributes: def,
    "purposes" => purposes: def,
    "match" => matcher: def,
});

decode_struct!(RecipientMatch {
    "clusters" => clusters: def,
    "route_metadata" => route_metadata: def,
    "hosts" => hosts: def,
});

decode_struct!(TransferRule {
    "id" => id: req,
    "description" => description: def,
    "from" => from: def,
    "to" => to: def,
    "recipients" => recipients: def,
    "categories" => categories: def,
    "when" => when: def,
    "action" => action: req,
    "status" => status: def,
    "redact" => redact: def,
    "basis" => basis: def,
    "mode" => mode: def,
});

decode_struct!(When {
    "gpc" => gpc: def,
    "consent_missing" => consent_missing: def,
    "audiences" => audiences: def,
    "subject" => subject: def,
});

decode_enum!(Action {
    "allow" => Allow,
    "redact" => Redact,
    "deny" => Deny,
});

decode_enum!(Mode {
    "enforce" => Enforce,
    "shadow" => Shadow,
});

decode_enum!(Basis {
    "adequacy" => Adequacy,
    "dpf" => Dpf,
    "scc" => Scc,
    "bcr" => Bcr,
    "consent" => Consent,
    "contract" => Contract,
    "exempt" => Exempt,
    "pipl_standard_contract" => PiplStandardContract,
    "pipl_certification" => PiplCertification,
    "pipl_security_assessment" => PiplSecurityAssessment,
});

#[cfg(test)]
mod tests {
    extern crate std;

    use std::fs;
    use std::path::Path;
    use std::string::{String, ToString};
    use std::vec::Vec;

    use super::*;
    use crate::json;

    /// Every bundle under `dir` (recursively) as (path, text).
    fn bundles(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                bundles(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path.display().to_string(), text));
            }
        }
    }

    #[test]
    fn reads_every_bundle_as_the_serde_derives_do() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut all = Vec::new();
        for dir in ["policies", "tests/fixtures/bundles"] {
            bundles(&root.join(dir), &mut all);
        }
        let mut compared = 0;
        for (path, text) in &all {
            let Ok(tree) = json::parse(text) else {
                continue;
            };
            let ours = Bundle::decode(&tree);
            let theirs = serde_json::from_str::<Bundle>(text);
            match (&ours, &theirs) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a, b, "{path}");
                    compared += 1;
                }
                (Err(_), Err(_)) => {}
                _ => panic!("{path}: hand decode {ours:?} but serde {theirs:?}"),
            }
        }
        assert!(compared >= 4, "only {compared} bundles read");
    }

    #[test]
    fn errors_name_the_field_its_pointer_and_line() {
        let text = "{\"scrim\": 1, \"name\": \"a\", \"revision\": \"1\",\n \"categories\": [\n  {\"id\": \"c\", \"lable\": \"C\"}]}";
        let tree = json::parse(text).unwrap();
        let e = Bundle::decode(&tree).unwrap_err();
        assert_eq!(e.pointer(), "/categories/0/lable");
        assert_eq!(e.line_column(), Some((3, 15)));
        assert!(
            e.message()
                .starts_with("unknown field `lable`, expected one of `id`, `label`"),
            "{}",
            e.message()
        );

        let tree = json::parse(r#"{"type": "regex", "id": "x", "category": "c"}"#).unwrap();
        let e = CustomDetector::decode(&tree).unwrap_err();
        assert_eq!(e.message(), "missing field `pattern`");

        let tree = json::parse(r#"{"method": "mask", "template": "x"}"#).unwrap();
        let e = super::super::Method::decode(&tree).unwrap_err();
        assert!(e.message().contains("template"), "{}", e.message());

        let tree = json::parse(r#"["GET", "FETCH"]"#).unwrap();
        let e = Vec::<HttpMethod>::decode(&tree).unwrap_err();
        assert_eq!(e.pointer(), "/1");
        assert!(
            e.message().starts_with("unknown variant `FETCH`"),
            "{}",
            e.message()
        );
    }
}
