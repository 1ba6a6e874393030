//! Country-pack checksums: how a candidate of a pack detector is judged.

use super::Evidence;
use super::catalogue::Builtin;
use crate::checksum::national::{self, Validity};

/// Evidence for a pack candidate given its compact form (separators and parentheses removed):
/// a passing checksum is [`Evidence::Checksum`], a failing one drops the candidate (`None`),
/// and formats without a checksum (UK NINO) or with an inconclusive one (Korean RRNs issued
/// since October 2020) need context ([`Evidence::Format`]).
///
/// Ids protected by a single check digit on a plain run of digits (Aadhaar, My Number,
/// PESEL, Steuer-ID, NHS, Korean RRN, the French NIR's mod-97 key) or a letter and nine
/// digits (Taiwan) pass for about one
/// random number in ten: order numbers, epoch milliseconds and SKUs would be redacted. A
/// passing check is therefore [`Evidence::ChecksumNeedsContext`] for them: reported when a
/// key or a nearby word names the id (`PESEL 44051401458`, `"aadhaar": ...`).
pub(crate) fn evidence(d: Builtin, compact: &[u8]) -> Option<Evidence> {
    let ev = evidence_of_check(d, compact)?;
    Some(if ev == Evidence::Checksum && single_check_digit(d) {
        Evidence::ChecksumNeedsContext
    } else {
        ev
    })
}

/// Pack ids whose only protection is one check character over a shape that common numbers
/// share.
fn single_check_digit(d: Builtin) -> bool {
    matches!(
        d,
        Builtin::InAadhaar
            | Builtin::JpMyNumber
            | Builtin::PlPesel
            | Builtin::DeSteuerId
            | Builtin::GbNhs
            | Builtin::KrRrn
            | Builtin::TwId
            // Two check digits (mod 97) over 15 digits: one IMEI-like serial in a hundred
            // passes.
            | Builtin::FrNir
    )
}

fn evidence_of_check(d: Builtin, compact: &[u8]) -> Option<Evidence> {
    let ok = match d {
        Builtin::InAadhaar => national::in_aadhaar(compact),
        Builtin::SgNric => national::sg_nric(compact),
        Builtin::KrRrn => {
            return match national::kr_rrn(compact) {
                Validity::Valid => Some(Evidence::Checksum),
                Validity::Unknown => Some(Evidence::Format),
                Validity::Invalid => None,
            };
        }
        Builtin::JpMyNumber => national::jp_my_number(compact),
        Builtin::BrCpf => national::br_cpf(compact),
        Builtin::EsDni => national::es_dni(compact) || national::es_nie(compact),
        Builtin::ItCodiceFiscale => national::it_codice_fiscale(compact),
        Builtin::FrNir => national::fr_nir(compact),
        Builtin::DeSteuerId => national::de_steuer_id(compact),
        Builtin::GbNino => {
            // Any well-formed NINO passes: no checksum exists, so context is required.
            return national::gb_nino(compact).then_some(Evidence::Format);
        }
        Builtin::GbNhs => national::gb_nhs(compact),
        Builtin::PlPesel => national::pl_pesel(compact),
        Builtin::HkId => national::hk_id(compact),
        Builtin::TwId => national::tw_id(compact),
        _ => return Some(Evidence::Format),
    };
    ok.then_some(Evidence::Checksum)
}

/// Copies the ASCII letters and digits of `s` into `buf`; returns the used part.
pub(crate) fn compact<'b>(s: &[u8], buf: &'b mut [u8; 24]) -> &'b [u8] {
    let mut n = 0usize;
    for &b in s.iter().filter(|b| b.is_ascii_alphanumeric()) {
        match buf.get_mut(n) {
            Some(slot) => *slot = b,
            None => return &[],
        }
        n += 1;
    }
    buf.get(..n).unwrap_or_default()
}
