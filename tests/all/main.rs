//! Scrim's integration tests, in one binary to cut link time.

mod schema_agreement;
