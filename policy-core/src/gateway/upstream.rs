//! The response-headers phase, once Envoy has picked the upstream host: a transfer decision the
//! request phase put off because `upstream.locality` was not known yet is taken now.

use alloc::boxed::Box;
use alloc::string::String;

use crate::transfer::{Action, Decision, Deferred};

use super::Gateway;
use super::exchange::{Exchange, Reply};

/// A transfer decision waiting for the upstream's locality (kept in [`Exchange::upstream`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    deferred: Deferred,
    /// The request phase would have left the exchange alone (no bundle route, no profile).
    passive: bool,
}

impl Pending {
    pub(crate) fn boxed(deferred: Deferred, passive: bool) -> Box<Pending> {
        Box::new(Pending { deferred, passive })
    }
}

/// What the filter does at response headers once the upstream is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UpstreamVerdict {
    /// Go on with [`Gateway::response_headers`]; the exchange's decision may have changed (a
    /// redact decision now redacts the response body, shadow hits now show in `x-scrim-shadow`).
    Continue,
    /// Leave the response alone: the gateway does not touch this exchange after all (the
    /// upstream's locality gives no recipient, or an allow with nothing to report, off-route).
    Pass,
    /// Replace the response with this local reply before its headers are sent (a transfer
    /// denied now that the upstream is known); the upstream's body must not reach the client.
    Reply(Reply),
}

impl Exchange {
    /// Whether a transfer decision waits for the upstream's locality: read
    /// `upstream.locality` at response headers and call [`Gateway::upstream_known`].
    #[must_use]
    pub fn awaits_upstream(&self) -> bool {
        self.upstream.is_some()
    }
}

impl Gateway {
    /// The response-headers phase, before [`Gateway::response_headers`]: if the request phase
    /// found no recipient because `upstream.locality` was absent (Envoy's router picks the
    /// upstream host after the request headers), decide the transfer again with the region
    /// of the locality now known (`upstream_region`, e.g. `us-east-1`, mapped by the bundle's
    /// `localities`). A deny answers with the same problem reply as in the request phase; a
    /// redact forces the decision's categories on the response body; shadow hits go to
    /// `x-scrim-shadow` and the audit line. Without a pending decision: [`UpstreamVerdict::Continue`].
    pub fn upstream_known(
        &self,
        exchange: &mut Exchange,
        upstream_region: Option<&str>,
    ) -> UpstreamVerdict {
        let Some(pending) = exchange.upstream.take() else {
            return UpstreamVerdict::Continue;
        };
        let decided = self
            .transfers
            .decide_deferred(&self.law, &pending.deferred, upstream_region);
        let Some(decision) = decided else {
            return if pending.passive {
                UpstreamVerdict::Pass
            } else {
                UpstreamVerdict::Continue
            };
        };
        match decision.action {
            Action::Deny => UpstreamVerdict::Reply(self.denial(&decision, &exchange.request_id)),
            Action::Allow if pending.passive && decision.shadow.is_empty() => UpstreamVerdict::Pass,
            Action::Redact => {
                exchange.redact_response = true;
                exchange.decision = decision;
                UpstreamVerdict::Continue
            }
            Action::Allow => {
                exchange.decision = decision;
                UpstreamVerdict::Continue
            }
        }
    }

