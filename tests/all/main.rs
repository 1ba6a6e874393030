//! Scrim's integration tests, in one binary to cut link time.

mod filter_module;
mod schema_agreement;
mod transfer_vectors;
mod vectors;
