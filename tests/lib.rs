//! Shared helpers for Scrim's integration tests (see `all/`).
