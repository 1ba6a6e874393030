//! Validated PII detectors for one decoded string value, with key-name context.
//!
//! The streaming engine decodes each string of a body and calls [`Detectors::scan`] with the
//! text and the [`KeyClass`] of the key it sits under ([`Detectors::classify_key`]). The scan
//! appends [`Finding`]s: byte ranges of the original text, never overlapping, sorted by start.
//!
//! # Tiers
//!
//! * **Validated** detectors are on by default and need a checksum or a strict parse (Luhn,
//!   mod 97, MOD 11-2, an IP parse). Look-alikes with a wrong check digit stay untouched.
//! * **Context-gated** detectors (passport, birth date, names, addresses, landlines, ...) only
//!   report when the key names them or a context word is near: within 60 bytes before or
//!   30 bytes after the candidate, as a whole word for ASCII words (so `lic` never matches
//!   inside `public`), as a substring for Chinese words.
//! * **Country packs** (`in`, `sg`, `kr`, ...) are off until [`DetectorsBuilder::pack`].
//! * **Custom** detectors come from the bundle: regexes and dictionaries.
//!
//! # Confidence
//!
//! A checksum alone gives [`Confidence::Likely`]; a checksum plus a key hint or context word
//! gives [`Confidence::VeryLikely`]. A format-only match with a key hint is `Likely`, with only
//! a nearby word `Possible`, and without context it is not reported.
//! [`Detectors::scan_ranges`] finds the same findings without refining the confidence of
//! checksum findings (cheaper, for redaction, which only needs the ranges).
//!
//! # Written forms
//!
//! Chinese text has no spaces, so boundaries are ASCII-based: `联系方式：13812345678。` is found.
//! Full-width digits and letters and zero-width characters inside a value do not hide it; the
//! finding then covers the original bytes.
//!
//! # Untrusted input and limits
//!
//! Values, keys and bundle-supplied patterns are untrusted; nothing here panics on any input
//! and the work per value is linear in its length (candidate checks are bounded: context
//! windows of 90 bytes, email local parts of 64 bytes, address runs of 300 bytes). Limits:
//! [`MAX_DETECTORS`] detectors per configuration; custom regexes of at most
//! [`CustomRegex::MAX_PATTERN_LEN`] bytes and 256 KiB compiled; dictionaries of at most
//! 100,000 words; at most 1,024 matches per custom detector per value; keys are classified
//! by their first 256 normalized bytes.
//!
//! # Example
//!
//! ```
//! use scrim_core::detect::{Detectors, ScanContext};
//!
//! let detectors = Detectors::builder().build().unwrap();
//! let key = detectors.classify_key("customerPhone");
//! let mut findings = Vec::new();
//! detectors.scan("call 138 1234 5678", &ScanContext { key: Some(&key) }, &mut findings);
//! assert_eq!(findings.len(), 1);
//! assert_eq!(detectors.info(findings[0].detector).id, "cn_mobile");
//! assert_eq!((findings[0].start, findings[0].end), (5, 18));
//! ```

mod builder;
mod catalogue;
mod context;
mod custom;
mod dates;
mod email;
mod error;
mod gated;
mod keys;
mod network;
mod numeric;
mod packs;
mod secrets;
pub(crate) mod text;
mod vocabulary;

use alloc::string::String;
use alloc::vec::Vec;

pub use builder::{CustomDictionary, CustomRegex, DetectorsBuilder, ValidatorName};
pub use catalogue::BuiltinSpec;
pub use custom::{
    CompiledRegex, REGEX_PATTERN_MAX_LEN, REGEX_SIZE_LIMIT, RegexError, compile_regex,
};
pub use error::{DetectError, ErrorKind};
pub use keys::KeyClass;

use catalogue::{Builtin, CATALOGUE};
use context::ContextMatcher;
use custom::Custom;
use dates::Date;
use keys::KeyMatcher;
use text::View;

/// How sure a detector is about a finding. Ordered: `Possible < Likely < VeryLikely`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// The format matches and a context word is near; no checksum.
    Possible,
    /// A checksum or strict parse passed, or the format matches under a key that names it.
    Likely,
    /// A checksum passed and the key or a nearby word confirms it.
    VeryLikely,
}

/// How a detector earns its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tier {
    /// Checksum or strict parse; on by default.
    Validated,
    /// Weak format that needs a key hint or a nearby word.
    ContextGated,
    /// A national id outside mainland China; off until its pack is enabled.
    CountryPack,
    /// Defined by the bundle (regex or dictionary).
    Custom,
}

