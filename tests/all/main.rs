//! Scrim's integration tests, in one binary to cut link time.

mod schema_agreement;
mod filter_module;
mod vectors;
