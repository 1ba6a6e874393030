//! `scrim`: check, redact, decide, test, explain, notice, demo.
//!
//! Each subcommand lives in its own module under `cmd/`. Exit codes: 0 success, 1 the input
//! was refused or a check failed, 2 usage errors (from clap).

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Scrim enforces one privacy policy bundle at the gateway and in the browser.
#[derive(Parser)]
#[command(name = "scrim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate policy bundles: every error with file:line:col, or name, revision and hash.
    Check(cmd::check::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Check(args) => cmd::check::run(args),
    }
}