/// What a configured detector is: its id, its category, and how it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectorInfo {
    /// Detector id as written in the bundle (`email`, `cn_mobile`, or a custom id).
    pub id: String,
    /// Category findings are reported under (`contact`, `financial`, `government_id`, ...).
    pub category: String,
    /// How the detector earns its findings.
    pub tier: Tier,
    /// Country pack the detector belongs to, if any.
    pub pack: Option<&'static str>,
    /// Whether findings are PIPL sensitive personal information.
    pub sensitive_hint: bool,
    /// One-line description for explanations and the privacy notice.
    pub description: &'static str,
}

/// Identifies a detector inside one [`Detectors`]; look it up with [`Detectors::info`].
///
/// Built-in detectors keep the same index in every configuration (their position in
/// [`builtin_catalogue`]); custom detectors follow in the order they were added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DetectorIndex(pub u16);

/// What the scanner knows about where a value sits.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanContext<'a> {
    /// Classification of the key the value sits under (from [`Detectors::classify_key`]);
    /// `None` for array items without a key, free text, or headers you did not classify.
    pub key: Option<&'a KeyClass>,
}

/// One piece of personal data found in a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Finding {
    /// Which detector found it.
    pub detector: DetectorIndex,
    /// Byte offset of the first byte, in the text given to [`Detectors::scan`].
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// How sure the detector is.
    pub confidence: Confidence,
}

/// Every built-in detector with its default category, tier, pack and default state, in
/// [`DetectorIndex`] order. Use it to list ids in docs, completions and error hints.
pub fn builtin_catalogue() -> &'static [BuiltinSpec] {
    &CATALOGUE
}

/// The most detectors one configuration can hold (built-ins included).
pub const MAX_DETECTORS: usize = 256;

/// A fixed-size set of detector indices (no allocation, `Copy`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(crate) struct DetSet([u64; MAX_DETECTORS / 64]);

impl DetSet {
    pub(crate) fn insert(&mut self, i: u16) {
        let i = usize::from(i);
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1u64 << (i % 64);
        }
    }
    pub(crate) fn remove(&mut self, i: u16) {
        let i = usize::from(i);
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1u64 << (i % 64));
        }
    }
    pub(crate) fn contains(&self, i: u16) -> bool {
        let i = usize::from(i);
        self.0
            .get(i / 64)
            .is_some_and(|w| w & (1u64 << (i % 64)) != 0)
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }
    pub(crate) fn union(&mut self, other: &DetSet) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a |= b;
        }
    }
}

/// A compiled, immutable set of detectors. Build once per bundle with [`Detectors::builder`];
/// share it across threads (`Send + Sync`) and scan many values with it.
#[derive(Debug)]
pub struct Detectors {
    infos: Vec<DetectorInfo>,
    enabled: DetSet,
    /// Detectors whose findings survive a suppressing key (`trace_id`, `sku`, ...).
    survives_suppress: DetSet,
    keys: KeyMatcher,
    context: ContextMatcher,
    secrets: secrets::SecretPrefixes,
    customs: Vec<Custom>,
    today: Date,
}

/// What a scanner saw, before context and confidence are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Evidence {
    /// A checksum or strict parse passed.
    Checksum,
    /// A checksum-bearing format whose check failed in a tolerated way (UnionPay cards that
    /// skip Luhn): report only with context.
    ChecksumNeedsContext,
    /// Format only: report only with context.
    Format,
}

/// One scan in progress: the view, the key, and where findings go.
pub(crate) struct Scan<'s, 'o> {
    pub(crate) det: &'s Detectors,
    pub(crate) s: &'s [u8],
    pub(crate) key: Option<&'s KeyClass>,
    out: &'o mut Vec<Finding>,
    /// [`text::presence`] flags of `s`.
    has: text::has::Has,
    /// Whether the confidence of checksum findings must be exact (see
    /// [`Detectors::scan_ranges`]); otherwise their context is decided only for a tie.
    exact: bool,
    /// Length of `out` when the scan started.
    base: usize,
    /// Bit `i`: the finding at `out[base + i]` is a checksum finding pushed as `Likely`
    /// whose context is not decided yet (see [`Undecided`]).
    undecided: u16,
    /// Set by [`numeric::scan`]: the value may hold a space and a lone four-digit group (a
    /// year for [`dates::scan_month_names`]). False only when the digit walk saw every
    /// digit run and none is such a group.
    pub(crate) maybe_year: bool,
}

/// Findings per value whose context can be left undecided (the first ones); later checksum
/// findings are decided at once.
const MAX_UNDECIDED: usize = 16;

