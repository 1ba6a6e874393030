//! One module per `scrim` subcommand.
