//! Checks that need the whole bundle: references, uniqueness, regions, regexes, rule order.

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::REGEX_SIZE_LIMIT;
use super::catalog::{BUILTIN_DETECTORS, builtin_detector};
use super::detectors::CustomDetector;
use super::diagnostic::{Diagnostic, Severity};
use super::model::Bundle;
use super::redaction::{Method, RedactionOverride};
use super::regions::{is_country, is_subdivision};
use super::routes::Direction;
use super::schema::diag;
use super::suggest::did_you_mean;
use super::transfers::{Action, TransferRule};
use crate::json::{Span, Value, escape_token};

struct Ctx<'a> {
    tree: &'a Value,
    out: Vec<Diagnostic>,
}

fn locate(tree: &Value, pointer: &str, key: bool) -> Span {
    if key && let Some(span) = tree.pointer_key_span(pointer) {
        return span;
    }
    let mut p = pointer;
    loop {
        if let Some(v) = tree.pointer(p) {
            return v.span;
        }
        match p.rsplit_once('/') {
            Some((parent, _)) => p = parent,
            None => return tree.span,
        }
    }
}

fn ptr(parts: &[&str]) -> String {
    let mut s = String::new();
    for part in parts {
        s.push('/');
        s.push_str(&escape_token(part));
    }
    s
}

impl Ctx<'_> {
    fn push(
        &mut self,
        severity: Severity,
        pointer: String,
        key: bool,
        message: String,
        help: String,
    ) {
        let span = locate(self.tree, &pointer, key);
        self.out.push(diag(severity, &pointer, span, message, help));
    }

    fn error(&mut self, pointer: String, message: String, help: String) {
        self.push(Severity::Error, pointer, false, message, help);
    }

    fn key_error(&mut self, pointer: String, message: String, help: String) {
        self.push(Severity::Error, pointer, true, message, help);
    }

    fn warning(&mut self, pointer: String, message: String, help: String) {
        self.push(Severity::Warning, pointer, false, message, help);
    }

    /// Reports `name` at `pointer` if it is not in `known`.
    fn reference(
        &mut self,
        pointer: String,
        key: bool,
        what: &str,
        name: &str,
        known: &[&str],
        define: &str,
    ) {
        if known.contains(&name) {
            return;
        }
        let message = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("unknown {what} `{name}`, did you mean `{s}`?"),
            None => format!("unknown {what} `{name}`"),
        };
        let help = if known.is_empty() {
            format!("define it in {define}")
        } else {
            let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("define it in {define}, or use one of {}", listed.join(", "))
        };
        self.push(Severity::Error, pointer, key, message, help);
    }

    fn unique<'b>(&mut self, list: &str, ids: impl Iterator<Item = &'b str>) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, id) in ids.enumerate() {
            if let Some(first) = seen.get(id) {
                self.error(
                    format!("/{list}/{i}/id"),
                    format!("duplicate id `{id}`, already used by /{list}/{first}"),
                    String::from("ids must be unique within their list: rename one of them"),
                );
            } else {
                seen.insert(id, i);
            }
        }
    }
}

struct Names<'a> {
    categories: Vec<&'a str>,
    detectors: Vec<&'a str>,
    recipients: Vec<&'a str>,
    profiles: Vec<&'a str>,
    audiences: Vec<&'a str>,
    consent: Vec<&'a str>,
    groups: Vec<&'a str>,
}

pub(crate) fn check_semantics(bundle: &Bundle, tree: &Value) -> Vec<Diagnostic> {
    let mut cx = Ctx {
        tree,
        out: Vec::new(),
    };
    let mut detectors: Vec<&str> = BUILTIN_DETECTORS.iter().map(|d| d.id).collect();
    detectors.extend(bundle.detectors.custom.iter().map(|c| c.id()));
    let names = Names {
        categories: bundle.categories.iter().map(|c| c.id.as_str()).collect(),
        detectors,
        recipients: bundle.recipients.iter().map(|r| r.id.as_str()).collect(),
        profiles: bundle.profiles.keys().map(String::as_str).collect(),
        audiences: bundle
            .redaction
            .audiences
            .keys()
            .map(String::as_str)
            .collect(),
        consent: bundle
            .consent
            .iter()
            .flat_map(|c| c.categories.iter().map(|c| c.id.as_str()))
            .collect(),
        groups: bundle.regions.keys().map(String::as_str).collect(),
    };

    unique_ids(&mut cx, bundle);
    detectors_section(&mut cx, bundle, &names);
    fields_section(&mut cx, bundle, &names);
    redaction_section(&mut cx, bundle, &names);
    routes_section(&mut cx, bundle, &names);
    regions_section(&mut cx, bundle, &names);
    transfers_section(&mut cx, bundle, &names);
    browser_sections(&mut cx, bundle, &names);
    cx.out
}