/// Checksum findings pushed as [`Confidence::Likely`] without looking for context words: they
/// are [`Confidence::VeryLikely`] if a context word is near. The confidence only breaks ties in
/// [`Detectors::resolve_overlaps`], so it is decided there, for a tie, and otherwise never.
#[derive(Debug, Clone, Copy)]
struct Undecided {
    /// `(detector, start, end)` of each such finding.
    list: [(u16, usize, usize); MAX_UNDECIDED],
    len: usize,
}

impl Undecided {
    const NONE: Undecided = Undecided {
        list: [(0, 0, 0); MAX_UNDECIDED],
        len: 0,
    };

    /// The findings marked in `mask` (bit `i` for `out[base + i]`), taken before `out` is
    /// reordered.
    fn new(out: &[Finding], base: usize, mask: u16) -> Self {
        let mut u = Undecided::NONE;
        for (i, f) in out.iter().skip(base).take(MAX_UNDECIDED).enumerate() {
            if mask & (1 << i) != 0
                && let Some(slot) = u.list.get_mut(u.len)
            {
                *slot = (f.detector.0, f.start, f.end);
                u.len += 1;
            }
        }
        u
    }

    /// Whether `f` may be one of these findings. Another finding with the same detector,
    /// range and `Likely` would get the same decision, which is what its undecided twin gets,
    /// so mixing them up changes no outcome.
    fn holds(&self, f: &Finding) -> bool {
        f.confidence == Confidence::Likely
            && self
                .list
                .iter()
                .take(self.len)
                .any(|&(d, s, e)| d == f.detector.0 && s == f.start && e == f.end)
    }
}

impl Scan<'_, '_> {
    /// Whether detector `d` is enabled (scanners skip work for disabled ones).
    pub(crate) fn on(&self, d: Builtin) -> bool {
        self.det.enabled.contains(d.index())
    }

    /// Whether the key hints at or forces detector `d`.
    pub(crate) fn key_hints(&self, d: u16) -> bool {
        self.key.is_some_and(|k| k.hints_index(d))
    }

    /// Whether a context word of detector `d` is near `start..end`, or the key names it.
    pub(crate) fn has_context(&self, d: u16, start: usize, end: usize) -> bool {
        self.key_hints(d) || self.near(d, start, end)
    }

    /// Whether a context word of detector `d` is near `start..end` (the key aside).
    fn near(&self, d: u16, start: usize, end: usize) -> bool {
        self.det.context.near(self.s, self.has, start, end, d)
    }

    /// Marks the finding about to be pushed as undecided; false when there is no room.
    fn leave_undecided(&mut self) -> bool {
        let i = self.out.len().saturating_sub(self.base);
        if i >= MAX_UNDECIDED {
            return false;
        }
        self.undecided |= 1 << i;
        true
    }

    /// Reports a built-in candidate; returns whether a finding was pushed.
    pub(crate) fn emit(&mut self, d: Builtin, start: usize, end: usize, ev: Evidence) -> bool {
        self.emit_index(d.index(), start, end, ev)
    }

    /// Reports a candidate of any detector; returns whether a finding was pushed.
    pub(crate) fn emit_index(&mut self, d: u16, start: usize, end: usize, ev: Evidence) -> bool {
        if !self.det.enabled.contains(d) || end <= start {
            return false;
        }
        if self.key.is_some_and(KeyClass::suppress) && !self.det.survives_suppress.contains(d) {
            return false;
        }
        let hint = self.key_hints(d);
        let confidence = match ev {
            Evidence::Checksum => {
                // Without exact confidence, `Likely` is pushed and the context decided only
                // if the confidence has to break a tie (see [`Undecided`]).
                if hint {
                    Confidence::VeryLikely
                } else if !self.exact && self.leave_undecided() {
                    Confidence::Likely
                } else if self.near(d, start, end) {
                    Confidence::VeryLikely
                } else {
                    Confidence::Likely
                }
            }
            Evidence::ChecksumNeedsContext => {
                if hint || self.near(d, start, end) {
                    Confidence::Likely
                } else {
                    return false;
                }
            }
            Evidence::Format => {
                if hint {
                    Confidence::Likely
                } else if self.near(d, start, end) {
                    Confidence::Possible
                } else {
                    return false;
                }
            }
        };
        self.out.push(Finding {
            detector: DetectorIndex(d),
            start,
            end,
            confidence,
        });
        true
    }

    /// Reports a finding with a confidence decided by the caller.
    pub(crate) fn push(&mut self, d: u16, start: usize, end: usize, confidence: Confidence) {
        if self.det.enabled.contains(d) && end > start {
            self.out.push(Finding {
                detector: DetectorIndex(d),
                start,
                end,
                confidence,
            });
        }
    }
}

