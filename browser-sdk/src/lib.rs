//! Scrim's browser core, compiled to `wasm32-unknown-unknown` with wasm-bindgen.
//!
//! The consent dialog and tag blocking are plain TypeScript on the critical path; this module
//! runs the shared policy core (validation, minimization) once it has loaded.

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of the Scrim browser core, so a page can report what it runs.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").into()
}