fn unique_ids(cx: &mut Ctx<'_>, b: &Bundle) {
    cx.unique("categories", b.categories.iter().map(|c| c.id.as_str()));
    cx.unique("fields", b.fields.iter().map(|c| c.id.as_str()));
    cx.unique("routes", b.routes.iter().map(|c| c.id.as_str()));
    cx.unique("recipients", b.recipients.iter().map(|c| c.id.as_str()));
    cx.unique("transfers", b.transfers.iter().map(|c| c.id.as_str()));
    cx.unique("minimize", b.minimize.iter().map(|c| c.id.as_str()));
    cx.unique(
        "detectors/custom",
        b.detectors.custom.iter().map(|c| c.id()),
    );
    if let Some(consent) = &b.consent {
        cx.unique(
            "consent/categories",
            consent.categories.iter().map(|c| c.id.as_str()),
        );
        cx.unique(
            "consent/services",
            consent.services.iter().map(|c| c.id.as_str()),
        );
    }
}

fn detectors_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    for (i, custom) in b.detectors.custom.iter().enumerate() {
        let i = format!("{i}");
        if builtin_detector(custom.id()).is_some() {
            cx.error(
                ptr(&["detectors", "custom", &i, "id"]),
                format!(
                    "custom detector id `{}` is a built-in detector's id",
                    custom.id()
                ),
                format!(
                    "rename it, or configure the built-in under /detectors/builtin/{}",
                    custom.id()
                ),
            );
        }
        cx.reference(
            ptr(&["detectors", "custom", &i, "category"]),
            false,
            "category",
            custom.category(),
            &n.categories,
            "/categories",
        );
        if let CustomDetector::Regex(r) = custom {
            // The engine's own compile function: one dialect and one set of limits, so a
            // bundle that passes here compiles at run time on every target.
            match crate::detect::compile_regex(&r.pattern) {
                Ok(re) => {
                    if re.is_match("") {
                        cx.error(
                            ptr(&["detectors", "custom", &i, "pattern"]),
                            format!("pattern `{}` matches the empty string", r.pattern),
                            String::from("a detector must match at least one character: check `*` and `?` quantifiers"),
                        );
                    }
                }
                Err(e) => cx.error(
                    ptr(&["detectors", "custom", &i, "pattern"]),
                    format!("pattern `{}` does not compile: {}", r.pattern, e.summary),
                    match e.span {
                        Some((col, _)) => format!(
                            "the error is at column {col} of the pattern; patterns use Scrim's ASCII byte-oriented dialect (no lookaround, no backreferences) and compile to at most {} KiB",
                            REGEX_SIZE_LIMIT / 1024
                        ),
                        None => format!(
                            "patterns use Scrim's ASCII byte-oriented dialect and compile to at most {} KiB",
                            REGEX_SIZE_LIMIT / 1024
                        ),
                    },
                ),
            }
        }
    }
    let packs: BTreeSet<_> = b.detectors.packs.iter().copied().collect();
    for d in BUILTIN_DETECTORS {
        let setting = b.detectors.builtin.get(d.id);
        let enabled = match setting {
            Some(s) => s.enabled(),
            None => d.default_on || d.pack.is_some_and(|p| packs.contains(&p)),
        };
        let category = setting.and_then(|s| s.category()).unwrap_or(d.category);
        if !enabled || n.categories.contains(&category) {
            continue;
        }
        match setting {
            Some(s) if s.category().is_some() => cx.reference(
                ptr(&["detectors", "builtin", d.id, "category"]),
                false,
                "category",
                category,
                &n.categories,
                "/categories",
            ),
            _ => {
                let at = if setting.is_some() {
                    ptr(&["detectors", "builtin", d.id])
                } else {
                    String::from("/categories")
                };
                cx.error(
                    at,
                    format!(
                        "built-in detector `{}` reports category `{category}`, which this bundle does not define",
                        d.id
                    ),
                    format!(
                        "add a category with id `{category}`, give it another category with `\"{}\": {{\"category\": \"...\"}}`, or switch it off with `\"{}\": false` under /detectors/builtin",
                        d.id, d.id
                    ),
                );
            }
        }
    }
}

