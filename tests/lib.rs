//! Shared helpers for Scrim's integration tests (see `all/`).

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// Where cargo puts build output: `$CARGO_TARGET_DIR`, or `target/` in the workspace.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// Path of a wasm artifact built by `scripts/build-wasm.sh` (`file` such as `scrim_envoy.wasm`).
///
/// # Panics
///
/// When the artifact is missing, with the command that builds it.
pub fn wasm_artifact(file: &str) -> PathBuf {
    let path = target_dir().join("wasm32-wasip1/wasm-release").join(file);
    assert!(
        path.is_file(),
        "{} is missing; build it first with `bash scripts/build-wasm.sh`",
        path.display()
    );
    path
}
