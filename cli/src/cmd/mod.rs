//! One module per `scrim` subcommand.

pub mod check;
