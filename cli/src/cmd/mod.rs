//! One module per `scrim` subcommand.
pub mod check;
pub mod decide;
pub mod explain;
pub mod redact;
pub mod test;
