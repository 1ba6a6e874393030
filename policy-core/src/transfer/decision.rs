//! The value a transfer decision produces, and the HTTP answer for a denial.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use super::policy::Action;

/// A rule that matched in shadow mode (or under `dry_run`): what it would have done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShadowHit {
    /// Rule id (or a built-in id such as `law:no-basis:EU`).
    pub rule: String,
    /// The action it would have taken.
    pub action: Action,
    /// The status it would have sent, for deny.
    pub status: Option<u16>,
}

/// The outcome of a transfer decision, with the rules that fired and why.
///
/// Serialises as `{"action": "deny", "status": 451, "rules": [...], "reasons": [...],
/// "categories": [...], "shadow": [...], "vary": [...], "recipient": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// What to do with the exchange.
    pub action: Action,
    /// HTTP status for deny (403 or 451).
    pub status: Option<u16>,
    /// Ids of the rules that decided, in order (built-ins: `profile:<name>`,
    /// `gpc:opt-out-sale-share`, `law:<entry>`, `law:no-basis:<regime>`).
    pub rules: Vec<String>,
    /// One sentence per step that mattered, naming entries and attributes.
    pub reasons: Vec<String>,
    /// Categories to redact (for redact), or the categories a deny rule named.
    pub categories: Vec<String>,
    /// Shadow rules that matched and what they would have done.
    pub shadow: Vec<ShadowHit>,
    /// Request header names the decision depended on (send them in `Vary`).
    pub vary: Vec<String>,
    /// The recipient id the exchange was attributed to, if any.
    pub recipient: Option<String>,
}

impl Decision {
    /// An allow decision with no reasons yet.
    #[must_use]
    pub fn allow() -> Decision {
        Decision {
            action: Action::Allow,
            status: None,
            rules: Vec::new(),
            reasons: Vec::new(),
            categories: Vec::new(),
            shadow: Vec::new(),
            vary: Vec::new(),
            recipient: None,
        }
    }

    pub(crate) fn add_vary(&mut self, name: &str) {
        if !self.vary.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            self.vary.push(name.to_ascii_lowercase());
        }
    }

    /// The response a gateway sends for a deny: an RFC 9457 `application/problem+json` body
    /// with `Cache-Control: no-store`, `Vary` on the inputs used, and for 451 a
    /// `Link: <blocked_by>; rel="blocked-by"` naming who implements the block (RFC 7725).
    /// `instance` identifies this occurrence (a request id or the path). `None` unless denied.
    #[must_use]
    pub fn problem(&self, instance: &str, blocked_by: Option<&str>) -> Option<ProblemResponse> {
        if self.action != Action::Deny {
            return None;
        }
        let status = self.status.unwrap_or(403);
        let rule = self.rules.last().map(String::as_str).unwrap_or("policy");
        let why = self.reasons.last().map(String::as_str).unwrap_or("");
        let (kind, title) = if status == 451 {
            ("transfer-blocked", "Unavailable For Legal Reasons")
        } else {
            ("transfer-denied", "Transfer denied by privacy policy")
        };
        let body = ProblemBody {
            r#type: format!("urn:scrim:problem:{kind}"),
            title,
            status,
            detail: format!("rule `{rule}` denied this transfer: {why}"),
            instance,
            rules: &self.rules,
        };
        let mut headers = Vec::from([
            (
                "content-type".to_owned(),
                "application/problem+json".to_owned(),
            ),
            ("cache-control".to_owned(), "no-store".to_owned()),
        ]);
        if !self.vary.is_empty() {
            headers.push(("vary".to_owned(), self.vary.join(", ")));
        }
        if let Some(by) = blocked_by.filter(|_| status == 451) {
            headers.push(("link".to_owned(), format!("<{by}>; rel=\"blocked-by\"")));
        }
        Some(ProblemResponse {
            status,
            headers,
            body: serde_json::to_string(&body).unwrap_or_default(),
        })
    }
}

#[derive(Serialize)]
struct ProblemBody<'a> {
    r#type: String,
    title: &'a str,
    status: u16,
    detail: String,
    instance: &'a str,
    rules: &'a [String],
}

/// A complete HTTP answer for a denied exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemResponse {
    /// 403 or 451.
    pub status: u16,
    /// Response headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The `application/problem+json` body.
    pub body: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn deny_451_renders_problem_json_with_cache_and_link_headers() {
        let mut d = Decision::allow();
        d.action = Action::Deny;
        d.status = Some(451);
        d.rules = vec!["eu-to-us".into()];
        d.reasons = vec!["no adequacy".into()];
        d.add_vary("X-Geo-Country");
        d.add_vary("x-geo-country");
        let p = d
            .problem("/v1/customers/42", Some("https://gw.example.com"))
            .unwrap();
        assert_eq!(p.status, 451);
        let h = |n: &str| {
            p.headers
                .iter()
                .find(|(k, _)| k == n)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(h("cache-control"), Some("no-store"));
        assert_eq!(h("vary"), Some("x-geo-country"));
        assert_eq!(
            h("link"),
            Some("<https://gw.example.com>; rel=\"blocked-by\"")
        );
        assert_eq!(h("content-type"), Some("application/problem+json"));
        let body: serde_json::Value = serde_json::from_str(&p.body).unwrap();
        assert_eq!(body["status"], 451);
        assert_eq!(body["instance"], "/v1/customers/42");
        assert!(body["detail"].as_str().unwrap().contains("`eu-to-us`"));
        assert_eq!(body["type"], "urn:scrim:problem:transfer-blocked");
    }

    #[test]
    fn only_denials_render_and_403_has_no_link() {
        assert!(Decision::allow().problem("/x", None).is_none());
        let mut d = Decision::allow();
        d.action = Action::Deny;
        d.status = Some(403);
        let p = d.problem("/x", Some("https://gw")).unwrap();
        assert!(p.headers.iter().all(|(k, _)| k != "link"));
        assert!(p.body.contains("Transfer denied by privacy policy"));
    }
}