    /// The local reply for a denied transfer: the decision's problem+json (451 or 403,
    /// `no-store`, `Vary`, `Link` for 451).
    pub(crate) fn denial(&self, decision: &Decision, request_id: &str) -> Reply {
        match decision.problem(request_id, Some(&self.label)) {
            Some(p) => Reply {
                status: p.status,
                headers: p.headers,
                body: p.body.into_bytes(),
                details: String::from("scrim_transfer_denied"),
            },
            // A deny always renders; if it ever did not, withholding is the safe answer.
            None => self.problem(
                403,
                "transfer-denied",
                "Transfer denied by privacy policy",
                "the transfer was denied",
                request_id,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::vec::Vec;

    use super::*;
    use crate::gateway::{RequestHead, RequestVerdict};
    use crate::law::Date;

    const CATEGORIES: &str = r#"[{"id": "contact", "label": "Contact"},
      {"id": "location", "label": "Location", "sensitive": true},
      {"id": "financial", "label": "Financial", "sensitive": true},
      {"id": "government_id", "label": "IDs", "sensitive": true},
      {"id": "online_id", "label": "Online ids"},
      {"id": "credentials", "label": "Secrets", "sensitive": true},
      {"id": "identity", "label": "Identity"}]"#;

    fn gateway() -> Gateway {
        let bundle = format!(
            r#"{{"scrim": 1, "name": "g", "revision": "1", "home_region": "EEA",
              "categories": {CATEGORIES}, "regions": {{"EEA": ["DE", "IE"]}},
              "localities": {{"cn-north-1": "CN", "ap-southeast-1": "SG", "eu-west-1": "IE"}},
              "routes": [{{"id": "api", "hosts": ["api.example"], "paths": ["/v1/*"]}}],
              "transfers": [
                {{"id": "no-china", "to": ["CN"], "action": "deny", "status": 451}},
                {{"id": "sg-redact", "to": ["SG"], "action": "redact", "redact": ["location"], "basis": "contract"}}
              ]}}"#
        );
        Gateway::from_config(&format!(r#"{{"bundle": {bundle}}}"#), &|_| None).unwrap()
    }

    fn exchange(g: &Gateway, authority: &str, path: &str) -> Exchange {
        let headers: Vec<(String, String)> = Vec::from([
            (String::from("x-geo-country"), String::from("DE")),
            (String::from("x-request-id"), String::from("r-1")),
        ]);
        let head = RequestHead {
            method: "GET",
            path,
            authority,
            headers: &headers,
            route_name: None,
            cluster: None,
            route_recipient: None,
            upstream_region: None,
            today: Date::parse("2026-06-01").unwrap(),
        };
        match g.request(&head) {
            RequestVerdict::Proceed { exchange, .. } => *exchange,
            other => panic!("expected the exchange to proceed, got {other:?}"),
        }
    }

    #[test]
    fn deny_at_response_headers_is_the_problem_reply() {
        let g = gateway();
        let mut e = exchange(&g, "api.example", "/v1/x");
        assert!(e.awaits_upstream());
        let UpstreamVerdict::Reply(r) = g.upstream_known(&mut e, Some("cn-north-1")) else {
            panic!("a CN upstream must be denied");
        };
        assert_eq!(r.status, 451);
        assert!(
            r.headers
                .iter()
                .any(|(k, v)| k == "link" && v.contains("blocked-by"))
        );
        assert!(
            r.headers
                .iter()
                .any(|(k, v)| k == "cache-control" && v == "no-store")
        );
        assert!(String::from_utf8_lossy(&r.body).contains("no-china"));
    }

    #[test]
    fn redact_at_response_headers_forces_categories_on_the_response() {
        let g = gateway();
        // Off-route: the request phase alone would have left the exchange alone.
        let mut e = exchange(&g, "other.example", "/x");
        assert!(!e.redact_response);
        assert_eq!(
            g.upstream_known(&mut e, Some("ap-southeast-1")),
            UpstreamVerdict::Continue
        );
        assert!(e.redact_response);
        assert_eq!(e.decision.action, Action::Redact);
        assert_eq!(e.decision.categories, ["location"]);
        assert!(!e.awaits_upstream(), "decided once");
        assert_eq!(
            g.upstream_known(&mut e, Some("cn-north-1")),
            UpstreamVerdict::Continue
        );
    }

    #[test]
    fn no_target_at_response_keeps_the_request_phase_answer() {
        let g = gateway();
        let mut off = exchange(&g, "other.example", "/x");
        assert_eq!(g.upstream_known(&mut off, None), UpstreamVerdict::Pass);
        let mut on = exchange(&g, "api.example", "/v1/x");
        let before = on.decision.clone();
        assert_eq!(
            g.upstream_known(&mut on, Some("mars-1")),
            UpstreamVerdict::Continue
        );
        assert_eq!(on.decision, before);
        // An adequate (here: EEA) region with nothing to report leaves an off-route exchange alone.
        let mut ie = exchange(&g, "other.example", "/x");
        assert_eq!(
            g.upstream_known(&mut ie, Some("eu-west-1")),
            UpstreamVerdict::Pass
        );
    }
}
