//! Check-digit and format validators for PII detectors.
pub mod national;
