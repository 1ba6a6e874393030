//! `scrim redact`: run a bundle's redaction over a body, natively.
//!
//! ```text
//! scrim redact --bundle policies/gdpr-eu.json response.json --report remarks.json
//! curl -s https://api.example.com/v1/users | scrim redact --bundle b.json --audience support
//! ```
//!
//! The redacted body goes to stdout only when the whole body was accepted: on a refused body
//! nothing is written (the same fail-closed outcome as the filter).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use scrim_core::bundle::Bundle;
use scrim_core::policy::{CompileOptions, Policy, RunOptions};
use scrim_core::redact::HashKey;
use scrim_core::stream::Format;

/// Arguments of `scrim redact`.
#[derive(Args, Debug)]
pub struct RedactArgs {
    /// The policy bundle (JSON).
    #[arg(long)]
    pub bundle: PathBuf,
    /// The body to redact; `-` or nothing reads stdin.
    pub input: Option<PathBuf>,
    /// Content type of the body (default: from the file extension, else application/json).
    #[arg(long)]
    pub content_type: Option<String>,
    /// Audience whose redaction overrides apply (`redaction.audiences`).
    #[arg(long)]
    pub audience: Option<String>,
    /// Profile whose overrides apply (`profiles`).
    #[arg(long)]
    pub profile: Option<String>,
    /// Write the remarks and counts as JSON to this file.
    #[arg(long)]
    pub report: Option<PathBuf>,
    /// Name of the environment variable holding the HMAC key for the `hash` method.
    #[arg(long)]
    pub hmac_key_env: Option<String>,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(1)
}

fn format_for(args: &RedactArgs) -> Result<Format, String> {
    if let Some(ct) = &args.content_type {
        return Format::from_content_type(ct).ok_or_else(|| {
            format!("content type `{ct}` is not one scrim rewrites (use application/json, application/x-ndjson, application/x-www-form-urlencoded or text/*)")
        });
    }
    let ext = args
        .input
        .as_ref()
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .unwrap_or("json");
    Ok(match ext {
        "ndjson" | "jsonl" => Format::Ndjson,
        "txt" | "log" | "text" => Format::Text,
        "form" => Format::FormUrlEncoded,
        _ => Format::Json,
    })
}

/// Run `scrim redact`.
pub fn run(args: RedactArgs) -> ExitCode {
    let bundle_text = match std::fs::read_to_string(&args.bundle) {
        Ok(t) => t,
        Err(e) => {
            return fail(format_args!(
                "cannot read bundle `{}`: {e}",
                args.bundle.display()
            ));
        }
    };
    let bundle = match Bundle::from_json(&bundle_text) {
        Ok(b) => b,
        Err(e) => {
            return fail(format_args!(
                "{}:{e} (run `scrim check` for every problem)",
                args.bundle.display()
            ));
        }
    };
    let policy = match Policy::compile(&bundle, &CompileOptions::default()) {
        Ok(p) => p,
        Err(e) => return fail(format_args!("{}: {e}", args.bundle.display())),
    };
    let format = match format_for(&args) {
        Ok(f) => f,
        Err(e) => return fail(e),
    };
    let hmac_key = match &args.hmac_key_env {
        Some(var) => match std::env::var(var) {
            Ok(v) if !v.is_empty() => Some(HashKey::new(v.as_bytes())),
            _ => {
                return fail(format_args!(
                    "environment variable `{var}` is not set or empty (export it with the hmac key)"
                ));
            }
        },
        None => None,
    };
    let opts = RunOptions {
        audience: args.audience.as_deref(),
        profile: args.profile.as_deref(),
        hmac_key,
        ..RunOptions::default()
    };
    let input_name = match &args.input {
        Some(p) if p.as_os_str() != "-" => p.display().to_string(),
        _ => String::from("<stdin>"),
    };
    let mut reader: Box<dyn Read> = match &args.input {
        Some(p) if p.as_os_str() != "-" => match std::fs::File::open(p) {
            Ok(f) => Box::new(f),
            Err(e) => return fail(format_args!("cannot read `{input_name}`: {e}")),
        },
        _ => Box::new(std::io::stdin().lock()),
    };
    let mut redactor = match policy.redactor(format, &opts) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut out = Vec::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => return fail(format_args!("cannot read `{input_name}`: {e}")),
        };
        if let Err(e) = redactor.push(buf.get(..n).unwrap_or(&[]), &mut out) {
            return fail(format_args!("{input_name}: {e}"));
        }
    }
    let summary = match redactor.finish(&mut out) {
        Ok(s) => s,
        Err(e) => return fail(format_args!("{input_name}: {e}")),
    };
    if let Some(path) = &args.report {
        let json = match serde_json::to_vec_pretty(&summary) {
            Ok(j) => j,
            Err(e) => return fail(format_args!("cannot serialize the report: {e}")),
        };
        if let Err(e) = std::fs::write(path, json) {
            return fail(format_args!(
                "cannot write report `{}`: {e}",
                path.display()
            ));
        }
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(&out).and_then(|()| stdout.flush()) {
        return fail(format_args!("cannot write the output: {e}"));
    }
    ExitCode::SUCCESS
}
