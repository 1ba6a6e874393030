//! A small JSON Schema (draft 2020-12) interpreter: exactly the keywords
//! `policies/schema/bundle.v1.schema.json` uses, run over the spanned tree so every
//! structural problem has a pointer and a line:column.
//!
//! Keywords: `type`, `properties`, `required`, `additionalProperties`, `propertyNames`,
//! `items`, `enum`, `const`, `pattern`, `minimum`, `maximum`, `minLength`, `maxLength`,
//! `minItems`, `maxItems`, `uniqueItems`, `$ref` (to `#/$defs/...`), `oneOf` (with a
//! discriminator: every branch fixes the same property with `const`) and `anyOf`.
//! Annotations (`description`, `examples`, `title`, `$id`, `$schema`) are ignored.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use regex_automata::Input;
use regex_automata::hybrid::regex::{Cache, Regex};

use super::diagnostic::{Diagnostic, Severity};
use super::suggest::did_you_mean;
use crate::json::{Span, Value, ValueKind, push_token};

/// The bundle JSON Schema, as shipped in `policies/schema/` (without insignificant whitespace,
/// which would cost the filter 15 KB).
pub const BUNDLE_SCHEMA: &str = crate::minified_json!(include_str!(
    "../../../policies/schema/bundle.v1.schema.json"
));

pub(crate) struct SchemaChecker<'s> {
    root: &'s Value,
    /// Each `pattern` compiled once (a lazy DFA with its cache); `None` if it does not compile.
    /// A list, not a map: the schema has five patterns, and a map type of its own would cost
    /// the filter code.
    regexes: Vec<(String, Option<(Regex, Cache)>)>,
}

/// The help line for a value: what the schema says it is.
fn about(description: &str) -> String {
    if description.is_empty() {
        String::from("see docs/bundle-format.md for this section")
    } else {
        format!("expected here: {description}")
    }
}

fn article(ty: &str) -> &'static str {
    match ty {
        "object" => "an object",
        "array" => "an array",
        "string" => "a string",
        "number" => "a number",
        "integer" => "an integer",
        "boolean" => "a boolean (`true` or `false`)",
        "null" => "`null`",
        _ => "a value",
    }
}

fn found(inst: &Value) -> String {
    match &inst.kind {
        ValueKind::Null => String::from("`null`"),
        ValueKind::Bool(b) => format!("`{b}`"),
        ValueKind::Number(n) => format!("the number `{}`", n.as_str()),
        ValueKind::String(s) => format!("the string `{s}`"),
        ValueKind::Array(_) => String::from("an array"),
        ValueKind::Object(_) => String::from("an object"),
    }
}

fn show(v: &Value) -> String {
    match &v.kind {
        ValueKind::String(s) => format!("`{s}`"),
        ValueKind::Number(n) => format!("`{}`", n.as_str()),
        ValueKind::Bool(b) => format!("`{b}`"),
        ValueKind::Null => String::from("`null`"),
        _ => String::from("a compound value"),
    }
}

