//! `scrim`: check, redact, decide, test, explain, notice, demo.

fn main() {
    println!("scrim {}", env!("CARGO_PKG_VERSION"));
}
