//! The built-in detectors: ids, default categories, tiers and what each one finds.

use super::Tier;

/// One built-in detector as shipped: what a bundle can name and what it does by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinSpec {
    /// Stable id used in bundles, e.g. `cn_mobile`.
    pub id: &'static str,
    /// Category a finding gets unless the bundle overrides it, e.g. `contact`.
    pub category: &'static str,
    /// How the detector earns a finding (checksum, context, country pack).
    pub tier: Tier,
    /// Country pack code (`"in"`, `"sg"`, ...) that enables the detector, if it belongs to one.
    pub pack: Option<&'static str>,
    /// Whether the detector runs when the bundle does not mention it.
    pub default_enabled: bool,
    /// Whether its findings are PIPL "sensitive personal information" (financial accounts,
    /// identity documents, location tracks).
    pub sensitive: bool,
    /// One line for `scrim explain` and the generated notice.
    pub description: &'static str,
}

/// Index of each built-in detector in [`CATALOGUE`] (and so its [`super::DetectorIndex`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub(crate) enum Builtin {
    Email,
    CnMobile,
    PhoneIntl,
    PaymentCard,
    Iban,
    CnResidentId,
    CnUscc,
    UsSsn,
    Ipv4,
    Ipv6,
    Mac,
    Imei,
    Jwt,
    BearerToken,
    AwsAccessKey,
    PemPrivateKey,
    UrlCredentials,
    Passport,
    DateOfBirth,
    PersonName,
    PostalAddress,
    Landline,
    UsSsnPlain,
    CnResidentIdLegacy,
    Gps,
    CnLicensePlate,
    InAadhaar,
    SgNric,
    KrRrn,
    JpMyNumber,
    BrCpf,
    EsDni,
    ItCodiceFiscale,
    FrNir,
    DeSteuerId,
    GbNino,
    GbNhs,
    PlPesel,
    HkId,
    TwId,
    CredentialKey,
}

impl Builtin {
    /// Position in [`CATALOGUE`].
    pub(crate) const fn index(self) -> u16 {
        self as u16
    }
}

const fn v(
    id: &'static str,
    category: &'static str,
    sensitive: bool,
    description: &'static str,
) -> BuiltinSpec {
    BuiltinSpec {
        id,
        category,
        tier: Tier::Validated,
        pack: None,
        default_enabled: true,
        sensitive,
        description,
    }
}

const fn g(
    id: &'static str,
    category: &'static str,
    sensitive: bool,
    description: &'static str,
) -> BuiltinSpec {
    BuiltinSpec {
        id,
        category,
        tier: Tier::ContextGated,
        pack: None,
        default_enabled: true,
        sensitive,
        description,
    }
}

const fn p(id: &'static str, pack: &'static str, description: &'static str) -> BuiltinSpec {
    BuiltinSpec {
        id,
        category: "government_id",
        tier: Tier::CountryPack,
        pack: Some(pack),
        default_enabled: false,
        sensitive: true,
        description,
    }
}

