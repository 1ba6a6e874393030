//! One module per `scrim` subcommand.
pub mod decide;
pub mod explain;
pub mod redact;
