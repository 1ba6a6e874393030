//! One module per `scrim` subcommand.
pub mod redact;
