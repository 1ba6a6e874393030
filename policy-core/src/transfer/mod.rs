//! Cross-border transfer decisions: which recipient an exchange goes to, where the data subject
//! belongs, and whether the transfer is allowed, redacted or denied, and why.
//!
//! ```
//! use scrim_core::law::{Date, LawData};
//! use scrim_core::transfer::{Action, RegionChain, RequestFacts, TransferPolicy};
//!
//! let law = LawData::from_json(include_str!("../../../policies/reference/transfer-law.json")).unwrap();
//! let policy = TransferPolicy::from_bundle_json(r#"{
//!   "scrim": 1, "name": "demo", "revision": "1", "home_region": "EEA", "categories": [],
//!   "regions": {"EEA": ["DE", "FR"]},
//!   "recipients": [{"id": "us-crm", "region": "US", "attributes": [], "match": {"clusters": ["crm"]}}]
//! }"#).unwrap();
//! let headers = [("x-geo-country", "DE")];
//! let facts = RequestFacts {
//!     cluster: Some("crm"),
//!     at: Date::parse("2026-06-01").unwrap(),
//!     ..RequestFacts::new(&headers[..])
//! };
//! let d = policy.decide_request(&law, &RegionChain::default(), &facts);
//! assert_eq!(d.action, Action::Deny); // no DPF certification, no SCCs
//! assert_eq!(d.rules, ["law:no-basis:EU"]);
//! ```

mod bulk;
mod decision;
mod deferred;
mod engine;
mod policy;
mod region;

pub use bulk::{Alert, BulkExcess, bulk_guard};
pub use decision::{Decision, ProblemResponse, ShadowHit};
pub use deferred::Deferred;
pub use engine::{Target, TransferRequest};
pub use policy::{
    Action, Category, ConsentCategory, ConsentMode, ConsentSettings, GpcMode, Mode, PolicyError,
    Profile, Recipient, RecipientMatch, RegionSet, Retention, RouteInfo, Rule, TransferPolicy,
    When,
};
pub use region::{HeaderSource, RegionChain, RegionOrigin, RegionSource, Subject};

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use crate::consent::{ConsentCookie, gpc_from_header};
use crate::gateway::route::{host_matches, path_matches};
use crate::law::{Date, LawData, is_region_code};

/// How [`TransferPolicy::decide_request`] finds the bundle route of an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedRoute {
    /// Not matched yet: match host, path and method against the bundle's `routes`.
    Unmatched,
    /// Already matched by the caller: no route applies.
    None,
    /// Already matched by the caller: the route at this index of the bundle's `routes` (the
    /// gateway matches once, with [`crate::gateway::route::select_index`], and passes it on).
    Index(usize),
}

/// The facts a gateway (or `scrim decide`) has about one exchange.
#[derive(Debug, Clone, Copy)]
pub struct RequestFacts<'a, H: HeaderSource + ?Sized> {
    /// Request method.
    pub method: &'a str,
    /// Request path (query ignored for route matching).
    pub path: &'a str,
    /// The bundle route, if the caller already matched it.
    pub route: MatchedRoute,
    /// `:authority` / `Host`.
    pub host: &'a str,
    /// Request headers.
    pub headers: &'a H,
    /// `xds.cluster_name`.
    pub cluster: Option<&'a str>,
    /// Route metadata `filter_metadata.scrim.recipient`.
    pub route_metadata: Option<&'a str>,
    /// `upstream.locality` region (`us-east-1`) or an ISO code.
    pub upstream_region: Option<&'a str>,
    /// Audience, overriding the audience header.
    pub audience: Option<&'a str>,
    /// Header carrying the audience.
    pub audience_header: &'a str,
    /// Profile forced by configuration (`lockdown`), overriding the route's.
    pub profile: Option<&'a str>,
    /// Categories present, if known.
    pub categories: Option<&'a [String]>,
    /// Decision date.
    pub at: Date,
}

