//! Word-shaped candidates: tokens of ASCII letters and digits (IBAN, USCC, passports,
//! lettered national ids), Han names, Chinese addresses and licence plates.

use super::Scan;

/// Scans word-shaped candidates.
pub(crate) fn scan(_sc: &mut Scan<'_, '_>) {}
