//! `scrim-bench`: Scrim's benchmarks. Every figure is a ratio measured side by side in one run
//! (ours vs a baseline on the same input, same process), never an absolute time asserted in a
//! test. BENCHMARKS.md gives the command behind each figure.
//!
//! - `engine`: the streaming engine vs a naive DOM baseline on the seeded corpus;
//! - `filter`: the compiled filter vs a pass-through filter in scrim-host, by body size;
//! - `memory`: the filter's linear memory over many requests;
//! - `decide`: the cost of one request-phase decision;
//! - `configure`: the cost of compiling a bundle inside the filter (`on_configure`).

mod naive;
mod regex;
mod sparse;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use scrim_core::bundle::Bundle;
use scrim_core::gateway::{Gateway, RequestHead};
use scrim_core::law::Date;
use scrim_core::policy::{CompileOptions, Policy, RunOptions, redact_all, redact_all_with_keys};
use scrim_core::redact::HashKey;
use scrim_core::stream::Format;
use scrim_core::stream::KeyCache;
use scrim_core::transfer::TransferPolicy;
use scrim_host::{ChunkPlan, Exchange, Host, HttpMessage, PluginOptions};

#[derive(Parser)]
#[command(about = "Scrim's benchmarks (ratios measured side by side in one run)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Engine vs naive DOM baseline over an NDJSON corpus (one JSON document per line).
    Engine {
        /// corpus.ndjson from bench/corpus/generate.py.
        #[arg(long)]
        corpus: PathBuf,
        /// Bundle to run.
        #[arg(long, default_value = "policies/default.json")]
        bundle: PathBuf,
        /// Passes over the corpus (the best pass counts).
        #[arg(long, default_value_t = 3)]
        passes: usize,
        /// Documents of the generated sparse API mix measured on a second line (0: none).
        #[arg(long, default_value_t = 1500)]
        sparse_docs: usize,
    },
    /// The engine alone over an NDJSON corpus, for `perf record` (no baseline, no ratio).
    Profile {
        /// corpus.ndjson from bench/corpus/generate.py, or `sparse` for the generated mix.
        #[arg(long)]
        corpus: PathBuf,
        /// Bundle to run.
        #[arg(long, default_value = "policies/default.json")]
        bundle: PathBuf,
        /// Passes over the corpus.
        #[arg(long, default_value_t = 10)]
        passes: usize,
    },
    /// The filter vs a pass-through filter, in scrim-host, for 1 KB..1 MB JSON bodies.
    Filter {
        /// corpus.ndjson to build bodies from.
        #[arg(long)]
        corpus: PathBuf,
        /// Bundle to run.
        #[arg(long, default_value = "policies/default.json")]
        bundle: PathBuf,
        /// Requests per body size (at least 20).
        #[arg(long, default_value_t = 200)]
        requests: usize,
        /// Body sizes in KiB, comma-separated (one size keeps a `valgrind` profile short).
        #[arg(long, value_delimiter = ',', default_values_t = [1, 10, 100, 1024])]
        kib: Vec<usize>,
    },
    /// The filter's linear memory after warm-up and after N requests.
    Memory {
        /// Bundle to run.
        #[arg(long, default_value = "policies/default.json")]
        bundle: PathBuf,
        /// Requests.
        #[arg(long, default_value_t = 100_000)]
        requests: usize,
    },
    /// Cost of one request-phase decision (route, regions, recipient, consent, law).
    Decide {
        /// Bundle to run.
        #[arg(long, default_value = "policies/gdpr-eu.json")]
        bundle: PathBuf,
        /// Iterations.
        #[arg(long, default_value_t = 200_000)]
        iterations: usize,
    },
    /// Plugin start (instantiate + `on_vm_start` + `on_configure`) of the filter with each
    /// bundle vs the pass-through filter: the difference is the bundle compile in wasm.
    Configure {
        /// Bundles to compile.
        #[arg(long = "bundle", default_values = ["policies/default.json", "policies/gdpr-eu.json", "policies/pipl-cn.json", "policies/ccpa-us.json"])]
        bundles: Vec<PathBuf>,
        /// Plugin starts per bundle (the median counts).
        #[arg(long, default_value_t = 21)]
        starts: usize,
    },
    /// Custom-regex speed: Scrim's lazy DFA vs the meta regex it shipped before.
    Regex {
        /// Short string values (then the same text as one long string).
        #[arg(long, default_value_t = 20_000)]
        values: usize,
        /// Runs (the best counts).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn mb_per_s(bytes: usize, d: Duration) -> f64 {
    bytes as f64 / d.as_secs_f64() / 1e6
}