impl Detectors {
    /// Starts a configuration with every default-on built-in detector enabled.
    pub fn builder() -> DetectorsBuilder {
        DetectorsBuilder::new()
    }

    /// What detector `d` is. An index from another configuration that is out of range gets
    /// the first built-in's info rather than a panic.
    pub fn info(&self, d: DetectorIndex) -> &DetectorInfo {
        match self.infos.get(usize::from(d.0)) {
            Some(info) => info,
            None => self.infos.first().unwrap_or(&FALLBACK_INFO),
        }
    }

    /// Every configured detector (built-ins first, then custom ones), enabled or not.
    pub fn infos(&self) -> &[DetectorInfo] {
        &self.infos
    }

    /// Whether detector `d` runs in this configuration.
    pub fn is_enabled(&self, d: DetectorIndex) -> bool {
        self.enabled.contains(d.0)
    }

    /// The index of the detector with this id, if configured.
    pub fn index_of(&self, id: &str) -> Option<DetectorIndex> {
        self.infos
            .iter()
            .position(|i| i.id == id)
            .and_then(|p| u16::try_from(p).ok())
            .map(DetectorIndex)
    }

    /// Classifies a JSON key (or form field, header name) by its words: which detectors it
    /// hints at, which one it forces, and whether it suppresses detection. See [`KeyClass`]
    /// for the built-in word lists.
    pub fn classify_key(&self, raw_key: &str) -> KeyClass {
        self.keys.classify(raw_key)
    }

    /// Scans one decoded string value and appends its findings to `out`.
    ///
    /// Findings from this call are sorted by `start` and never overlap each other (validated
    /// beats context-gated, then longer beats shorter, then higher confidence wins). Findings
    /// already in `out` are left alone. The scan does not allocate unless the value contains
    /// full-width letters/digits or zero-width characters (then one folded copy is made) or
    /// `out` has to grow.
    pub fn scan(&self, text: &str, ctx: &ScanContext<'_>, out: &mut Vec<Finding>) {
        self.scan_with(text, ctx, out, true);
    }

    /// Scans like [`Detectors::scan`] for callers that only use where findings are and of
    /// which detector (redaction): the findings are the same, but a checksum-validated finding
    /// may say [`Confidence::Likely`] where [`Detectors::scan`] says
    /// [`Confidence::VeryLikely`], because nearby words are only looked for when the
    /// confidence decides between two overlapping findings. That skips most context-word
    /// searches.
    pub fn scan_ranges(&self, text: &str, ctx: &ScanContext<'_>, out: &mut Vec<Finding>) {
        self.scan_with(text, ctx, out, false);
    }

    /// [`Detectors::scan`] with exact confidence or [`Detectors::scan_ranges`] without.
    fn scan_with(&self, text: &str, ctx: &ScanContext<'_>, out: &mut Vec<Finding>, exact: bool) {
        let base = out.len();
        let original = text.as_bytes();
        // One pass says which scanners can find anything; ASCII values never need folding.
        let has = text::presence(original);
        let undecided = if has & text::has::HIGH != 0 && text::needs_folding(original) {
            let (mut bytes, mut map) = (Vec::new(), Vec::new());
            text::fold(original, &mut bytes, &mut map);
            let view = View::folded(original, &bytes, &map);
            let has = text::presence(view.bytes);
            // Ranges move to the original text below, so context is decided on the folded
            // view now (rare: full-width or zero-width characters).
            self.scan_view(&view, has, ctx, out, true);
            for f in out.iter_mut().skip(base) {
                let (s, e) = view.original_range(f.start, f.end);
                f.start = s;
                f.end = e;
            }
            0
        } else {
            self.scan_view(&View::plain(original), has, ctx, out, exact)
        };
        // A forcing key replaces the scanners' findings, undecided ones included.
        let undecided = if self.force_by_key(text, ctx, base, out) {
            0
        } else {
            undecided
        };
        self.resolve_overlaps(base, out, undecided, original, has);
    }

    /// Runs the scanners over `view`, whose [`text::presence`] flags are `has`; returns the
    /// checksum findings whose context is not decided (none when `exact`).
    fn scan_view(
        &self,
        view: &View<'_>,
        has: text::has::Has,
        ctx: &ScanContext<'_>,
        out: &mut Vec<Finding>,
        exact: bool,
    ) -> u16 {
        let base = out.len();
        let mut scan = Scan {
            det: self,
            s: view.bytes,
            key: ctx.key,
            out,
            has,
            exact,
            base,
            undecided: 0,
            maybe_year: false,
        };
        let any = |flag: text::has::Has| has & flag != 0;
        if any(text::has::DIGIT) {
            numeric::scan(&mut scan);
        }
        if any(text::has::AT) {
            email::scan(&mut scan);
        }
        if text::has::may_hold_secret(has) {
            secrets::scan(&mut scan);
        }
        if any(text::has::SEPARATOR) {
            network::scan(&mut scan);
        }
        gated::scan(&mut scan, has);
        if any(text::has::HIGH) {
            dates::scan(&mut scan);
        }
        for (i, c) in self.customs.iter().enumerate() {
            let index = u16::try_from(CATALOGUE.len() + i).unwrap_or(u16::MAX);
            c.scan(index, &mut scan);
        }
        scan.undecided
    }

