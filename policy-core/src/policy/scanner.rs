//! The built-in detectors as the engine's [`Scanner`].
//!
//! Key forcing and suppression are decided inside [`Detectors::scan`] (a forcing key turns the
//! whole value into one finding; a suppressing key still lets e-mail and credentials through),
//! so the engine always scans and passes the key along.

use alloc::vec::Vec;

use crate::detect::{DetectorIndex, Detectors, Finding, KeyClass, ScanContext};
use crate::stream::{Hit, KeyForce, Scanner};

impl Scanner for Detectors {
    type Key = KeyClass;
    type Finding = Finding;

    fn classify_key(&self, key: &str) -> KeyClass {
        Detectors::classify_key(self, key)
    }

    fn key_force<'a>(&'a self, _key: &'a KeyClass) -> KeyForce<'a> {
        KeyForce::Scan
    }

    fn scan(&self, text: &str, key: Option<&KeyClass>, out: &mut Vec<Finding>) {
        // The engine uses a finding's range and detector, never its confidence, so it takes
        // the variant that decides a checksum finding's context only when it breaks a tie.
        Detectors::scan_ranges(self, text, &ScanContext { key }, out);
    }

    fn hit(&self, f: &Finding) -> Hit {
        Hit {
            start: f.start,
            end: f.end,
            detector: f.detector.0,
        }
    }

    fn detector(&self, index: u16) -> (&str, &str) {
        let info = self.info(DetectorIndex(index));
        (info.id.as_str(), info.category.as_str())
    }

    fn detector_count(&self) -> usize {
        self.infos().len()
    }
}