/// Every built-in detector, in [`super::DetectorIndex`] order.
pub(crate) static CATALOGUE: [BuiltinSpec; 41] = [
    v(
        "email",
        "contact",
        false,
        "email address (local part, @, a domain with a letter TLD)",
    ),
    v(
        "cn_mobile",
        "contact",
        false,
        "mainland China mobile number, 1[3-9] + 9 digits, with or without +86/0086, spaced or dashed",
    ),
    v(
        "phone_intl",
        "contact",
        false,
        "international phone number written with + and a country code (E.164, spaces or dashes)",
    ),
    v(
        "payment_card",
        "financial",
        true,
        "payment card number, 13-19 digits, Luhn and issuer prefix (17-18 digits, and UnionPay 62 failing Luhn, only with context)",
    ),
    v(
        "iban",
        "financial",
        true,
        "IBAN with mod 97 check and the country's length, spaced or not",
    ),
    v(
        "cn_resident_id",
        "government_id",
        true,
        "China resident ID (18 characters, MOD 11-2, real birth date, real province code)",
    ),
    v(
        "cn_uscc",
        "government_id",
        false,
        "China Unified Social Credit Code (GB 32100 mod 31)",
    ),
    v(
        "us_ssn",
        "government_id",
        true,
        "US Social Security number written ###-##-#### (area, group and serial rules)",
    ),
    v(
        "ipv4",
        "online_id",
        false,
        "IPv4 address (four decimal octets, parse-validated)",
    ),
    v(
        "ipv6",
        "online_id",
        false,
        "IPv6 address (parse-validated, with :: and embedded IPv4 forms)",
    ),
    v(
        "mac",
        "online_id",
        false,
        "MAC address (six hex pairs with : or -)",
    ),
    v(
        "imei",
        "online_id",
        false,
        "IMEI (15 digits, Luhn, known reporting-body prefix)",
    ),
    v(
        "jwt",
        "credentials",
        false,
        "JSON Web Token (eyJ header, payload and signature)",
    ),
    v(
        "bearer_token",
        "credentials",
        false,
        "token after `Bearer ` (the token only)",
    ),
    v(
        "aws_access_key",
        "credentials",
        false,
        "AWS access key id (AKIA/ASIA... + 16 characters)",
    ),
    v(
        "pem_private_key",
        "credentials",
        false,
        "PEM private key block (BEGIN ... PRIVATE KEY to END)",
    ),
    v(
        "url_credentials",
        "credentials",
        false,
        "user:password inside a URL",
    ),
    g(
        "passport",
        "government_id",
        true,
        "passport number (CN E/G prefixed, US 9 digits, generic letters+digits); needs context",
    ),
    g(
        "date_of_birth",
        "identity",
        true,
        "birth date (ISO, slashed, dotted, 8 digits, 年月日); needs context",
    ),
    g(
        "person_name",
        "identity",
        false,
        "person name: the value of a name key, or a Han name (surname dictionary) after a name word",
    ),
    g(
        "postal_address",
        "contact",
        false,
        "postal address: the value of an address key, or a Chinese address after an address word",
    ),
    g(
        "landline",
        "contact",
        false,
        "landline number with area code (0xx-xxxxxxxx); needs context",
    ),
    g(
        "us_ssn_plain",
        "government_id",
        true,
        "US SSN written as 9 plain digits; needs context",
    ),
    g(
        "cn_resident_id_legacy",
        "government_id",
        true,
        "China 15-digit legacy resident ID (real date and province); needs context",
    ),
    g(
        "gps",
        "location",
        true,
        "GPS coordinates (latitude, longitude decimal pair, or a lat/lng key's value); needs context",
    ),
    g(
        "cn_license_plate",
        "location",
        false,
        "China vehicle licence plate (province character + letter + 5-6 characters); needs context",
    ),
    p(
        "in_aadhaar",
        "in",
        "India Aadhaar number (12 digits, Verhoeff; with context)",
    ),
    p("sg_nric", "sg", "Singapore NRIC/FIN"),
    p(
        "kr_rrn",
        "kr",
        "Korea resident registration number (with context)",
    ),
    p(
        "jp_my_number",
        "jp",
        "Japan My Number (12 digits; with context)",
    ),
    p(
        "br_cpf",
        "br",
        "Brazil CPF (bare 11 digits only with context)",
    ),
    p("es_dni", "es", "Spain DNI/NIE"),
    p("it_codice_fiscale", "it", "Italy codice fiscale"),
    p("fr_nir", "fr", "France NIR (social security number)"),
    p("de_steuer_id", "de", "Germany Steuer-ID (with context)"),
    p("gb_nino", "gb", "UK National Insurance number"),
    p("gb_nhs", "gb", "UK NHS number (with context)"),
    p("pl_pesel", "pl", "Poland PESEL (with context)"),
    p("hk_id", "hk", "Hong Kong identity card number"),
    p("tw_id", "tw", "Taiwan national ID (with context)"),
    g(
        "credential_key",
        "credentials",
        false,
        "whole value under a password/secret/token/api_key key",
    ),
];

/// Country pack codes accepted by [`super::DetectorsBuilder::pack`].
pub(crate) const PACKS: [&str; 13] = [
    "in", "sg", "kr", "jp", "br", "es", "it", "fr", "de", "gb", "pl", "hk", "tw",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_order_matches_catalogue() {
        assert_eq!(CATALOGUE[Builtin::Email.index() as usize].id, "email");
        assert_eq!(
            CATALOGUE[Builtin::CnLicensePlate.index() as usize].id,
            "cn_license_plate"
        );
        assert_eq!(CATALOGUE[Builtin::TwId.index() as usize].id, "tw_id");
        assert_eq!(
            CATALOGUE[Builtin::CredentialKey.index() as usize].id,
            "credential_key"
        );
        for spec in &CATALOGUE {
            if let Some(pack) = spec.pack {
                assert!(PACKS.contains(&pack), "{} has unknown pack", spec.id);
            }
        }
    }
}
