//! Region resolution: where the data subject belongs and where the client is, from an ordered
//! chain of trusted inputs configured per deployment.
//!
//! The chain is read in order and the first input that gives a usable code wins:
//!
//! 1. a **verified claim** (a header `jwt_authn` wrote with `claim_to_headers`, or a value
//!    from dynamic metadata the caller read);
//! 2. **geo headers** written by Envoy's geoip filter or a CDN (`x-geo-country`,
//!    `cf-ipcountry` where `XX` and `T1` mean unknown, `x-appengine-country` with `ZZ`), with an
//!    optional subdivision header (`x-geo-region: CA` + `US` → `US-CA`);
//! 3. otherwise **unknown**, which decisions treat as the most protective case.
//!
//! Only headers the first trusted hop strips from client input belong in the chain.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use crate::law::is_region_code;

/// Read-only access to request headers (names compare case-insensitively).
pub trait HeaderSource {
    /// The first value of header `name`.
    fn header(&self, name: &str) -> Option<&str>;
}

impl HeaderSource for [(String, String)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl HeaderSource for [(&str, &str)] {
    fn header(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }
}

impl HeaderSource for Vec<(String, String)> {
    fn header(&self, name: &str) -> Option<&str> {
        self.as_slice().header(name)
    }
}

/// One trusted input of a [`RegionChain`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegionSource {
    /// A header carrying a verified residency claim (`x-scrim-residency`).
    Claim {
        /// Header name.
        header: String,
    },
    /// A geo header with a country code, values meaning "unknown", and an optional header with
    /// the subdivision.
    Geo {
        /// Header with the ISO country (`x-geo-country`, `cf-ipcountry`).
        header: String,
        /// Values that mean unknown (`XX`, `T1` for Cloudflare; `ZZ` for App Engine).
        unknown: Vec<String>,
        /// Header with the subdivision code (`x-geo-region`: `CA`), if any.
        subdivision: Option<String>,
    },
}

/// Which kind of input decided the subject's region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionOrigin {
    /// A verified claim.
    Claim,
    /// Network geolocation.
    Geo,
    /// Nothing usable: the most protective case.
    Unknown,
}

/// The resolved regions of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// Verified residency from a claim, if any.
    pub residency: Option<String>,
    /// Verified citizenship from a claim, if any (Russian localisation needs it).
    pub citizenship: Option<String>,
    /// Where the client is, from geolocation, if known.
    pub client: Option<String>,
    /// Which input decided [`Subject::region`].
    pub origin: RegionOrigin,
    /// Header names consulted (for `Vary`).
    pub vary: Vec<String>,
}

impl Subject {
    /// The effective region: residency claim, else client geolocation, else `None` (unknown).
    #[must_use]
    pub fn region(&self) -> Option<&str> {
        self.residency.as_deref().or(self.client.as_deref())
    }

    /// A subject with nothing known.
    #[must_use]
    pub fn unknown() -> Subject {
        Subject {
            residency: None,
            citizenship: None,
            client: None,
            origin: RegionOrigin::Unknown,
            vary: Vec::new(),
        }
    }
}

/// The ordered chain of trusted region inputs for a deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionChain {
    /// Inputs in order of trust.
    pub sources: Vec<RegionSource>,
    /// Header carrying a verified citizenship claim, if any.
    pub citizenship_header: Option<String>,
}

impl Default for RegionChain {
    /// `x-scrim-residency` (claim), then `x-geo-country` + `x-geo-region` (Envoy geoip), then
    /// `cf-ipcountry` (`XX`, `T1` unknown); citizenship from `x-scrim-citizenship`.
    fn default() -> Self {
        RegionChain {
            sources: Vec::from([
                RegionSource::Claim {
                    header: "x-scrim-residency".to_owned(),
                },
                RegionSource::Geo {
                    header: "x-geo-country".to_owned(),
                    unknown: Vec::new(),
                    subdivision: Some("x-geo-region".to_owned()),
                },
                RegionSource::Geo {
                    header: "cf-ipcountry".to_owned(),
                    unknown: Vec::from(["XX".to_owned(), "T1".to_owned()]),
                    subdivision: None,
                },
            ]),
            citizenship_header: Some("x-scrim-citizenship".to_owned()),
        }
    }
}

/// Normalises a header value to a region code, or `None` if it is not one. Accepts lower case
/// and surrounding spaces; group names (`EEA`) in a claim are kept as they are.
fn normalize(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_uppercase();
    if is_region_code(&v) {
        return Some(v);
    }
    // A claim may name a group (`EU`, `EEA`): upper-case letters only, 2..16 long.
    (v.len() > 2 && v.len() <= 16 && v.bytes().all(|b| b.is_ascii_uppercase())).then_some(v)
}

