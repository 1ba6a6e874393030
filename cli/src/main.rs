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
    /// Decide a cross-border transfer for one request; prints the Decision as JSON.
    Decide(Box<cmd::decide::Args>),
    /// Privacy impact summary of a bundle (Markdown).
    Explain(cmd::explain::Args),
    /// Redact a body with a bundle and print the result; remarks go to --report.
    Redact(cmd::redact::RedactArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Decide(args) => cmd::decide::run(&args),
        Command::Explain(args) => cmd::explain::run(&args),
        Command::Redact(args) => cmd::redact::run(args),
    }
}