fn fields_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    for (i, f) in b.fields.iter().enumerate() {
        let i = format!("{i}");
        match (&f.category, f.ignore) {
            (Some(_), true) => cx.error(
                ptr(&["fields", &i]),
                format!(
                    "field rule `{}` has both `category` and `\"ignore\": true`",
                    f.id
                ),
                String::from(
                    "a field rule either forces a category or suppresses detection: keep one",
                ),
            ),
            (None, false) => cx.error(
                ptr(&["fields", &i]),
                format!(
                    "field rule `{}` has neither `category` nor `\"ignore\": true`",
                    f.id
                ),
                String::from("add `\"category\": \"<category id>\"` or `\"ignore\": true`"),
            ),
            (Some(c), false) => cx.reference(
                ptr(&["fields", &i, "category"]),
                false,
                "category",
                c,
                &n.categories,
                "/categories",
            ),
            (None, true) => {}
        }
        if f.paths.is_empty() && f.keys.is_empty() {
            cx.error(
                ptr(&["fields", &i]),
                format!("field rule `{}` selects nothing", f.id),
                String::from("add `\"paths\": [\"$.a.b\"]` or `\"keys\": [\"name\"]`"),
            );
        }
        for (j, path) in f.paths.iter().enumerate() {
            if !(path.starts_with("$.")
                || path == "$"
                || path.starts_with("**.")
                || path.starts_with("$["))
            {
                cx.error(
                    ptr(&["fields", &i, "paths", &format!("{j}")]),
                    format!(
                        "path `{path}` must start with `$` (from the root) or `**.` (at any depth)"
                    ),
                    String::from("write `$.users[*].email` or `**.email`"),
                );
            }
        }
    }
}

fn method_refs(cx: &mut Ctx<'_>, base: &[&str], o: &RedactionOverride, n: &Names<'_>) {
    for (key, method) in &o.categories {
        let mut p: Vec<&str> = base.to_vec();
        p.extend(["categories", key.as_str()]);
        cx.reference(ptr(&p), true, "category", key, &n.categories, "/categories");
        method_check(cx, &p, method);
    }
    for (key, method) in &o.detectors {
        let mut p: Vec<&str> = base.to_vec();
        p.extend(["detectors", key.as_str()]);
        cx.reference(
            ptr(&p),
            true,
            "detector",
            key,
            &n.detectors,
            "/detectors/custom",
        );
        method_check(cx, &p, method);
    }
}

fn method_check(cx: &mut Ctx<'_>, at: &[&str], method: &Method) {
    if let Method::Replace { template } = method {
        let mut rest = template.as_str();
        while let Some(open) = rest.find('{') {
            let after = rest.get(open + 1..).unwrap_or("");
            let Some(close) = after.find('}') else { break };
            let name = after.get(..close).unwrap_or("");
            if name != "category" && name != "detector" {
                let mut p: Vec<&str> = at.to_vec();
                p.push("template");
                cx.error(
                    ptr(&p),
                    format!("unknown placeholder `{{{name}}}` in template"),
                    String::from("templates can use `{category}` and `{detector}`"),
                );
            }
            rest = after.get(close + 1..).unwrap_or("");
        }
    }
}

fn redaction_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    let r = &b.redaction;
    if let Some(d) = &r.default {
        method_check(cx, &["redaction", "default"], d);
    }
    let top = RedactionOverride {
        default: None,
        categories: r.categories.clone(),
        detectors: r.detectors.clone(),
    };
    method_refs(cx, &["redaction"], &top, n);
    for (name, o) in &r.audiences {
        method_refs(cx, &["redaction", "audiences", name], o, n);
    }
    for (name, p) in &b.profiles {
        if let Some(o) = &p.redaction {
            method_refs(cx, &["profiles", name, "redaction"], o, n);
        }
    }
    for (key, ret) in &b.retention {
        cx.reference(
            ptr(&["retention", key]),
            true,
            "category",
            key,
            &n.categories,
            "/categories",
        );
        if !iso_duration(&ret.period) {
            cx.error(
                ptr(&["retention", key, "period"]),
                format!("`{}` is not an ISO 8601 duration", ret.period),
                String::from("write durations like `P2Y`, `P6M`, `P90D`, `P1Y6M` or `PT12H`"),
            );
        }
    }
}