impl<'a, H: HeaderSource + ?Sized> RequestFacts<'a, H> {
    /// Facts with only headers: `GET /` on an empty host, no upstream facts, dated 1970-01-01
    /// (set `at`).
    pub fn new(headers: &'a H) -> Self {
        RequestFacts {
            method: "GET",
            path: "/",
            route: MatchedRoute::Unmatched,
            host: "",
            headers,
            cluster: None,
            route_metadata: None,
            upstream_region: None,
            audience: None,
            audience_header: "x-scrim-audience",
            profile: None,
            categories: None,
            at: Date::from_unix_seconds(0),
        }
    }
}

impl TransferPolicy {
    /// The first bundle route matching host, path (query and fragment ignored, as the gateway
    /// does) and method.
    #[must_use]
    pub fn route_for(&self, host: &str, path: &str, method: &str) -> Option<&RouteInfo> {
        let path = path.split(['?', '#']).next().unwrap_or(path);
        self.routes.iter().find(|r| {
            (r.hosts.is_empty() || r.hosts.iter().any(|h| host_matches(h, host)))
                && (r.paths.is_empty() || r.paths.iter().any(|p| path_matches(p, path)))
                && (r.methods.is_empty()
                    || r.methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
        })
    }

    /// Where an exchange goes: the route's recipient, then route metadata, cluster, host and
    /// matches against `recipients[].match`, then the upstream's locality region
    /// (`upstream.locality`, e.g. `eu-west-1`) mapped to a country by the bundle's
    /// `localities`, or given as an ISO code, else nowhere.
    #[must_use]
    pub fn resolve_target<'a, H: HeaderSource + ?Sized>(
        &'a self,
        route: Option<&RouteInfo>,
        facts: &RequestFacts<'a, H>,
    ) -> Target<'a> {
        let by = |f: &dyn Fn(&Recipient) -> bool| self.recipients.iter().find(|r| f(r));
        let found = route
            .and_then(|r| r.recipient.as_deref())
            .and_then(|id| self.recipient(id))
            .or_else(|| {
                facts
                    .route_metadata
                    .and_then(|m| by(&|r| r.matcher.route_metadata.as_deref() == Some(m)))
            })
            .or_else(|| {
                facts
                    .cluster
                    .and_then(|c| by(&|r| r.matcher.clusters.iter().any(|x| x == c)))
            })
            .or_else(|| {
                (!facts.host.is_empty())
                    .then(|| by(&|r| r.matcher.hosts.iter().any(|h| host_matches(h, facts.host))))
                    .flatten()
            });
        match (found, facts.upstream_region) {
            (Some(r), _) => Target::Recipient(r),
            (None, Some(g)) => self.locality_target(g),
            _ => Target::None,
        }
    }

    /// Where an upstream known only by its Envoy locality region goes: the country the
    /// bundle's `localities` maps it to, the region itself when it is an ISO code, else
    /// nowhere.
    #[must_use]
    pub fn locality_target<'a>(&'a self, region: &'a str) -> Target<'a> {
        match self.locality(region) {
            Some(code) => Target::Region(code),
            None if is_region_code(region) => Target::Region(region),
            None => Target::None,
        }
    }

    /// Resolves regions, route, recipient, GPC, consent and audience from request facts, then
    /// [`TransferPolicy::decide`]s.
    #[must_use]
    pub fn decide_request<H: HeaderSource + ?Sized>(
        &self,
        law: &LawData,
        chain: &RegionChain,
        facts: &RequestFacts<'_, H>,
    ) -> Decision {
        self.decide_request_inner(law, chain, facts, false).0
    }

    /// [`TransferPolicy::decide_request`], plus what is needed to decide again once the
    /// upstream is known ([`TransferPolicy::decide_deferred`]): `Some` when the request
    /// phase found no recipient, `upstream.locality` was absent and the bundle maps
    /// `localities` (in Envoy the router picks the upstream host only after the request
    /// headers, so its locality is readable from the response headers on).
    #[must_use]
    pub fn decide_request_or_defer<H: HeaderSource + ?Sized>(
        &self,
        law: &LawData,
        chain: &RegionChain,
        facts: &RequestFacts<'_, H>,
    ) -> (Decision, Option<Deferred>) {
        self.decide_request_inner(law, chain, facts, true)
    }

    fn decide_request_inner<H: HeaderSource + ?Sized>(
        &self,
        law: &LawData,
        chain: &RegionChain,
        facts: &RequestFacts<'_, H>,
        keep: bool,
    ) -> (Decision, Option<Deferred>) {
        let subject = chain.resolve(facts.headers);
        let route = match facts.route {
            MatchedRoute::Unmatched => self.route_for(facts.host, facts.path, facts.method),
            MatchedRoute::None => None,
            MatchedRoute::Index(i) => self.routes.get(i),
        };
        let target = self.resolve_target(route, facts);
        let consent = facts
            .headers
            .header("cookie")
            .and_then(ConsentCookie::from_cookie_header)
            .and_then(Result::ok);
        let audience = facts
            .audience
            .or_else(|| facts.headers.header(facts.audience_header));
        let gpc = gpc_from_header(facts.headers.header("sec-gpc"));
        let profile = facts.profile.or(route.and_then(|r| r.profile.as_deref()));
        let request = TransferRequest {
            subject: &subject,
            target,
            categories: facts.categories,
            gpc,
            consent: consent.as_ref(),
            audience,
            audience_header: Some(facts.audience_header),
            profile,
            at: facts.at,
        };
        let mut d = self.decide(law, &request);
        if let (None, Some(g)) = (&d.recipient, facts.upstream_region)
            && let Some(code) = self.locality(g)
        {
            d.reasons.insert(
                0,
                format!("upstream locality `{g}` is in `{code}` (bundle `localities`)"),
            );
        }
        let deferred = (keep
            && matches!(target, Target::None)
            && facts.upstream_region.is_none()
            && !self.localities.is_empty())
        .then(|| Deferred {
            subject,
            gpc,
            consent,
            audience: audience.map(ToOwned::to_owned),
            audience_header: facts.audience_header.to_owned(),
            profile: profile.map(ToOwned::to_owned),
            at: facts.at,
        });
        (d, deferred)
    }

    /// Decides again, from the request-phase inputs in `deferred`, once the upstream's
    /// locality region is known (Envoy's `upstream.locality`, readable from the response
    /// headers on). `None` when the region is absent or gives no target (not mapped by
    /// `localities` and not an ISO code): the request-phase decision ("no recipient")
    /// stands. Categories are not known at that point, so rules match on any category.
    #[must_use]
    pub fn decide_deferred(
        &self,
        law: &LawData,
        deferred: &Deferred,
        upstream_region: Option<&str>,
    ) -> Option<Decision> {
        let g = upstream_region?;
        let target = self.locality_target(g);
        let Target::Region(code) = target else {
            return None;
        };
        let request = TransferRequest {
            subject: &deferred.subject,
            target,
            categories: None,
            gpc: deferred.gpc,
            consent: deferred.consent.as_ref(),
            audience: deferred.audience.as_deref(),
            audience_header: Some(&deferred.audience_header),
            profile: deferred.profile.as_deref(),
            at: deferred.at,
        };
        let mut d = self.decide(law, &request);
        d.reasons.insert(
            0,
            format!(
                "upstream locality `{g}` is in `{code}` (bundle `localities`), known from the \
                 response headers on"
            ),
        );
        Some(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAW: &str = include_str!("../../../policies/reference/transfer-law.json");

    const BUNDLE: &str = r#"{
      "scrim": 1, "name": "t", "revision": "1", "home_region": "EEA",
      "categories": [{"id": "contact", "label": "Contact"}, {"id": "health", "label": "Health", "sensitive": true}, {"id": "government_id", "label": "IDs", "sensitive": true}],
      "regions": {"EEA": ["DE", "FR", "IE"]},
      "localities": {"us-east-1": "US", "eu-west-1": "IE"},
      "profiles": {"lockdown": {"redact_sensitive": true, "deny_outside_home": true}},
      "routes": [
        {"id": "collect", "hosts": ["*"], "paths": ["/collect"], "recipient": "ads"},
        {"id": "api", "hosts": ["api.example.com"], "paths": ["/v1/*"], "bulk_limit": {"government_id": 10}}
      ],
      "recipients": [
        {"id": "us-dpf", "region": "US", "attributes": ["dpf_certified"], "purposes": ["analytics"], "match": {"clusters": ["us_dpf"]}},
        {"id": "us-plain", "region": "US", "match": {"clusters": ["us_plain"]}},
        {"id": "ie-proc", "region": "IE", "match": {"hosts": ["*.proc.example"]}},
        {"id": "ads", "region": "US", "attributes": ["scc"], "purposes": ["ads", "share"]}
      ],
      "consent": {"revision": 2, "categories": [{"id": "necessary", "label": "Necessary", "required": true}, {"id": "analytics", "label": "Analytics"}],
                  "services": [{"id": "ga", "label": "GA", "category": "analytics", "recipient": "us-dpf"}], "gpc": "opt-out-sale-share"},
      "transfers": [
        {"id": "no-consent", "recipients": ["us-dpf"], "when": {"consent_missing": "analytics"}, "action": "redact", "redact": ["contact"]},
        {"id": "support-shadow", "when": {"audiences": ["support"]}, "action": "deny", "status": 451, "mode": "shadow"}
      ]
    }"#;

    fn setup() -> (LawData, TransferPolicy) {
        (
            LawData::from_json(LAW).unwrap(),
            TransferPolicy::from_bundle_json(BUNDLE).unwrap(),
        )
    }

    fn decide(
        headers: &[(&str, &str)],
        f: impl FnOnce(&mut RequestFacts<'_, [(&str, &str)]>),
    ) -> Decision {
        let (law, policy) = setup();
        let mut facts = RequestFacts {
            at: Date::parse("2026-06-01").unwrap(),
            ..RequestFacts::new(headers)
        };
        f(&mut facts);
        policy.decide_request(&law, &RegionChain::default(), &facts)
    }

    #[test]
    fn locality_known_only_at_response_decides_again() {
        let (law, policy) = setup();
        let headers = [("x-geo-country", "DE"), ("x-scrim-audience", "support")];
        let facts = RequestFacts {
            path: "/v1/things",
            host: "api.example.com",
            at: Date::parse("2026-06-01").unwrap(),
            ..RequestFacts::new(&headers[..])
        };
        let (d, deferred) = policy.decide_request_or_defer(&law, &RegionChain::default(), &facts);
        assert_eq!((d.action, d.recipient.as_deref()), (Action::Allow, None));
        let deferred = deferred.expect("no recipient and no locality yet: decision put off");
        // The same answer as `decide_request`, which keeps nothing.
        assert_eq!(
            policy.decide_request(&law, &RegionChain::default(), &facts),
            d
        );

        let us = policy
            .decide_deferred(&law, &deferred, Some("us-east-1"))
            .unwrap();
        assert_eq!((us.action, us.status), (Action::Deny, Some(403)), "{us:?}");
        assert_eq!(us.rules, ["law:no-basis:EU"]);
        assert!(us.reasons[0].contains("us-east-1"), "{:?}", us.reasons);
        assert!(us.vary.iter().any(|v| v == "x-geo-country"));
        // The audience from the request headers still matches the shadow rule.
        assert_eq!(
            us.shadow.first().map(|s| s.rule.as_str()),
            Some("support-shadow")
        );

        let ie = policy
            .decide_deferred(&law, &deferred, Some("eu-west-1"))
            .unwrap();
        assert_eq!(ie.action, Action::Allow, "{ie:?}");

        // Still no target: the request-phase decision stands.
        assert!(policy.decide_deferred(&law, &deferred, None).is_none());
        assert!(
            policy
                .decide_deferred(&law, &deferred, Some("ap-south-1"))
                .is_none()
        );
    }

    #[test]
    fn nothing_put_off_when_the_target_is_known_or_no_localities() {
        let (law, policy) = setup();
        let headers = [("x-geo-country", "DE")];
        let at = Date::parse("2026-06-01").unwrap();
        let by_cluster = RequestFacts {
            cluster: Some("us_plain"),
            at,
            ..RequestFacts::new(&headers[..])
        };
        let early = RequestFacts {
            upstream_region: Some("ap-south-1"),
            at,
            ..RequestFacts::new(&headers[..])
        };
        for facts in [by_cluster, early] {
            let (_, deferred) =
                policy.decide_request_or_defer(&law, &RegionChain::default(), &facts);
            assert!(deferred.is_none(), "{facts:?}");
        }
        let plain = TransferPolicy::from_bundle_json(
            r#"{"scrim": 1, "name": "p", "revision": "1", "home_region": "EEA", "categories": [], "regions": {"EEA": ["DE"]}}"#,
        )
        .unwrap();
        let facts = RequestFacts {
            at,
            ..RequestFacts::new(&headers[..])
        };
        let (_, deferred) = plain.decide_request_or_defer(&law, &RegionChain::default(), &facts);
        assert!(
            deferred.is_none(),
            "a bundle without `localities` puts nothing off"
        );
    }

    #[test]
    fn law_basis_allows_dpf_and_denies_plain_us() {
        let cookie = "scrim_consent=1.2.analytics.0.1764410000.aaaaaaaaaaaaaaaa";
        let d = decide(&[("x-geo-country", "DE"), ("cookie", cookie)], |f| {
            f.cluster = Some("us_dpf")
        });
        assert_eq!(d.action, Action::Allow, "{d:?}");
        assert_eq!(d.rules, ["law:eu-adequacy-us-dpf"]);
        assert!(d.vary.iter().any(|v| v == "x-geo-country"));

        let d = decide(&[("x-geo-country", "DE")], |f| f.cluster = Some("us_plain"));
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["law:no-basis:EU"]);
        assert!(d.reasons[0].contains("dpf_certified"), "{:?}", d.reasons);

        // A cloud locality that is not an ISO code, not in `localities` and matches no
        // recipient: no transfer known.
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.upstream_region = Some("ap-south-1")
        });
        assert!(d.recipient.is_none());
        assert_eq!(d.action, Action::Allow);
        assert!(d.rules.is_empty());
        // A mapped locality gets the law check of its country.
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.upstream_region = Some("us-east-1")
        });
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["law:no-basis:EU"]);
        assert!(
            d.reasons[0].contains("`us-east-1` is in `US`"),
            "{:?}",
            d.reasons
        );
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.upstream_region = Some("eu-west-1")
        });
        assert_eq!((d.action, d.rules.len()), (Action::Allow, 0));
        // Before the DPF decision, a DPF-certified recipient has no basis either.
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.cluster = Some("us_dpf");
            f.at = Date::parse("2023-01-01").unwrap();
        });
        // The consent rule matches first, but a redact rule still needs a basis on that date.
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["no-consent", "law:no-basis:EU"]);
        assert!(d.categories.is_empty());
    }

    #[test]
    fn consent_missing_or_stale_redacts() {
        let d = decide(&[("x-geo-country", "DE")], |f| f.cluster = Some("us_dpf"));
        assert_eq!(d.action, Action::Redact);
        assert_eq!(d.categories, ["contact"]);
        assert!(d.vary.iter().any(|v| v == "cookie"));
        let stale = "scrim_consent=1.1.analytics.0.1764410000.aaaaaaaaaaaaaaaa";
        let d = decide(&[("x-geo-country", "DE"), ("cookie", stale)], |f| {
            f.cluster = Some("us_dpf")
        });
        assert_eq!(
            d.rules,
            ["no-consent", "law:eu-adequacy-us-dpf"],
            "revision 1 < 2 counts as no consent"
        );
    }

    #[test]
    fn gpc_denies_sale_share_recipient_from_header_or_cookie() {
        let d = decide(&[("x-geo-country", "US"), ("sec-gpc", "1")], |f| {
            f.path = "/collect"
        });
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["gpc:opt-out-sale-share"]);
        assert!(d.vary.iter().any(|v| v == "sec-gpc"));
        let persisted = "scrim_consent=1.2.-.1.1764410000.aaaaaaaaaaaaaaaa";
        let d = decide(&[("x-geo-country", "US"), ("cookie", persisted)], |f| {
            f.path = "/collect"
        });
        assert_eq!(d.rules, ["gpc:opt-out-sale-share"]);
        // Without GPC the SCCs give the EU regime (home) a basis.
        let d = decide(&[("x-geo-country", "US")], |f| f.path = "/collect");
        assert_eq!(d.action, Action::Allow);
        assert_eq!(d.rules, ["law:eu-safeguard-scc"]);
    }

    #[test]
    fn a_route_matched_by_the_caller_is_not_matched_again() {
        let gpc = [("x-geo-country", "US"), ("sec-gpc", "1")];
        // Index 0 is the `collect` route (recipient `ads`): GPC denies, whatever the path.
        let d = decide(&gpc, |f| f.route = MatchedRoute::Index(0));
        assert_eq!(d.rules, ["gpc:opt-out-sale-share"]);
        // The caller found no route: `/collect` is not matched again, so no recipient.
        let d = decide(&gpc, |f| {
            f.path = "/collect";
            f.route = MatchedRoute::None;
        });
        assert_eq!((d.action, d.recipient), (Action::Allow, None));
    }

    #[test]
    fn unknown_subject_is_most_protective() {
        // XX = unknown: every need-basis regime applies; CN needs a PIPL mechanism.
        let d = decide(&[("cf-ipcountry", "XX")], |f| f.cluster = Some("us_dpf"));
        assert_eq!(d.rules[0], "no-consent");
        assert_eq!(
            d.action,
            Action::Deny,
            "CN and RU give a US recipient no basis"
        );
        let cookie = "scrim_consent=1.2.analytics.0.1764410000.aaaaaaaaaaaaaaaa";
        let d = decide(&[("cf-ipcountry", "T1"), ("cookie", cookie)], |f| {
            f.cluster = Some("us_dpf")
        });
        assert_eq!(d.action, Action::Deny);
        assert!(
            d.rules[d.rules.len() - 1].starts_with("law:no-basis:"),
            "{:?}",
            d.rules
        );
        assert!(d.reasons.iter().any(|r| r.contains("most protective")));
    }

    #[test]
    fn lockdown_denies_outside_home_and_redacts_sensitive() {
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.cluster = Some("us_dpf");
            f.profile = Some("lockdown");
        });
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["profile:lockdown"]);
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.host = "eu.proc.example";
            f.profile = Some("lockdown");
        });
        assert_eq!(d.action, Action::Redact, "{d:?}");
        assert_eq!(d.categories, ["health", "government_id"]);
        let d = decide(&[], |f| f.profile = Some("lockdown"));
        assert_eq!(
            d.action,
            Action::Redact,
            "no recipient: still redacted in lockdown"
        );
    }

    #[test]
    fn shadow_rules_report_and_dry_run_reports_everything() {
        let d = decide(
            &[("x-geo-country", "DE"), ("x-scrim-audience", "support")],
            |f| f.host = "a.proc.example",
        );
        assert_eq!(d.action, Action::Allow);
        assert_eq!(d.shadow.len(), 1);
        assert_eq!(d.shadow[0].rule, "support-shadow");
        assert_eq!(d.shadow[0].status, Some(451));
        assert!(d.vary.iter().any(|v| v == "x-scrim-audience"));

        let law = LawData::from_json(LAW).unwrap();
        let policy = TransferPolicy::from_bundle_json(&BUNDLE.replace(
            r#""revision": "1","#,
            r#""revision": "1", "dry_run": true,"#,
        ))
        .unwrap();
        let headers = [("x-geo-country", "DE")];
        let facts = RequestFacts {
            cluster: Some("us_plain"),
            at: Date::parse("2026-06-01").unwrap(),
            ..RequestFacts::new(&headers[..])
        };
        let d = policy.decide_request(&law, &RegionChain::default(), &facts);
        assert_eq!(d.action, Action::Allow);
        assert_eq!(d.shadow[0].rule, "law:no-basis:EU");
        assert_eq!(d.shadow[0].action, Action::Deny);
    }

    #[test]
    fn no_recipient_and_no_personal_data_allow() {
        let d = decide(&[("x-geo-country", "DE")], |_| {});
        assert_eq!(d.action, Action::Allow);
        assert!(d.recipient.is_none());
        let none: &'static [String] = &[];
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.cluster = Some("us_plain");
            f.categories = Some(none);
        });
        assert_eq!(d.action, Action::Allow);
        // An anonymous upstream known only by an ISO region still gets the law check.
        let d = decide(&[("x-geo-country", "DE")], |f| {
            f.upstream_region = Some("BR")
        });
        assert_eq!(d.action, Action::Allow);
        assert_eq!(d.rules, ["law:eu-adequacy-br"]);
    }

    #[test]
    fn routes_and_bulk_guard() {
        let (_, policy) = setup();
        let route = policy
            .route_for("api.example.com:443", "/v1/users?x=1", "GET")
            .unwrap();
        assert_eq!(route.id, "api");
        let beacon = policy.route_for("www.example.eu", "/collect?v=2", "POST");
        assert_eq!(beacon.map(|r| r.id.as_str()), Some("collect"));
        assert!(
            policy
                .route_for("api.example.com", "/v2/users", "GET")
                .is_none()
                || policy
                    .route_for("api.example.com", "/v2/users", "GET")
                    .unwrap()
                    .id
                    != "api"
        );
        assert!(bulk_guard(&[("government_id", 10)], &route.bulk_limit).is_none());
        let alert = bulk_guard(
            &[("government_id", 7), ("government_id", 4)],
            &route.bulk_limit,
        )
        .unwrap();
        assert_eq!(alert.exceeded[0].count, 11);
    }

    #[test]
    fn declared_pipl_volume_selects_the_mechanism() {
        let law = LawData::from_json(LAW).unwrap();
        let bundle = |volume: &str| {
            TransferPolicy::from_bundle_json(&alloc::format!(r#"{{"scrim": 1, "name": "cn", "revision": "1", "home_region": "CN", "categories": [],
              {volume}
              "recipients": [{{"id": "vendor", "region": "SG", "attributes": ["pipl_standard_contract"], "match": {{"clusters": ["vendor"]}}}}]}}"#)).unwrap()
        };
        let headers = [("x-geo-country", "CN")];
        let facts = RequestFacts {
            cluster: Some("vendor"),
            at: Date::parse("2026-06-01").unwrap(),
            ..RequestFacts::new(&headers[..])
        };
        let chain = RegionChain::default();
        // Undeclared: any mechanism counts (the limit `scrim explain` flags).
        let d = bundle("").decide_request(&law, &chain, &facts);
        assert_eq!(d.action, Action::Allow);
        assert_eq!(d.rules, ["law:cn-standard-contract"]);
        // 200,000 individuals: a standard contract is the right tier.
        let d = bundle(r#""pipl_volume": {"non_sensitive_individuals": 200000},"#)
            .decide_request(&law, &chain, &facts);
        assert_eq!(d.action, Action::Allow, "{d:?}");
        assert!(
            d.reasons
                .iter()
                .any(|r| r.contains("tier `contract_or_certification`"))
        );
        // Over a million individuals: only a security assessment will do.
        let d = bundle(r#""pipl_volume": {"non_sensitive_individuals": 1500000},"#)
            .decide_request(&law, &chain, &facts);
        assert_eq!((d.action, d.status), (Action::Deny, Some(403)));
        assert_eq!(d.rules, ["law:no-basis:CN"]);
        assert!(
            d.reasons[d.reasons.len() - 1].contains("tier `assessment`"),
            "{:?}",
            d.reasons
        );
    }

    #[test]
    fn russian_citizens_primary_database_abroad_is_denied() {
        let law = LawData::from_json(LAW).unwrap();
        let policy = TransferPolicy::from_bundle_json(r#"{"scrim": 1, "name": "ru", "revision": "1", "categories": [],
          "recipients": [{"id": "crm", "region": "DE", "attributes": ["primary_database", "rkn_notified"], "match": {"clusters": ["crm"]}},
                         {"id": "mirror", "region": "DE", "attributes": ["rkn_notified"], "match": {"clusters": ["mirror"]}}]}"#).unwrap();
        let headers = [("x-scrim-citizenship", "RU"), ("x-geo-country", "RU")];
        let at = Date::parse("2026-01-01").unwrap();
        let facts = RequestFacts {
            cluster: Some("crm"),
            at,
            ..RequestFacts::new(&headers[..])
        };
        let d = policy.decide_request(&law, &RegionChain::default(), &facts);
        assert_eq!(d.rules, ["law:ru-localization-ban"]);
        let facts = RequestFacts {
            cluster: Some("mirror"),
            at,
            ..RequestFacts::new(&headers[..])
        };
        let d = policy.decide_request(&law, &RegionChain::default(), &facts);
        assert_eq!(d.action, Action::Allow, "{d:?}");
        assert_eq!(d.rules, ["law:ru-cross-border-notice"]);
    }
}
