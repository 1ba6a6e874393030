//! Scrim's integration tests, in one binary to cut link time.

mod filter_module;
mod transfer_vectors;