/// `PnYnMnWnDTnHnMnS` with at least one component; integers only (a fraction is allowed on
/// the last component, as ISO 8601 allows).
fn iso_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else {
        return false;
    };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    fn parts(s: &str, units: &str) -> Option<usize> {
        let mut count = 0;
        let mut number = String::new();
        let mut allowed = units;
        for c in s.chars() {
            if c.is_ascii_digit() || ((c == '.' || c == ',') && !number.is_empty()) {
                number.push(c);
            } else {
                let pos = allowed.find(c)?;
                if number.is_empty() {
                    return None;
                }
                allowed = allowed.get(pos + 1..)?;
                number.clear();
                count += 1;
            }
        }
        if number.is_empty() { Some(count) } else { None }
    }
    let Some(d) = parts(date, "YMWD") else {
        return false;
    };
    let t = match time {
        Some(t) => match parts(t, "HMS") {
            Some(0) | None => return false,
            Some(n) => n,
        },
        None => 0,
    };
    d + t > 0
}

fn region_ok(code: &str, n: &Names<'_>) -> bool {
    code == "*" || is_country(code) || is_subdivision(code) || n.groups.contains(&code)
}

fn region_ref(cx: &mut Ctx<'_>, pointer: String, code: &str, n: &Names<'_>) {
    if region_ok(code, n) {
        return;
    }
    let upper = code.to_ascii_uppercase();
    let suggestion = if upper != code && region_ok(&upper, n) {
        Some(upper)
    } else {
        did_you_mean(code, n.groups.iter().copied()).map(String::from)
    };
    let message = match suggestion {
        Some(s) => format!("unknown region `{code}`, did you mean `{s}`?"),
        None => format!("unknown region `{code}`"),
    };
    cx.error(
        pointer,
        message,
        String::from("use an ISO 3166-1 alpha-2 code (`DE`), an ISO 3166-2 code (`US-CA`), `*`, or a group defined in /regions"),
    );
}

fn regions_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    if let Some(home) = &b.home_region {
        region_ref(cx, String::from("/home_region"), home, n);
    }
    for (group, members) in &b.regions {
        if is_country(group) {
            cx.key_error(
                ptr(&["regions", group]),
                format!("group name `{group}` is an ISO 3166-1 country code"),
                String::from("pick a name that is not a country code, e.g. `EEA` or `ASEAN`"),
            );
        }
        for (i, m) in members.iter().enumerate() {
            region_ref(cx, ptr(&["regions", group, &format!("{i}")]), m, n);
        }
    }
    // Cycles: depth-first search over group → group edges.
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    for start in b.regions.keys() {
        let mut stack: Vec<(&str, Vec<&str>)> =
            alloc::vec![(start.as_str(), alloc::vec![start.as_str()])];
        while let Some((node, path)) = stack.pop() {
            for m in b.regions.get(node).into_iter().flatten() {
                if !b.regions.contains_key(m) {
                    continue;
                }
                if m == start {
                    if path.iter().all(|p| !reported.contains(p)) {
                        reported.extend(path.iter().copied());
                        let mut cycle = path.join(" → ");
                        cycle.push_str(" → ");
                        cycle.push_str(start);
                        cx.key_error(
                            ptr(&["regions", start]),
                            format!("region groups nest in a cycle: {cycle}"),
                            String::from("a group may contain other groups, but not itself"),
                        );
                    }
                } else if !path.contains(&m.as_str()) {
                    let mut next = path.clone();
                    next.push(m);
                    stack.push((m, next));
                }
            }
        }
    }
    for (i, r) in b.recipients.iter().enumerate() {
        region_ref(
            cx,
            ptr(&["recipients", &format!("{i}"), "region"]),
            &r.region,
            n,
        );
    }
}

fn routes_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    for (i, r) in b.routes.iter().enumerate() {
        let i_s = format!("{i}");
        if let Some(p) = &r.profile {
            cx.reference(
                ptr(&["routes", &i_s, "profile"]),
                false,
                "profile",
                p,
                &n.profiles,
                "/profiles",
            );
        }
        if let Some(p) = &r.recipient {
            cx.reference(
                ptr(&["routes", &i_s, "recipient"]),
                false,
                "recipient",
                p,
                &n.recipients,
                "/recipients",
            );
        }
        for key in r.bulk_limit.keys() {
            cx.reference(
                ptr(&["routes", &i_s, "bulk_limit", key]),
                true,
                "category",
                key,
                &n.categories,
                "/categories",
            );
        }
        // A route that comes after one matching everything it matches never applies.
        if let Some((j, earlier)) = b.routes.iter().enumerate().take(i).find(|(_, e)| {
            covers_patterns(&e.hosts, &r.hosts)
                && covers_patterns(&e.paths, &r.paths)
                && covers(&e.methods, &r.methods)
                && (e.direction == r.direction || e.direction == Direction::Both)
        }) {
            cx.warning(
                ptr(&["routes", &i_s]),
                format!("route `{}` never applies: route `{}` (/routes/{j}) comes first and matches all its traffic", r.id, earlier.id),
                String::from("routes are tried in order and the first match wins: move the narrower route up"),
            );
        }
    }
}

