//! Which bundle route an exchange falls under: hosts, paths and methods, first match wins.
//!
//! Patterns are deliberately simple so that a person can read them: `*` alone matches anything;
//! a host pattern `*.example.com` matches any subdomain (not `example.com` itself); a path
//! pattern ending in `/*` matches that prefix and everything under it, and `*` elsewhere in a
//! path matches one segment. Hosts compare case-insensitively and ignore a `:port`.

use crate::bundle::{HttpMethod, Route};

/// The first route of `routes` that matches the request, if any.
pub fn select<'r>(routes: &'r [Route], host: &str, path: &str, method: &str) -> Option<&'r Route> {
    routes.iter().find(|r| matches(r, host, path, method))
}

/// The index of the first route of `routes` that matches the request, if any (to hand the
/// match on to [`crate::transfer::RequestFacts::route`] so it is done once per request).
pub fn select_index(routes: &[Route], host: &str, path: &str, method: &str) -> Option<usize> {
    routes.iter().position(|r| matches(r, host, path, method))
}

/// Whether `route` applies to a request for `host`, `path` (query ignored) and `method`.
pub fn matches(route: &Route, host: &str, path: &str, method: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    (route.hosts.is_empty() || route.hosts.iter().any(|p| host_matches(p, host)))
        && (route.paths.is_empty() || route.paths.iter().any(|p| path_matches(p, path)))
        && (route.methods.is_empty() || route.methods.iter().any(|m| method_name(*m) == method))
}

/// The method as it appears on the wire.
pub fn method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Head => "HEAD",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
    }
}

/// Host pattern match: `*`, `*.example.com` (strict subdomains), or an exact name.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let host = strip_port(host);
    if pattern == "*" {
        return true;
    }
    match pattern.strip_prefix("*.") {
        Some(suffix) => {
            host.len() > suffix.len() + 1
                && host
                    .get(host.len() - suffix.len()..)
                    .is_some_and(|tail| tail.eq_ignore_ascii_case(suffix))
                && host.as_bytes().get(host.len() - suffix.len() - 1) == Some(&b'.')
        }
        None => pattern.eq_ignore_ascii_case(host),
    }
}

fn strip_port(host: &str) -> &str {
    // `[::1]:8080` keeps its brackets; `api.example.com:443` loses the port.
    if let Some(end) = host.find(']') {
        return host.get(..=end).unwrap_or(host);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Path pattern match: `*`, `/prefix/*` (the prefix and below), exact segments with `*` for
/// one segment.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix("/*") {
        let Some(rest) = strip_segments(prefix, path) else {
            return false;
        };
        return rest.is_empty() || rest.starts_with('/');
    }
    strip_segments(pattern, path).is_some_and(str::is_empty)
}

/// Matches the segments of `pattern` against the start of `path`; returns the rest of `path`.
fn strip_segments<'p>(pattern: &str, path: &'p str) -> Option<&'p str> {
    let mut rest = path;
    for segment in pattern.split('/').skip(1) {
        rest = rest.strip_prefix('/')?;
        let end = rest.find('/').unwrap_or(rest.len());
        let (actual, tail) = rest.split_at_checked(end)?;
        if segment != "*" && segment != actual {
            return None;
        }
        rest = tail;
    }
    Some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(host_matches("*", "anything"));
        assert!(host_matches("api.example.com", "API.example.com:443"));
        assert!(host_matches("*.example.com", "eu.api.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(!host_matches("*.example.com", "badexample.com"));
        assert!(host_matches("[::1]", "[::1]:8080"));
    }

    #[test]
    fn paths() {
        assert!(path_matches("/v1/*", "/v1"));
        assert!(path_matches("/v1/*", "/v1/users/7"));
        assert!(!path_matches("/v1/*", "/v10/users"));
        assert!(path_matches("/users/*/orders", "/users/7/orders"));
        assert!(!path_matches("/users/*/orders", "/users/7/orders/1"));
        assert!(path_matches("/collect", "/collect"));
        assert!(!path_matches("/collect", "/collector"));
        assert!(path_matches("*", "/"));
    }

    #[test]
    fn first_matching_route_wins_and_query_is_ignored() {
        let routes: alloc::vec::Vec<Route> = serde_json::from_str(
            r#"[{"id": "collect", "paths": ["/collect"], "methods": ["POST"], "direction": "request"},
                {"id": "api", "hosts": ["*.example.com"], "paths": ["/v1/*"]}]"#,
        )
        .unwrap();
        let id = |h, p, m| select(&routes, h, p, m).map(|r| r.id.as_str());
        assert_eq!(id("x", "/collect?v=2", "POST"), Some("collect"));
        assert_eq!(id("x", "/collect", "GET"), None);
        assert_eq!(
            id("api.example.com", "/v1/users?page=2", "GET"),
            Some("api")
        );
        assert_eq!(id("api.example.org", "/v1/users", "GET"), None);
        assert_eq!(
            select_index(&routes, "a.example.com", "/v1/x", "GET"),
            Some(1)
        );
        assert_eq!(select_index(&routes, "a.example.org", "/v1/x", "GET"), None);
    }
}
