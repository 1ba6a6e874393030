//! The library half of the `scrim` command: pieces the CLI and the integration tests share.
