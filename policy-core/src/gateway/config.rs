//! Loading the filter's plugin configuration: `{"bundle": {...}, "options": {...}, "law": {...}}`.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use crate::bundle::{Diagnostic, Severity, check};
use crate::json::{self, Span};
use crate::law::LawData;
use crate::policy::{CompileOptions, Policy};
use crate::redact::HashKey;
use crate::transfer::{RegionChain, TransferPolicy};

use super::{DEFAULT_LAW, Gateway, Options};

/// Why a configuration was refused: every problem found, each with its JSON pointer (from the
/// configuration's root, e.g. `/bundle/redacton`) and line:column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    diagnostics: Vec<Diagnostic>,
}

impl ConfigError {
    fn one(pointer: &str, line: u32, column: u32, message: String, help: &str) -> ConfigError {
        ConfigError {
            diagnostics: Vec::from([Diagnostic {
                severity: Severity::Error,
                pointer: pointer.into(),
                line,
                column,
                message,
                help: help.into(),
            }]),
        }
    }

    /// Every error and warning, in source order.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .enumerate()
        {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}:{}: {}: {}", d.line, d.column, d.pointer, d.message)?;
            if !d.help.is_empty() {
                write!(f, " (help: {})", d.help)?;
            }
        }
        Ok(())
    }
}

/// Maps a position inside a member's text back to the whole configuration's line:column.
fn relocate(span: &Span, line: u32, column: u32) -> (u32, u32) {
    if line <= 1 {
        (span.line, span.column + column.saturating_sub(1))
    } else {
        (span.line + line - 1, column)
    }
}

impl Gateway {
    /// Builds a gateway from the filter's plugin configuration. `env` looks up environment
    /// variables: the key for the `hash` method comes from the one `options.hmac_key_env`
    /// names (a `vm_config` environment variable in Envoy), never from the configuration.
    ///
    /// # Errors
    ///
    /// Malformed JSON, an invalid bundle (every diagnostic, pointers under `/bundle`), unknown
    /// or ill-typed options, invalid law data, or options naming a profile the bundle lacks.
    pub fn from_config(
        source: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Gateway, ConfigError> {
        let tree = json::parse(source).map_err(|e| {
            ConfigError::one("", e.line(), e.column(), e.message().into(), e.help())
        })?;
        let Some(members) = tree.as_object() else {
            return Err(ConfigError::one(
                "",
                tree.span.line,
                tree.span.column,
                format!(
                    "the configuration is {}, expected an object",
                    tree.type_name()
                ),
                r#"write {"bundle": {...}, "options": {...}}"#,
            ));
        };
        for m in members {
            if !matches!(m.key.as_str(), "bundle" | "options" | "law") {
                return Err(ConfigError::one(
                    &format!("/{}", json::escape_token(&m.key)),
                    m.key_span.line,
                    m.key_span.column,
                    format!(
                        "unknown field `{}`, expected `bundle`, `options` or `law`",
                        m.key
                    ),
                    "the configuration has three members: bundle (required), options, law",
                ));
            }
        }
        let text = |v: &json::Value| source.get(v.span.start..v.span.end).unwrap_or("");

        let Some(bundle_value) = tree.get("bundle") else {
            return Err(ConfigError::one(
                "",
                1,
                1,
                "missing field `bundle`".into(),
                "put the policy bundle (the checked JSON file's content) under `bundle`",
            ));
        };
        let report = check(text(bundle_value));
        let Some(bundle) = report.bundle.clone().filter(|_| !report.has_errors()) else {
            let diagnostics = report
                .diagnostics
                .into_iter()
                .map(|mut d| {
                    d.pointer = format!("/bundle{}", d.pointer);
                    (d.line, d.column) = relocate(&bundle_value.span, d.line, d.column);
                    d
                })
                .collect();
            return Err(ConfigError { diagnostics });
        };

        let options: Options = match tree.get("options") {
            None => Options::default(),
            Some(v) => json::from_value(v).map_err(|e| {
                let (line, column) = e.line_column().unwrap_or((v.span.line, v.span.column));
                ConfigError::one(
                    &format!("/options{}", e.pointer()),
                    line,
                    column,
                    e.message().into(),
                    "see docs/deploy.md for the filter's options",
                )
            })?,
        };
        if let Some(p) = options
            .profile
            .as_deref()
            .filter(|p| !bundle.profiles.contains_key(*p))
        {
            return Err(ConfigError::one(
                "/options/profile",
                1,
                1,
                format!("profile `{p}` is not defined in the bundle's `profiles`"),
                "define it under /bundle/profiles or remove the option",
            ));
        }

        let law_text = tree.get("law").map_or(DEFAULT_LAW, text);
        let law = LawData::from_json(law_text).map_err(|e| {
            ConfigError::one("/law", 1, 1, e.to_string(), "check it with `scrim check`")
        })?;
        let transfers = TransferPolicy::from_bundle(&bundle).map_err(|e| {
            ConfigError::one(
                "/bundle",
                1,
                1,
                e.to_string(),
                "run `scrim check` on the bundle",
            )
        })?;
        let policy = Policy::compile(&bundle, &CompileOptions::default()).map_err(|e| {
            ConfigError::one(
                &format!("/bundle{}", e.pointer),
                1,
                1,
                e.message,
                "run `scrim check` on the bundle",
            )
        })?;
        let chain = RegionChain::from_headers(&options.claim_header, &options.region_header);
        let label = format!("{}@{}", bundle.name, bundle.revision);
        let hmac_key = env(&options.hmac_key_env)
            .filter(|k| !k.is_empty())
            .map(|k| HashKey::new(k.as_bytes()));
        Ok(Gateway {
            bundle,
            label,
            policy,
            transfers,
            law,
            chain,
            options,
            hmac_key,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLE: &str = include_str!("../../../policies/default.json");

    fn load(options: &str) -> Result<Gateway, ConfigError> {
        let config = alloc::format!("{{\"bundle\": {BUNDLE},\n\"options\": {options}}}");
        Gateway::from_config(&config, &|_| None)
    }

    fn refused(options: &str) -> ConfigError {
        match load(options) {
            Ok(_) => panic!("options {options} were accepted"),
            Err(e) => e,
        }
    }

    #[test]
    fn options_load_with_their_routes() {
        let Ok(gateway) =
            load(r#"{"failure_mode": "open", "routes": {"health": {"disabled": true}}}"#)
        else {
            panic!("valid options were refused");
        };
        assert_eq!(
            gateway.options().failure_mode,
            super::super::FailureMode::Open
        );
        assert!(gateway.options().routes.get("health").unwrap().disabled);
    }

    #[test]
    fn a_bad_option_is_reported_at_its_own_pointer_and_line() {
        let e = refused("{\"routes\": {\"api/v1\": {\n  \"disabld\": true}}}");
        let d = e.diagnostics().first().unwrap();
        assert_eq!(d.pointer, "/options/routes/api~1v1/disabld");
        assert!(d.message.starts_with("unknown field `disabld`"), "{e}");
        // The line the misspelt key is on, counted in the whole configuration text.
        let config_lines = BUNDLE.matches('\n').count() + 3;
        assert_eq!(
            (d.line, d.column),
            (u32::try_from(config_lines).unwrap(), 3)
        );

        let e = refused(r#"{"max_body_bytes": "1MB"}"#);
        let d = e.diagnostics().first().unwrap();
        assert_eq!(d.pointer, "/options/max_body_bytes");
        assert!(d.message.contains("invalid type: string \"1MB\""), "{e}");
    }
}