/// Whether a list (empty = anything) covers every element of another.
fn covers<T: PartialEq>(wide: &[T], narrow: &[T]) -> bool {
    wide.is_empty() || (!narrow.is_empty() && narrow.iter().all(|x| wide.contains(x)))
}

/// Like [`covers`], with `*` and `/*` patterns meaning anything.
fn covers_patterns(wide: &[String], narrow: &[String]) -> bool {
    wide.is_empty() || wide.iter().any(|w| w == "*" || w == "/*") || covers(wide, narrow)
}

fn transfer_covers(e: &TransferRule, r: &TransferRule) -> bool {
    e.when.is_none()
        && covers(&e.from, &r.from)
        && covers(&e.to, &r.to)
        && covers(&e.recipients, &r.recipients)
        && covers(&e.categories, &r.categories)
}

fn transfers_section(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    for (i, t) in b.transfers.iter().enumerate() {
        let i_s = format!("{i}");
        for (list, items) in [("from", &t.from), ("to", &t.to)] {
            for (j, code) in items.iter().enumerate() {
                region_ref(
                    cx,
                    ptr(&["transfers", &i_s, list, &format!("{j}")]),
                    code,
                    n,
                );
            }
        }
        for (j, r) in t.recipients.iter().enumerate() {
            cx.reference(
                ptr(&["transfers", &i_s, "recipients", &format!("{j}")]),
                false,
                "recipient",
                r,
                &n.recipients,
                "/recipients",
            );
        }
        for (list, items) in [("categories", &t.categories), ("redact", &t.redact)] {
            for (j, c) in items.iter().enumerate() {
                cx.reference(
                    ptr(&["transfers", &i_s, list, &format!("{j}")]),
                    false,
                    "category",
                    c,
                    &n.categories,
                    "/categories",
                );
            }
        }
        if let Some(w) = &t.when {
            if let Some(c) = &w.consent_missing {
                consent_ref(
                    cx,
                    ptr(&["transfers", &i_s, "when", "consent_missing"]),
                    c,
                    b,
                    n,
                );
            }
            for (j, a) in w.audiences.iter().enumerate() {
                cx.reference(
                    ptr(&["transfers", &i_s, "when", "audiences", &format!("{j}")]),
                    false,
                    "audience",
                    a,
                    &n.audiences,
                    "/redaction/audiences",
                );
            }
            for (j, code) in w.subject.iter().enumerate() {
                region_ref(
                    cx,
                    ptr(&["transfers", &i_s, "when", "subject", &format!("{j}")]),
                    code,
                    n,
                );
            }
        }
        if t.status.is_some() && t.action != Action::Deny {
            cx.error(
                ptr(&["transfers", &i_s, "status"]),
                format!(
                    "`status` only applies to `\"action\": \"deny\"`, this rule's action is `{}`",
                    action_name(t.action)
                ),
                String::from("remove `status`, or change the action to `deny`"),
            );
        }
        if !t.redact.is_empty() && t.action != Action::Redact {
            cx.error(
                ptr(&["transfers", &i_s, "redact"]),
                format!(
                    "`redact` only applies to `\"action\": \"redact\"`, this rule's action is `{}`",
                    action_name(t.action)
                ),
                String::from("remove `redact`, or change the action to `redact`"),
            );
        }
        if t.redact.is_empty() && t.action == Action::Redact {
            cx.error(
                ptr(&["transfers", &i_s]),
                String::from("`\"action\": \"redact\"` without a `redact` list"),
                String::from(
                    "add `\"redact\": [\"<category id>\", ...]` naming the categories to redact",
                ),
            );
        }
        if let Some((j, earlier)) = b
            .transfers
            .iter()
            .enumerate()
            .take(i)
            .find(|(_, e)| transfer_covers(e, t))
        {
            cx.warning(
                ptr(&["transfers", &i_s]),
                format!("transfer rule `{}` can never match: rule `{}` (/transfers/{j}) comes first and matches everything it matches", t.id, earlier.id),
                String::from("rules are evaluated in order and the first match decides: move the narrower rule up"),
            );
        }
    }
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::Allow => "allow",
        Action::Redact => "redact",
        Action::Deny => "deny",
    }
}

