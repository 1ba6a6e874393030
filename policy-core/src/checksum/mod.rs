//! Check-digit algorithms used by the detectors.
//!
//! Every function here is a pure `no_std` function over ASCII bytes: it never allocates and
//! never panics, and it answers `false` for input of the wrong shape (wrong length, a letter
//! where a digit belongs). Separators are not stripped here; the detectors hand over the bare
//! characters.
//!
//! Use them directly to check a value you already have, or name them in a custom detector
//! (see [`crate::detect::ValidatorName`]).

mod gb32100;
mod iso7064;
mod luhn;
pub mod national;

pub use gb32100::{gb11714, uscc};
pub use iso7064::{cn_resident_id_check, iban_mod97, mod97_10};
pub use luhn::luhn;
