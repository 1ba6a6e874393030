//! Finding a wasm module built in this workspace.

use std::path::PathBuf;

use crate::error::HostError;

/// The path of the `wasm32-wasip1` `wasm-release` build of a workspace package, e.g.
/// `module_path("scrim-envoy")` → `<target>/wasm32-wasip1/wasm-release/scrim_envoy.wasm`,
/// where `<target>` is `$CARGO_TARGET_DIR` (at run time, else at build time) or the
/// workspace's `target/`. When the file is missing the error names the exact build command.
pub fn module_path(package: &str) -> Result<PathBuf, HostError> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .or_else(|| option_env!("CARGO_TARGET_DIR").map(PathBuf::from))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let file = format!("{}.wasm", package.replace('-', "_"));
    let path = target.join("wasm32-wasip1").join("wasm-release").join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(HostError::missing_module(&path, package))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_missing_module_names_the_build_command() {
        let err = super::module_path("no-such-package")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no_such_package.wasm"), "{err}");
        assert!(
            err.contains(
                "`cargo build -p no-such-package --target wasm32-wasip1 --profile wasm-release`"
            ),
            "{err}"
        );
    }
}