fn engine(corpus: &PathBuf, bundle: &PathBuf, passes: usize, sparse_docs: usize) {
    let text = read(corpus);
    let docs: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
    let bundle = Bundle::from_json(&read(bundle)).expect("bundle loads");
    let policy = Policy::compile(&bundle, &CompileOptions::default()).expect("bundle compiles");
    let opts = RunOptions {
        hmac_key: Some(HashKey::new(b"bench-key")),
        ..RunOptions::default()
    };
    let naive = naive::Naive::new();
    println!(
        "| corpus | documents | bytes | scrim MB/s (worker key cache) | scrim MB/s (cache per body) | naive DOM+regex MB/s | ratio | ratio (per body) |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let label = corpus.display().to_string();
    side_by_side(&label, &docs, &policy, &opts, &naive, passes);
    if sparse_docs > 0 {
        let sparse = sparse::documents(1, sparse_docs);
        let docs: Vec<&[u8]> = sparse.iter().map(String::as_bytes).collect();
        side_by_side(
            "sparse API mix (seed 1)",
            &docs,
            &policy,
            &opts,
            &naive,
            passes,
        );
    }
}

/// Both engines over the same documents, alternating, best pass of each. Scrim runs twice:
/// with one key cache lent to every body (as the Envoy filter keeps one per worker) and with
/// a cache per body only (as `scrim redact` on one body).
fn side_by_side(
    label: &str,
    docs: &[&[u8]],
    policy: &Policy,
    opts: &RunOptions<'_>,
    naive: &naive::Naive,
    passes: usize,
) {
    let total: usize = docs.iter().map(|d| d.len()).sum();
    let (mut best_ours, mut best_per_body, mut best_naive) =
        (Duration::MAX, Duration::MAX, Duration::MAX);
    let mut keys = KeyCache::new();
    for _ in 0..passes {
        let t = Instant::now();
        for d in docs {
            let r = redact_all_with_keys(policy, Format::Json, opts, d, &mut keys);
            let _ = std::hint::black_box(r);
        }
        best_ours = best_ours.min(t.elapsed());
        let t = Instant::now();
        for d in docs {
            let _ = std::hint::black_box(redact_all(policy, Format::Json, opts, d));
        }
        best_per_body = best_per_body.min(t.elapsed());
        let t = Instant::now();
        for d in docs {
            let _ = std::hint::black_box(naive.redact(d));
        }
        best_naive = best_naive.min(t.elapsed());
    }
    let ours = mb_per_s(total, best_ours);
    let per_body = mb_per_s(total, best_per_body);
    let base = mb_per_s(total, best_naive);
    println!(
        "| {label} | {} | {total} | {ours:.1} | {per_body:.1} | {base:.1} | {:.1}x | {:.1}x |",
        docs.len(),
        ours / base,
        per_body / base
    );
}

fn profile(corpus: &PathBuf, bundle: &PathBuf, passes: usize) {
    // `--corpus sparse` profiles the generated sparse API mix instead of a file.
    let text = if corpus.as_os_str() == "sparse" {
        sparse::documents(1, 1500).join("\n")
    } else {
        read(corpus)
    };
    let docs: Vec<&[u8]> = text.lines().map(str::as_bytes).collect();
    let total: usize = docs.iter().map(|d| d.len()).sum();
    let bundle = Bundle::from_json(&read(bundle)).expect("bundle loads");
    let policy = Policy::compile(&bundle, &CompileOptions::default()).expect("bundle compiles");
    let opts = RunOptions {
        hmac_key: Some(HashKey::new(b"bench-key")),
        ..RunOptions::default()
    };
    let mut best = Duration::MAX;
    // One key cache for the run, as a gateway keeps one per worker.
    let mut keys = KeyCache::new();
    for _ in 0..passes {
        let t = Instant::now();
        for d in &docs {
            let r = redact_all_with_keys(&policy, Format::Json, &opts, d, &mut keys);
            let _ = std::hint::black_box(r);
        }
        best = best.min(t.elapsed());
    }
    println!(
        "scrim engine alone: {:.1} MB/s (best of {passes})",
        mb_per_s(total, best)
    );
}

/// A JSON array of corpus documents, about `size` bytes.
fn body_of_size(docs: &[&str], size: usize) -> Vec<u8> {
    let mut out = String::from("[");
    for d in docs.iter().cycle() {
        if out.len() + d.len() + 1 >= size {
            break;
        }
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(d);
    }
    out.push(']');
    out.into_bytes()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

fn plugin(host: &Host, config: String) -> scrim_host::Plugin {
    let mut opts = PluginOptions::new(config).env("SCRIM_HMAC_KEY", "bench-key");
    opts.buffer_limit = 64 << 20;
    opts.callback_deadline = None;
    host.start(opts).expect("plugin starts")
}

fn filter(corpus: &PathBuf, bundle: &PathBuf, requests: usize, kib: &[usize]) {
    let text = read(corpus);
    let docs: Vec<&str> = text.lines().collect();
    let target = scrim_tests_target();
    let scrim = Host::from_file(target.join("scrim_envoy.wasm")).expect("scrim_envoy.wasm");
    let pass =
        Host::from_file(target.join("scrim_test_filter.wasm")).expect("scrim_test_filter.wasm");
    let config = format!(
        r#"{{"bundle": {}, "options": {{"max_body_bytes": 67108864}}}}"#,
        read(bundle)
    );
    let mut ours = plugin(&scrim, config);
    let mut base = plugin(&pass, r#"{"mode":"passthrough"}"#.into());
    println!(
        "| body | scrim MB/s | pass-through MB/s | ratio | scrim p50 | scrim p99 | pass-through p50 | pass-through p99 |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for &k in kib {
        let (label, size) = match k {
            1024 => ("1 MB".to_owned(), 1 << 20),
            k => (format!("{k} KB"), k << 10),
        };
        let body = body_of_size(&docs, size);
        let exchange = Exchange::new(
            HttpMessage::request("GET", "/v1/orders"),
            HttpMessage::response(200)
                .header("content-type", "application/json")
                .body(body.clone()),
        );
        let n = if size >= 1 << 20 {
            requests.div_ceil(10).max(20)
        } else {
            requests.max(20)
        };
        let run = |p: &mut scrim_host::Plugin| {
            let mut times = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                let outcome = p.run(&exchange, ChunkPlan::Fixed(16 << 10));
                times.push(t.elapsed());
                assert_eq!(outcome.status(), Some(200));
            }
            times.sort();
            let total: Duration = times.iter().sum();
            (
                mb_per_s(body.len() * n, total),
                percentile(&times, 0.5),
                percentile(&times, 0.99),
            )
        };
        let (mbs, p50, p99) = run(&mut ours);
        let (bmbs, bp50, bp99) = run(&mut base);
        println!(
            "| {label} | {mbs:.1} | {bmbs:.1} | {:.2} | {p50:.2?} | {p99:.2?} | {bp50:.2?} | {bp99:.2?} |",
            mbs / bmbs
        );
    }
}

fn scrim_tests_target() -> PathBuf {
    let dir =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from);
    dir.join("wasm32-wasip1/wasm-release")
}

fn memory(bundle: &PathBuf, requests: usize) {
    let scrim =
        Host::from_file(scrim_tests_target().join("scrim_envoy.wasm")).expect("scrim_envoy.wasm");
    let config = format!(r#"{{"bundle": {}}}"#, read(bundle));
    let mut p = plugin(&scrim, config);
    let body = br#"{"user":{"email":"ada@example.com","phone":"+44 20 7946 0018"},"card":"4111 1111 1111 1111","note":"order 4111111111111112"}"#;
    let exchange = Exchange::new(
        HttpMessage::request("GET", "/v1/users/7"),
        HttpMessage::response(200)
            .header("content-type", "application/json")
            .body(body.to_vec()),
    );
    let warm = (requests / 100).max(100);
    for _ in 0..warm {
        p.run(&exchange, ChunkPlan::Whole);
    }
    let after_warm = p.memory_bytes();
    for _ in warm..requests {
        p.run(&exchange, ChunkPlan::Whole);
    }
    let end = p.memory_bytes();
    println!("| requests | linear memory after {warm} (warm-up) | after {requests} | growth |");
    println!("|---:|---:|---:|---:|");
    println!(
        "| {requests} | {after_warm} | {end} | {} |",
        end as i64 - after_warm as i64
    );
}

fn decide(bundle: &PathBuf, iterations: usize) {
    let text = read(bundle);
    let config = format!(r#"{{"bundle": {text}}}"#);
    let gateway =
        Gateway::from_config(&config, &|_| Some("bench-key".into())).expect("configuration loads");
    // The baseline repeats what the request phase did before the route was passed on: a second
    // match of the bundle routes inside the decision.
    let policy = TransferPolicy::from_bundle_json(&text).expect("bundle compiles");
    let headers: Vec<(String, String)> = vec![
        ("x-geo-country".into(), "DE".into()),
        ("sec-gpc".into(), "1".into()),
        (
            "cookie".into(),
            "scrim_consent=1.1.analytics~necessary.0.1764410000.k4dq3y7m2nbx5wza".into(),
        ),
        ("x-request-id".into(), "bench".into()),
    ];
    let head = RequestHead {
        method: "POST",
        path: "/collect",
        authority: "www.example.eu",
        headers: &headers,
        route_name: None,
        cluster: Some("analytics_us"),
        route_recipient: None,
        upstream_region: None,
        today: Date::from_unix_seconds(1_780_000_000),
    };
    // Interleaved passes, best of each: the machine may be shared, and the best pass is the
    // one least disturbed.
    let passes = 7;
    let per_pass = (iterations / passes).max(1);
    let (mut once, mut twice) = (Duration::MAX, Duration::MAX);
    for _ in 0..passes {
        let t = Instant::now();
        for _ in 0..per_pass {
            std::hint::black_box(gateway.request(std::hint::black_box(&head)));
        }
        once = once.min(t.elapsed());
        let t = Instant::now();
        for _ in 0..per_pass {
            std::hint::black_box(gateway.request(std::hint::black_box(&head)));
            std::hint::black_box(policy.route_for(
                std::hint::black_box(head.authority),
                head.path,
                head.method,
            ));
        }
        twice = twice.min(t.elapsed());
    }
    let n = u32::try_from(per_pass).unwrap_or(u32::MAX);
    let (once, twice) = (once / n, twice / n);
    println!(
        "| bundle | iterations | per request-phase decision | with a second route match | ratio |"
    );
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| {} | {passes} x {per_pass} | {once:.2?} | {twice:.2?} | {:.2} |",
        bundle.display(),
        once.as_secs_f64() / twice.as_secs_f64()
    );
}

fn median_start(host: &Host, config: &str, starts: usize) -> Duration {
    let mut times: Vec<Duration> = (0..starts.max(1))
        .map(|_| {
            let t = Instant::now();
            let started = plugin(host, config.to_owned());
            let elapsed = t.elapsed();
            drop(started);
            elapsed
        })
        .collect();
    times.sort();
    percentile(&times, 0.5)
}

fn configure(bundles: &[PathBuf], starts: usize) {
    let target = scrim_tests_target();
    let scrim = Host::from_file(target.join("scrim_envoy.wasm")).expect("scrim_envoy.wasm");
    let pass =
        Host::from_file(target.join("scrim_test_filter.wasm")).expect("scrim_test_filter.wasm");
    println!(
        "| bundle | bytes | filter start p50 | pass-through start p50 | bundle compile (difference) |"
    );
    println!("|---|---:|---:|---:|---:|");
    for bundle in bundles {
        let text = read(bundle);
        let config = format!(r#"{{"bundle": {text}, "options": {{}}}}"#);
        let ours = median_start(&scrim, &config, starts);
        let base = median_start(&pass, r#"{"mode":"passthrough"}"#, starts);
        println!(
            "| {} | {} | {ours:.2?} | {base:.2?} | {:.2?} |",
            bundle.display(),
            text.len(),
            ours.saturating_sub(base)
        );
    }
}

fn main() {
    match Cli::parse().command {
        Command::Engine {
            corpus,
            bundle,
            passes,
            sparse_docs,
        } => engine(&corpus, &bundle, passes, sparse_docs),
        Command::Profile {
            corpus,
            bundle,
            passes,
        } => profile(&corpus, &bundle, passes),
        Command::Filter {
            corpus,
            bundle,
            requests,
            kib,
        } => filter(&corpus, &bundle, requests, &kib),
        Command::Memory { bundle, requests } => memory(&bundle, requests),
        Command::Decide { bundle, iterations } => decide(&bundle, iterations),
        Command::Configure { bundles, starts } => configure(&bundles, starts),
        Command::Regex { values, runs } => regex::run(values, runs),
    }
}