fn type_matches(ty: &str, inst: &Value) -> bool {
    match ty {
        "integer" => inst.as_number().is_some_and(|n| n.is_integer()),
        "number" => inst.as_number().is_some(),
        other => inst.type_name() == other,
    }
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(t) => match &t.kind {
            ValueKind::String(s) => alloc::vec![s.as_str()],
            ValueKind::Array(items) => items.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

pub(crate) fn diag(
    severity: Severity,
    pointer: &str,
    span: Span,
    message: String,
    help: String,
) -> Diagnostic {
    Diagnostic {
        severity,
        pointer: String::from(pointer),
        line: span.line,
        column: span.column,
        message,
        help,
    }
}

impl<'s> SchemaChecker<'s> {
    pub(crate) fn new(root: &'s Value) -> SchemaChecker<'s> {
        SchemaChecker {
            root,
            regexes: Vec::new(),
        }
    }

    fn resolve(&self, schema: &'s Value) -> &'s Value {
        let mut current = schema;
        // A `$ref` chain is short in our schema; the bound guards against a cycle.
        for _ in 0..8 {
            match current
                .get("$ref")
                .and_then(|r| r.as_str())
                .and_then(|r| r.strip_prefix('#'))
                .and_then(|p| self.root.pointer(p))
            {
                Some(target) => current = target,
                None => break,
            }
        }
        current
    }

    /// Whether `s` matches the schema's `pattern`, or `None` if the pattern does not compile
    /// (the keyword is then ignored).
    fn pattern_matches(&mut self, pattern: &str, s: &str) -> Option<bool> {
        let at = match self.regexes.iter().position(|(p, _)| p == pattern) {
            Some(at) => at,
            None => {
                let compiled = Regex::new(pattern).ok().map(|re| {
                    let cache = re.create_cache();
                    (re, cache)
                });
                self.regexes.push((String::from(pattern), compiled));
                self.regexes.len() - 1
            }
        };
        let (re, cache) = self.regexes.get_mut(at)?.1.as_mut()?;
        // The default lazy DFA has no quit bytes and never gives up: a search cannot fail.
        re.try_search(cache, &Input::new(s).earliest(true))
            .ok()
            .map(|m| m.is_some())
    }

    /// Validates `inst` against the whole schema.
    pub(crate) fn check(&mut self, inst: &Value, out: &mut Vec<Diagnostic>) {
        let mut pointer = String::new();
        let root = self.root;
        self.validate(root, inst, &mut pointer, out);
    }

    fn validate(
        &mut self,
        schema: &'s Value,
        inst: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
    ) {
        let schema = self.resolve(schema);
        let description = schema
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");

        let types = types_of(schema);
        if !types.is_empty() && !types.iter().any(|t| type_matches(t, inst)) {
            let expected: Vec<&str> = types.iter().map(|t| article(t)).collect();
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("expected {}, found {}", expected.join(" or "), found(inst)),
                about(description),
            ));
            return;
        }

        if let Some(c) = schema.get("const")
            && !c.json_eq(inst)
        {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("expected {}, found {}", show(c), found(inst)),
                about(description),
            ));
        }

        if let Some(options) = schema.get("enum").and_then(|e| e.as_array())
            && !options.iter().any(|o| o.json_eq(inst))
        {
            let listed: Vec<String> = options.iter().map(show).collect();
            let suggestion = inst
                .as_str()
                .and_then(|s| did_you_mean(s, options.iter().filter_map(|o| o.as_str())));
            let message = match suggestion {
                Some(m) => format!("{} is not allowed here, did you mean `{m}`?", show(inst)),
                None => format!("{} is not allowed here", show(inst)),
            };
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                message,
                format!("use one of {}", listed.join(", ")),
            ));
        }

        match &inst.kind {
            ValueKind::String(s) => self.string(schema, s, inst, pointer, out),
            ValueKind::Number(n) => {
                let v = n.as_f64();
                if let Some(min) = schema.get("minimum").and_then(|m| m.as_number())
                    && v < min.as_f64()
                {
                    out.push(diag(
                        Severity::Error,
                        pointer,
                        inst.span,
                        format!(
                            "`{}` is too small, the minimum is {}",
                            n.as_str(),
                            min.as_str()
                        ),
                        about(description),
                    ));
                }
                if let Some(max) = schema.get("maximum").and_then(|m| m.as_number())
                    && v > max.as_f64()
                {
                    out.push(diag(
                        Severity::Error,
                        pointer,
                        inst.span,
                        format!(
                            "`{}` is too large, the maximum is {}",
                            n.as_str(),
                            max.as_str()
                        ),
                        about(description),
                    ));
                }
            }
            ValueKind::Array(items) => self.array(schema, items, inst, pointer, out),
            ValueKind::Object(_) => self.object(schema, inst, pointer, out),
            _ => {}
        }

        if let Some(branches) = schema.get("oneOf").and_then(|b| b.as_array()) {
            self.one_of(branches, inst, pointer, out, description);
        }
        if let Some(branches) = schema.get("anyOf").and_then(|b| b.as_array()) {
            self.any_of(branches, inst, pointer, out, description);
        }
    }

    fn string(
        &mut self,
        schema: &'s Value,
        s: &str,
        inst: &Value,
        pointer: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let description = schema
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        let len = s.chars().count() as f64;
        if let Some(min) = schema.get("minLength").and_then(|m| m.as_number())
            && len < min.as_f64()
        {
            let message = if s.is_empty() {
                String::from("must not be empty")
            } else {
                format!("`{s}` is too short, at least {} characters", min.as_str())
            };
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                message,
                about(description),
            ));
        }
        if let Some(max) = schema.get("maxLength").and_then(|m| m.as_number())
            && len > max.as_f64()
        {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("is too long, at most {} characters", max.as_str()),
                about(description),
            ));
        }
        if let Some(pattern) = schema.get("pattern").and_then(|p| p.as_str())
            && self.pattern_matches(pattern, s) == Some(false)
        {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("`{s}` does not have the expected form `{pattern}`"),
                about(description),
            ));
        }
    }

    fn array(
        &mut self,
        schema: &'s Value,
        items: &[Value],
        inst: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
    ) {
        let description = schema
            .get("description")
            .and_then(|d| d.as_str())
            .unwrap_or("");
        let n = items.len() as f64;
        if let Some(min) = schema.get("minItems").and_then(|m| m.as_number())
            && n < min.as_f64()
        {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!(
                    "needs at least {} element(s), found {}",
                    min.as_str(),
                    items.len()
                ),
                about(description),
            ));
        }
        if let Some(max) = schema.get("maxItems").and_then(|m| m.as_number())
            && n > max.as_f64()
        {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("has more than {} elements", max.as_str()),
                about(description),
            ));
        }
        if schema.get("uniqueItems").and_then(|u| u.as_bool()) == Some(true) {
            for (i, item) in items.iter().enumerate() {
                if items.iter().take(i).any(|earlier| earlier.json_eq(item)) {
                    let len = pointer.len();
                    push_token(pointer, &format!("{i}"));
                    out.push(diag(
                        Severity::Error,
                        pointer,
                        item.span,
                        format!("{} is listed twice", show(item)),
                        String::from("remove the repeated element"),
                    ));
                    pointer.truncate(len);
                }
            }
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                push_token(pointer, &format!("{i}"));
                self.validate(item_schema, item, pointer, out);
                pointer.truncate(len);
            }
        }
    }

    fn object(
        &mut self,
        schema: &'s Value,
        inst: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
    ) {
        let members = inst.as_object().unwrap_or(&[]);
        let properties = schema.get("properties");
        if let Some(required) = schema.get("required").and_then(|r| r.as_array()) {
            for name in required.iter().filter_map(|r| r.as_str()) {
                if inst.get(name).is_none() {
                    let what = properties
                        .and_then(|p| p.get(name))
                        .map(|p| self.resolve(p))
                        .and_then(|p| p.get("description"))
                        .and_then(|d| d.as_str())
                        .unwrap_or("required");
                    out.push(diag(
                        Severity::Error,
                        pointer,
                        inst.span,
                        format!("missing required field `{name}`"),
                        format!("add `\"{name}\"`: {what}"),
                    ));
                }
            }
        }
        let additional = schema.get("additionalProperties");
        let names = schema.get("propertyNames");
        for member in members {
            let len = pointer.len();
            push_token(pointer, &member.key);
            if let Some(names) = names {
                let key_value = Value {
                    kind: ValueKind::String(member.key.clone()),
                    span: member.key_span,
                };
                self.validate(names, &key_value, pointer, out);
            }
            match properties.and_then(|p| p.get(&member.key)) {
                Some(prop) => self.validate(prop, &member.value, pointer, out),
                None => match additional {
                    Some(a) if a.as_bool() == Some(false) => {
                        let known: Vec<&str> = properties
                            .and_then(|p| p.as_object())
                            .map(|ms| ms.iter().map(|m| m.key.as_str()).collect())
                            .unwrap_or_default();
                        let message = match did_you_mean(&member.key, known.iter().copied()) {
                            Some(s) => format!("unknown field, did you mean \"{s}\"?"),
                            None => String::from("unknown field"),
                        };
                        let listed: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
                        out.push(diag(
                            Severity::Error,
                            pointer,
                            member.key_span,
                            message,
                            format!("fields allowed here: {}", listed.join(", ")),
                        ));
                    }
                    Some(a) if a.as_object().is_some() => {
                        self.validate(a, &member.value, pointer, out)
                    }
                    _ => {}
                },
            }
            pointer.truncate(len);
        }
    }

    fn passes(&mut self, schema: &'s Value, inst: &Value, pointer: &mut String) -> Vec<Diagnostic> {
        let mut scratch = Vec::new();
        self.validate(schema, inst, pointer, &mut scratch);
        scratch
    }

    fn one_of(
        &mut self,
        branches: &'s [Value],
        inst: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
        description: &str,
    ) {
        // Discriminated: every branch fixes the same property with `const`.
        let resolved: Vec<&'s Value> = branches.iter().map(|b| self.resolve(b)).collect();
        let tag = resolved.first().and_then(|b| {
            b.get("properties")?
                .as_object()?
                .iter()
                .find(|m| m.value.get("const").is_some())
                .map(|m| m.key.as_str())
        });
        if let Some(tag) = tag {
            let consts: Vec<Option<&Value>> = resolved
                .iter()
                .map(|b| {
                    b.get("properties")
                        .and_then(|p| p.get(tag))
                        .and_then(|t| t.get("const"))
                })
                .collect();
            if consts.iter().all(Option::is_some) {
                if inst.as_object().is_none() {
                    return; // the type error is reported by `type`
                }
                let allowed: Vec<&str> =
                    consts.iter().flatten().filter_map(|c| c.as_str()).collect();
                let listed: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                let Some(value) = inst.member(tag) else {
                    out.push(diag(
                        Severity::Error,
                        pointer,
                        inst.span,
                        format!("missing required field `{tag}`"),
                        format!("add `\"{tag}\"` with one of {}", listed.join(", ")),
                    ));
                    return;
                };
                let chosen = resolved
                    .iter()
                    .zip(&consts)
                    .find(|(_, c)| c.is_some_and(|c| c.json_eq(&value.value)));
                match chosen {
                    Some((branch, _)) => self.validate(branch, inst, pointer, out),
                    None => {
                        let len = pointer.len();
                        push_token(pointer, tag);
                        let message = match value
                            .value
                            .as_str()
                            .and_then(|s| did_you_mean(s, allowed.iter().copied()))
                        {
                            Some(m) => format!(
                                "{} is not allowed here, did you mean `{m}`?",
                                show(&value.value)
                            ),
                            None => format!("{} is not allowed here", show(&value.value)),
                        };
                        out.push(diag(
                            Severity::Error,
                            pointer,
                            value.value.span,
                            message,
                            format!("use one of {}", listed.join(", ")),
                        ));
                        pointer.truncate(len);
                    }
                }
                return;
            }
        }
        let passing = resolved
            .iter()
            .filter(|b| self.passes(b, inst, pointer).is_empty())
            .count();
        if passing != 1 {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("does not match exactly one of the allowed forms ({passing} match)"),
                about(description),
            ));
        }
    }

    fn any_of(
        &mut self,
        branches: &'s [Value],
        inst: &Value,
        pointer: &mut String,
        out: &mut Vec<Diagnostic>,
        description: &str,
    ) {
        let mut typed: Vec<Vec<Diagnostic>> = Vec::new();
        let mut kinds: Vec<&str> = Vec::new();
        for branch in branches {
            let branch = self.resolve(branch);
            let errors = self.passes(branch, inst, pointer);
            if errors.is_empty() {
                return;
            }
            let types = types_of(branch);
            kinds.extend(types.iter().map(|t| article(t)));
            if types.iter().any(|t| type_matches(t, inst)) {
                typed.push(errors);
            }
        }
        if typed.len() == 1 {
            out.extend(typed.into_iter().flatten());
        } else {
            out.push(diag(
                Severity::Error,
                pointer,
                inst.span,
                format!("expected {}, found {}", kinds.join(" or "), found(inst)),
                about(description),
            ));
        }
    }
}