impl RegionChain {
    /// A chain built from the gateway options: one claim header and one geo header.
    #[must_use]
    pub fn from_headers(claim_header: &str, region_header: &str) -> RegionChain {
        RegionChain {
            sources: Vec::from([
                RegionSource::Claim {
                    header: claim_header.to_owned(),
                },
                RegionSource::Geo {
                    header: region_header.to_owned(),
                    unknown: Vec::from(["XX".to_owned(), "T1".to_owned(), "ZZ".to_owned()]),
                    subdivision: None,
                },
            ]),
            citizenship_header: None,
        }
    }

    /// Resolves the subject's regions from request headers.
    pub fn resolve<H: HeaderSource + ?Sized>(&self, headers: &H) -> Subject {
        let mut subject = Subject::unknown();
        if let Some(name) = &self.citizenship_header {
            subject.vary.push(name.clone());
            subject.citizenship = headers
                .header(name)
                .and_then(normalize)
                .filter(|c| is_region_code(c));
        }
        for source in &self.sources {
            match source {
                RegionSource::Claim { header } => {
                    subject.vary.push(header.clone());
                    if subject.residency.is_none() {
                        subject.residency = headers.header(header).and_then(normalize);
                    }
                }
                RegionSource::Geo {
                    header,
                    unknown,
                    subdivision,
                } => {
                    if subject.residency.is_some() || subject.client.is_some() {
                        // Already decided; later inputs are not read and need no Vary.
                        continue;
                    }
                    subject.vary.push(header.clone());
                    let country = headers
                        .header(header)
                        .and_then(normalize)
                        .filter(|c| is_region_code(c) && !unknown.iter().any(|u| u == c));
                    if let Some(country) = country {
                        let sub = subdivision.as_ref().and_then(|name| {
                            subject.vary.push(name.clone());
                            headers.header(name)
                        });
                        subject.client = Some(match sub.map(str::trim) {
                            Some(s)
                                if !s.is_empty()
                                    && !country.contains('-')
                                    && is_region_code(&alloc::format!(
                                        "{country}-{}",
                                        s.to_ascii_uppercase()
                                    )) =>
                            {
                                alloc::format!("{country}-{}", s.to_ascii_uppercase())
                            }
                            _ => country,
                        });
                    }
                }
            }
        }
        subject.origin = if subject.residency.is_some() {
            RegionOrigin::Claim
        } else if subject.client.is_some() {
            RegionOrigin::Geo
        } else {
            RegionOrigin::Unknown
        };
        subject
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(headers: &[(&str, &str)]) -> Subject {
        RegionChain::default().resolve(headers)
    }

    #[test]
    fn claim_wins_over_geo() {
        let s = resolve(&[("X-Scrim-Residency", "de"), ("x-geo-country", "US")]);
        assert_eq!(s.region(), Some("DE"));
        assert_eq!(s.origin, RegionOrigin::Claim);
        assert_eq!(s.client, None, "geo is not read once a claim decided");
    }

    #[test]
    fn geo_with_subdivision_then_cloudflare() {
        let s = resolve(&[("x-geo-country", "US"), ("x-geo-region", "ca")]);
        assert_eq!(s.region(), Some("US-CA"));
        assert_eq!(s.origin, RegionOrigin::Geo);
        assert!(s.vary.iter().any(|v| v == "x-geo-region"));

        let s = resolve(&[("cf-ipcountry", "FR")]);
        assert_eq!(s.region(), Some("FR"));
        assert!(s.vary.iter().any(|v| v == "cf-ipcountry"));
    }

    #[test]
    fn unknown_markers_and_absent_headers_are_unknown() {
        for value in ["XX", "T1", "", "not a country"] {
            let s = resolve(&[("cf-ipcountry", value)]);
            assert_eq!(s.region(), None, "{value}");
            assert_eq!(s.origin, RegionOrigin::Unknown);
        }
        let s = resolve(&[]);
        assert_eq!(s.origin, RegionOrigin::Unknown);
        assert_eq!(s.vary.len(), 4, "every input consulted is a Vary header");
    }

    #[test]
    fn citizenship_and_gateway_options_chain() {
        let s = resolve(&[("x-scrim-citizenship", "RU"), ("x-geo-country", "DE")]);
        assert_eq!(s.citizenship.as_deref(), Some("RU"));
        assert_eq!(s.region(), Some("DE"));
        let chain = RegionChain::from_headers("x-res", "x-country");
        let s = chain.resolve(&[("x-country", "ZZ")][..]);
        assert_eq!(s.origin, RegionOrigin::Unknown);
        let s = chain.resolve(&[("x-res", "EEA"), ("x-country", "US")][..]);
        assert_eq!(s.region(), Some("EEA"));
    }
}