    /// A key that forces a detector (`password`, `身份证号`, `email`, ...) turns the whole
    /// trimmed value into a finding when the scan found nothing of that detector's category.
    /// Returns whether it did (then the scanners' findings are gone).
    fn force_by_key(
        &self,
        text: &str,
        ctx: &ScanContext<'_>,
        base: usize,
        out: &mut Vec<Finding>,
    ) -> bool {
        let Some(forced) = ctx.key.and_then(KeyClass::force) else {
            return false;
        };
        if !self.enabled.contains(forced.0) {
            return false;
        }
        let trimmed = text.trim();
        if trimmed.is_empty() || matches!(trimmed, "null" | "undefined" | "N/A" | "n/a" | "-") {
            return false;
        }
        // A value that is already masked (`+86 135****2885`) is not forced again, and a
        // validated finding of another category (a URL with credentials under `连接地址`, a
        // resident id under `idCardNo`) wins over the key; secrets are forced regardless.
        let secret = forced.0 == Builtin::CredentialKey.index();
        if !secret && numeric::already_masked(trimmed) {
            return false;
        }
        let category = &self.info(forced).category;
        let covered = out.iter().skip(base).any(|f| {
            &self.info(f.detector).category == category
                || !secret && self.info(f.detector).tier == Tier::Validated
        });
        if covered {
            return false;
        }
        let start = text.len() - text.trim_start().len();
        let end = start + trimmed.len();
        out.truncate(base);
        out.push(Finding {
            detector: forced,
            start,
            end,
            confidence: Confidence::Likely,
        });
        true
    }

    /// Ranking used when two findings overlap: tier first, then length (then confidence,
    /// see [`Detectors::resolve_overlaps`]).
    fn rank(&self, f: &Finding) -> (u8, usize) {
        let tier = match self.info(f.detector).tier {
            Tier::Validated | Tier::CountryPack => 2,
            Tier::Custom => 1,
            Tier::ContextGated => 0,
        };
        (tier, f.end - f.start)
    }

    /// Keeps the best of overlapping findings (by [`Detectors::rank`], then confidence).
    /// `undecided` findings of `s` (with presence flags `has`) get their confidence only here,
    /// and only when it breaks a tie.
    fn resolve_overlaps(
        &self,
        base: usize,
        out: &mut Vec<Finding>,
        undecided: u16,
        s: &[u8],
        has: text::has::Has,
    ) {
        let Some(mine) = out.get_mut(base..) else {
            return;
        };
        if mine.len() < 2 {
            return;
        }
        // Which findings are undecided, taken before the sort moves them (most values have
        // none, and then nothing is copied).
        let undecided = (undecided != 0).then(|| Undecided::new(mine, 0, undecided));
        let confidence = |f: &Finding| {
            if undecided.as_ref().is_some_and(|u| u.holds(f))
                && self.context.near(s, has, f.start, f.end, f.detector.0)
            {
                Confidence::VeryLikely
            } else {
                f.confidence
            }
        };
        mine.sort_unstable_by_key(|f| (f.start, core::cmp::Reverse(f.end)));
        let mut write = base;
        for read in base..out.len() {
            let Some(&cur) = out.get(read) else { break };
            if write > base
                && let Some(prev) = out.get(write - 1).copied()
                && cur.start < prev.end
            {
                let (rc, rp) = (self.rank(&cur), self.rank(&prev));
                if (rc > rp || rc == rp && confidence(&cur) > confidence(&prev))
                    && let Some(slot) = out.get_mut(write - 1)
                {
                    *slot = cur;
                }
                continue;
            }
            if let Some(slot) = out.get_mut(write) {
                *slot = cur;
            }
            write += 1;
        }
        out.truncate(write);
    }
}

static FALLBACK_INFO: DetectorInfo = DetectorInfo {
    id: String::new(),
    category: String::new(),
    tier: Tier::Custom,
    pack: None,
    sensitive_hint: false,
    description: "",
};

#[cfg(test)]
mod tests;
