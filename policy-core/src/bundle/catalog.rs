//! The built-in detector ids the validator knows, with their default categories and state.
//!
//! The detector engine owns the detectors themselves; this table is what a bundle may refer
//! to. It agrees with the `detectors.builtin` properties of the JSON Schema (a test checks).

use super::detectors::Pack;

/// One built-in detector as a bundle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinDetector {
    /// The id used in `detectors.builtin` and `redaction.detectors`, e.g. `cn_mobile`.
    pub id: &'static str,
    /// The category its findings get unless the bundle assigns another.
    pub category: &'static str,
    /// Whether it runs when a bundle does not mention it (country-pack detectors run only
    /// when their pack is listed).
    pub default_on: bool,
    /// The country pack that switches it on, for national id detectors.
    pub pack: Option<Pack>,
}

const fn on(id: &'static str, category: &'static str) -> BuiltinDetector {
    BuiltinDetector {
        id,
        category,
        default_on: true,
        pack: None,
    }
}

const fn pack(id: &'static str, pack: Pack) -> BuiltinDetector {
    BuiltinDetector {
        id,
        category: "government_id",
        default_on: false,
        pack: Some(pack),
    }
}

/// Every built-in detector. Context-gated detectors (`passport`, `gps`, ...) are on by
/// default but report only with a key hint or a nearby context word.
pub const BUILTIN_DETECTORS: &[BuiltinDetector] = &[
    on("email", "contact"),
    on("cn_mobile", "contact"),
    on("phone_intl", "contact"),
    on("payment_card", "financial"),
    on("iban", "financial"),
    on("cn_resident_id", "government_id"),
    on("cn_uscc", "government_id"),
    on("us_ssn", "government_id"),
    on("ipv4", "online_id"),
    on("ipv6", "online_id"),
    on("mac", "online_id"),
    on("imei", "online_id"),
    on("jwt", "credentials"),
    on("bearer_token", "credentials"),
    on("aws_access_key", "credentials"),
    on("pem_private_key", "credentials"),
    on("url_credentials", "credentials"),
    on("passport", "government_id"),
    on("date_of_birth", "identity"),
    on("person_name", "identity"),
    on("postal_address", "contact"),
    on("landline", "contact"),
    on("us_ssn_plain", "government_id"),
    on("cn_resident_id_legacy", "government_id"),
    on("gps", "location"),
    on("cn_license_plate", "location"),
    pack("in_aadhaar", Pack::In),
    pack("sg_nric", Pack::Sg),
    pack("kr_rrn", Pack::Kr),
    pack("jp_my_number", Pack::Jp),
    pack("br_cpf", Pack::Br),
    pack("es_dni", Pack::Es),
    pack("it_codice_fiscale", Pack::It),
    pack("fr_nir", Pack::Fr),
    pack("de_steuer_id", Pack::De),
    pack("gb_nino", Pack::Gb),
    pack("gb_nhs", Pack::Gb),
    pack("pl_pesel", Pack::Pl),
    pack("hk_id", Pack::Hk),
    pack("tw_id", Pack::Tw),
];

/// Looks up a built-in detector by id.
pub fn builtin_detector(id: &str) -> Option<&'static BuiltinDetector> {
    BUILTIN_DETECTORS.iter().find(|d| d.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_table_agree() {
        for p in Pack::ALL {
            for id in p.detectors() {
                assert_eq!(builtin_detector(id).and_then(|d| d.pack), Some(p), "{id}");
            }
        }
    }
}
