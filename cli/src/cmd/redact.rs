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
    /// Run the compiled filter (scrim_envoy.wasm) in scrim-host instead of the native core;
    /// the output is the same. The report then holds the filter's audit log lines.
    #[arg(long)]
    pub wasm: Option<PathBuf>,
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
    let report = scrim_core::bundle::check(&bundle_text);
    let bundle = match report.bundle.filter(|_| {
        !report
            .diagnostics
            .iter()
            .any(|d| d.severity == scrim_core::bundle::Severity::Error)
    }) {
        Some(b) => b,
        None => {
            let path = args.bundle.display().to_string();
            for d in report
                .diagnostics
                .iter()
                .filter(|d| d.severity == scrim_core::bundle::Severity::Error)
            {
                eprintln!("{}", d.with_path(&path));
            }
            return fail(format_args!("{path}: the bundle is invalid (see above)"));
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
    if let Some(wasm) = &args.wasm {
        let mut body = Vec::new();
        if let Err(e) = reader.read_to_end(&mut body) {
            return fail(format_args!("cannot read `{input_name}`: {e}"));
        }
        return match redact_wasm(wasm, &bundle_text, format, &args, &body) {
            Ok((out, audit)) => {
                if let Some(path) = &args.report
                    && let Err(e) = std::fs::write(path, audit.join("\n") + "\n")
                {
                    return fail(format_args!(
                        "cannot write report `{}`: {e}",
                        path.display()
                    ));
                }
                let mut stdout = std::io::stdout().lock();
                match stdout.write_all(&out).and_then(|()| stdout.flush()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => fail(format_args!("cannot write the output: {e}")),
                }
            }
            Err(e) => fail(format_args!("{input_name}: {e}")),
        };
    }
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

/// The content type the filter is told the body has.
fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Ndjson => "application/x-ndjson",
        Format::FormUrlEncoded => "application/x-www-form-urlencoded",
        Format::Text => "text/plain",
    }
}

/// Runs the body through the compiled filter in scrim-host, as one response on a route that
/// redacts everything. Returns the body and the filter's audit log lines.
pub fn redact_wasm(
    wasm: &std::path::Path,
    bundle_text: &str,
    format: Format,
    args: &RedactArgs,
    body: &[u8],
) -> Result<(Vec<u8>, Vec<String>), String> {
    use scrim_host::{ChunkPlan, Exchange, Host, HttpMessage, LogLevel, PluginOptions};

    let mut bundle: serde_json::Value =
        serde_json::from_str(bundle_text).map_err(|e| e.to_string())?;
    // `scrim redact` applies the policy's redaction to this body whatever its routes and
    // transfer rules say: one catch-all response route, no transfer rules.
    if let Some(b) = bundle.as_object_mut() {
        b.insert(
            "routes".into(),
            serde_json::json!([{"id": "scrim-redact", "direction": "response"}]),
        );
        b.remove("transfers");
    }
    let key_env = args
        .hmac_key_env
        .clone()
        .unwrap_or_else(|| "SCRIM_HMAC_KEY".into());
    let mut options = serde_json::json!({
        "hmac_key_env": key_env,
        "max_body_bytes": body.len().max(1 << 20) * 2,
        "strip_accept_encoding": false,
    });
    if let Some(p) = &args.profile {
        options["profile"] = serde_json::Value::from(p.as_str());
    }
    let config = serde_json::json!({ "bundle": bundle, "options": options }).to_string();
    let host = Host::from_file(wasm).map_err(|e| e.to_string())?;
    let mut plugin_options = PluginOptions::new(config);
    plugin_options.buffer_limit = body.len().max(1 << 20) * 2;
    if let Ok(key) = std::env::var(&key_env) {
        plugin_options = plugin_options.env(&key_env, &key);
    }
    let mut plugin = host.start(plugin_options).map_err(|e| e.to_string())?;
    let mut request = HttpMessage::request("GET", "/");
    if let Some(a) = &args.audience {
        request = request.header("x-scrim-audience", a);
    }
    let response = HttpMessage::response(200)
        .header("content-type", content_type(format))
        .body(body.to_vec());
    let outcome = plugin.run(
        &Exchange::new(request, response),
        ChunkPlan::Fixed(64 * 1024),
    );
    if let Some(trap) = &outcome.trap {
        return Err(format!("the filter trapped: {}", trap.message));
    }
    if outcome.reset || outcome.status() != Some(200) {
        let why: Vec<&str> = outcome
            .logs
            .iter()
            .filter(|l| l.level >= LogLevel::Warn)
            .map(|l| l.message.as_str())
            .collect();
        return Err(format!("the filter refused the body: {}", why.join("; ")));
    }
    let audit = outcome
        .logs
        .iter()
        .filter(|l| l.message.starts_with("{\"type\":\"scrim.audit\""))
        .map(|l| l.message.clone())
        .collect();
    Ok((outcome.downstream.body, audit))
}
