//! `scrim decide`: the transfer decision for one request, as JSON.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args as ClapArgs;
use scrim_core::law::{Date, LawData};
use scrim_core::transfer::{RegionChain, RequestFacts, TransferPolicy};

/// The law file shipped with Scrim, used when `--law` is not given and
/// `policies/reference/transfer-law.json` is not in the working directory.
pub const BUILTIN_LAW: &str = include_str!("../../../policies/reference/transfer-law.json");

/// Default location of the law file.
pub const DEFAULT_LAW_PATH: &str = "policies/reference/transfer-law.json";

/// Decide a cross-border transfer for one request and print the Decision as JSON.
#[derive(ClapArgs, Debug)]
pub struct Args {
    /// Policy bundle (JSON).
    #[arg(long)]
    pub bundle: PathBuf,
    /// Transfer law reference data [default: policies/reference/transfer-law.json, else the
    /// copy built into scrim].
    #[arg(long)]
    pub law: Option<PathBuf>,
    /// A request header, `Name: value` (repeatable), e.g. `--header 'x-geo-country: DE'`.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Request method.
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// Request path.
    #[arg(long, default_value = "/")]
    pub path: String,
    /// Request host (`:authority`).
    #[arg(long, default_value = "")]
    pub host: String,
    /// Upstream cluster name (`xds.cluster_name`).
    #[arg(long)]
    pub cluster: Option<String>,
    /// Route metadata recipient (`filter_metadata.scrim.recipient`).
    #[arg(long)]
    pub route: Option<String>,
    /// Upstream locality region (`us-east-1`), mapped to a country by the bundle's
    /// `localities`, or an ISO country code.
    #[arg(long)]
    pub upstream_region: Option<String>,
    /// Audience (overrides the `x-scrim-audience` header).
    #[arg(long)]
    pub audience: Option<String>,
    /// Profile to force, e.g. `lockdown`.
    #[arg(long)]
    pub profile: Option<String>,
    /// A data category present in the exchange (repeatable); without it, categories are unknown.
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// When the decision is taken (RFC 3339 or YYYY-MM-DD) [default: now].
    #[arg(long)]
    pub at: Option<String>,
}

/// Loads the law file named by `--law`, the default path, or the built-in copy.
pub fn load_law(path: Option<&Path>) -> Result<LawData, String> {
    let (name, text) = match path {
        Some(p) => (
            p.display().to_string(),
            std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read `{}`: {e}", p.display()))?,
        ),
        None => match std::fs::read_to_string(DEFAULT_LAW_PATH) {
            Ok(text) => (DEFAULT_LAW_PATH.to_owned(), text),
            Err(_) => ("built-in law data".to_owned(), BUILTIN_LAW.to_owned()),
        },
    };
    LawData::from_json(&text).map_err(|e| format!("{name}: {e}"))
}

/// Loads and compiles the transfer part of a bundle.
pub fn load_policy(path: &Path) -> Result<TransferPolicy, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    TransferPolicy::from_bundle_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Today's date (UTC).
pub fn today() -> Date {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    Date::from_unix_seconds(secs)
}

/// Parses `--at`, or today.
pub fn parse_at(at: Option<&str>) -> Result<Date, String> {
    match at {
        None => Ok(today()),
        Some(text) => Date::parse_rfc3339(text).map_err(|e| format!("--at `{text}`: {e}")),
    }
}

fn parse_headers(raw: &[String]) -> Result<Vec<(String, String)>, String> {
    raw.iter()
        .map(|h| {
            h.split_once(':')
                .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .filter(|(n, _)| !n.is_empty())
                .ok_or_else(|| format!("--header `{h}` must look like `Name: value`"))
        })
        .collect()
}

fn run_inner(args: &Args) -> Result<String, String> {
    let law = load_law(args.law.as_deref())?;
    let policy = load_policy(&args.bundle)?;
    let headers = parse_headers(&args.headers)?;
    let at = parse_at(args.at.as_deref())?;
    let categories = (!args.categories.is_empty()).then_some(args.categories.as_slice());
    let facts = RequestFacts {
        method: &args.method,
        path: &args.path,
        host: &args.host,
        cluster: args.cluster.as_deref(),
        route_metadata: args.route.as_deref(),
        upstream_region: args.upstream_region.as_deref(),
        audience: args.audience.as_deref(),
        profile: args.profile.as_deref(),
        categories,
        at,
        ..RequestFacts::new(&headers)
    };
    if let Some(p) = facts.profile
        && policy.profile(p).is_none()
    {
        let known: Vec<&str> = policy.profiles.iter().map(|p| p.id.as_str()).collect();
        return Err(format!(
            "--profile `{p}` is not defined in the bundle's `profiles` ({})",
            if known.is_empty() {
                "none defined".to_owned()
            } else {
                known.join(", ")
            }
        ));
    }
    let decision = policy.decide_request(&law, &RegionChain::default(), &facts);
    serde_json::to_string_pretty(&decision).map_err(|e| format!("cannot render the decision: {e}"))
}

/// Runs `scrim decide`.
pub fn run(args: &Args) -> ExitCode {
    match run_inner(args) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