fn consent_ref(cx: &mut Ctx<'_>, pointer: String, name: &str, b: &Bundle, n: &Names<'_>) {
    if b.consent.is_none() {
        cx.error(
            pointer,
            format!("refers to consent category `{name}`, but the bundle has no `consent` section"),
            String::from("add a `consent` section with `categories`"),
        );
    } else {
        cx.reference(
            pointer,
            false,
            "consent category",
            name,
            &n.consent,
            "/consent/categories",
        );
    }
}

fn browser_sections(cx: &mut Ctx<'_>, b: &Bundle, n: &Names<'_>) {
    if let Some(consent) = &b.consent {
        for (i, s) in consent.services.iter().enumerate() {
            let i_s = format!("{i}");
            cx.reference(
                ptr(&["consent", "services", &i_s, "category"]),
                false,
                "consent category",
                &s.category,
                &n.consent,
                "/consent/categories",
            );
            if let Some(r) = &s.recipient {
                cx.reference(
                    ptr(&["consent", "services", &i_s, "recipient"]),
                    false,
                    "recipient",
                    r,
                    &n.recipients,
                    "/recipients",
                );
            }
        }
        for (i, j) in consent.jurisdictions.iter().enumerate() {
            for (k, code) in j.regions.iter().enumerate() {
                region_ref(
                    cx,
                    ptr(&[
                        "consent",
                        "jurisdictions",
                        &format!("{i}"),
                        "regions",
                        &format!("{k}"),
                    ]),
                    code,
                    n,
                );
            }
        }
    }
    for (i, m) in b.minimize.iter().enumerate() {
        let i_s = format!("{i}");
        for (j, c) in m.allow.iter().enumerate() {
            cx.reference(
                ptr(&["minimize", &i_s, "allow", &format!("{j}")]),
                false,
                "category",
                c,
                &n.categories,
                "/categories",
            );
        }
        if let Some(c) = &m.consent {
            consent_ref(cx, ptr(&["minimize", &i_s, "consent"]), c, b, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        for ok in ["P2Y", "P1Y6M", "P90D", "P2W", "PT12H", "P1DT2H30M", "P0.5Y"] {
            assert!(iso_duration(ok), "{ok}");
        }
        for bad in ["2Y", "P", "PT", "P2", "P1M1Y", "P1H", "2 years", "P1DT"] {
            assert!(!iso_duration(bad), "{bad}");
        }
    }

    #[test]
    fn the_validator_reports_regex_errors_at_the_pattern() {
        let bundle = include_str!("../../../policies/default.json");
        let with = |pattern: &str| {
            let custom = alloc::format!(
                r#""custom": [{{"id": "emp", "type": "regex", "pattern": {}, "category": "contact"}}]"#,
                serde_json::to_string(pattern).unwrap()
            );
            let text = bundle.replacen(r#""custom": []"#, &custom, 1);
            assert_ne!(
                text, bundle,
                "policies/default.json has no empty custom list"
            );
            crate::bundle::check(&text)
        };
        assert!(!with(r"EMP-\d{6}").has_errors());
        let report = with("EMP-[0-9");
        let d = &report.diagnostics[0];
        assert_eq!(d.pointer, "/detectors/custom/0/pattern");
        assert_eq!(
            d.message,
            "pattern `EMP-[0-9` does not compile: unclosed character class"
        );
        assert!(d.help.contains("column 5"), "{}", d.help);
        // The engine's limits apply here too: 256 KiB compiled, 1024 bytes of pattern.
        let report = with(r"\w{1000}\w{1000}\w{1000}");
        assert!(
            report.diagnostics[0].message.contains("256 KiB"),
            "{:?}",
            report.diagnostics
        );
        let report = with(&"a".repeat(crate::detect::REGEX_PATTERN_MAX_LEN + 1));
        assert!(
            report
                .diagnostics
                .iter()
                .any(|d| d.pointer == "/detectors/custom/0/pattern"),
            "{:?}",
            report.diagnostics
        );
        // Lookaround is not in the dialect, on any target.
        assert!(with("(?=x)y").has_errors());
        // A pattern matching the empty string is refused.
        assert!(with("x*").has_errors());
    }
}
