//! `scrim test VECTOR... [--wasm FILE]`: run conformance vectors natively and through the
//! compiled filter.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use scrim_cli::vectors::{self, check_vector, collect};
use scrim_host::Host;

/// Arguments of `scrim test`.
#[derive(Args)]
pub struct TestArgs {
    /// Vector files (JSON) or directories searched recursively for `*.json`.
    #[arg(required = true)]
    vectors: Vec<PathBuf>,
    /// Also run each vector through this compiled filter (scrim_envoy.wasm) in scrim-host,
    /// under every chunking plan.
    #[arg(long)]
    wasm: Option<PathBuf>,
}

/// Runs `scrim test`.
pub fn run(args: &TestArgs) -> ExitCode {
    let host = match &args.wasm {
        Some(path) => match Host::from_file(path) {
            Ok(h) => Some(h),
            Err(e) => {
                eprintln!("scrim test: cannot load {}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let (mut passed, mut failed) = (0, 0);
    for path in collect(&args.vectors) {
        let problems = match vectors::load(&path) {
            Ok(l) => check_vector(&l, host.as_ref()),
            Err(e) => vec![e],
        };
        if problems.is_empty() {
            passed += 1;
            println!("ok   {}", path.display());
        } else {
            failed += 1;
            println!("FAIL {}", path.display());
            for p in problems {
                println!("     {p}");
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
