//! The streaming redaction engine: bytes in → tokens → findings → redactions → bytes out.
//!
//! Feed a body in chunks of any size with [`Redactor::push`] and end with
//! [`Redactor::finish`]. Bytes that are not redacted are copied through unchanged; only the
//! current incomplete token (a string, a number, an object member whose fate is not yet
//! decided, a text segment, a form pair) is held back, bounded by
//! [`Limits::max_token_bytes`]. Every chunking of a body gives the same output as the whole
//! body in one chunk.
//!
//! Formats ([`Format`]): JSON (string escapes decoded before detection, output re-escaped and
//! still valid JSON; numbers are scanned too), NDJSON (one JSON value per line; pointers start
//! with the line index), `application/x-www-form-urlencoded` (percent and `+` decoding; keys
//! give context) and plain text (scanned in segments that end at a newline, or at the last
//! space before `max_token_bytes`).

mod error;
mod escape;
mod form;
mod json;
mod keycache;
mod text;

use alloc::string::String;
use alloc::vec::Vec;

pub use error::{Location, RedactError};
pub use keycache::KeyCache;

use crate::policy::MethodTable;
use crate::redact::{self, HashKey, Method, MethodError, Replacement, Target};
use crate::remark::{Name, Remark, Summary};
use crate::select::{FieldAction, FieldRule, FieldRules};

/// The body formats the engine understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/json` and `+json` types.
    Json,
    /// Newline-delimited JSON (`application/x-ndjson`, `application/jsonl`, `json-seq`).
    Ndjson,
    /// `application/x-www-form-urlencoded`.
    FormUrlEncoded,
    /// Any `text/*` type: scanned as free text.
    Text,
}

impl Format {
    /// The format for a `Content-Type` header value, ignoring parameters and case;
    /// `None` for types the engine does not rewrite (images, protobuf, ...).
    ///
    /// ```
    /// use scrim_core::stream::Format;
    /// assert_eq!(Format::from_content_type("application/json; charset=utf-8"), Some(Format::Json));
    /// assert_eq!(Format::from_content_type("application/problem+json"), Some(Format::Json));
    /// assert_eq!(Format::from_content_type("image/png"), None);
    /// ```
    pub fn from_content_type(content_type: &str) -> Option<Self> {
        let essence = content_type.split(';').next().unwrap_or("").trim();
        let lower = essence.to_ascii_lowercase();
        match lower.as_str() {
            "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/json-seq" => Some(Self::Ndjson),
            "application/x-www-form-urlencoded" => Some(Self::FormUrlEncoded),
            "application/json" | "text/json" => Some(Self::Json),
            s if s.ends_with("+json") => Some(Self::Json),
            s if s.starts_with("text/") => Some(Self::Text),
            _ => None,
        }
    }
}

/// Bounds for untrusted bodies. Crossing one stops the run with a [`RedactError`]; a filter
/// then fails closed (withholds the body) rather than pass it unredacted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of JSON objects and arrays. Default 128.
    pub max_depth: usize,
    /// Longest token held back: a string or number, a member's key and separators, a text
    /// segment without a space, a form pair. Default 1 MiB.
    pub max_token_bytes: usize,
    /// Most findings (remarks) per body. Default 100,000.
    pub max_findings: usize,
    /// Longest body. Default 64 MiB.
    pub max_body_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 128,
            max_token_bytes: 1 << 20,
            max_findings: 100_000,
            max_body_bytes: 64 << 20,
        }
    }
}

/// A detector finding: a byte range in the scanned text and which detector found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Start byte in the scanned text.
    pub start: usize,
    /// End byte (exclusive).
    pub end: usize,
    /// Detector index, resolved by [`Scanner::detector`].
    pub detector: u16,
}

/// What a key name alone says about its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForce<'a> {
    /// Nothing decisive: scan the value, with the key as context.
    Scan,
    /// The key marks an identifier that is not personal data (`order_id`, `sku`): skip.
    Suppress,
    /// The key alone decides the category (`password`, `身份证号`).
    Force {
        /// Category id.
        category: &'a str,
        /// Detector id the key stands for, when there is one.
        detector: Option<&'a str>,
    },
}

/// What the engine needs from detection. `scrim_core::detect::Detectors` implements it; tests
/// and embedders may plug in their own.
pub trait Scanner: Send + Sync {
    /// A classified key, computed once per distinct key and kept while its value is read.
    type Key: Clone;
    /// The scanner's own finding type (converted with [`Scanner::hit`]).
    type Finding;
    /// Classify a decoded key name.
    fn classify_key(&self, key: &str) -> Self::Key;
    /// What the key alone decides.
    fn key_force<'a>(&'a self, key: &'a Self::Key) -> KeyForce<'a>;
    /// Scan decoded text; push non-overlapping findings sorted by start.
    fn scan(&self, text: &str, key: Option<&Self::Key>, out: &mut Vec<Self::Finding>);
    /// The byte range and detector of a finding.
    fn hit(&self, finding: &Self::Finding) -> Hit;
    /// `(detector id, category id)` of a hit's detector.
    fn detector(&self, index: u16) -> (&str, &str);
    /// How many detectors there are (indices `0..count`), so a policy can resolve each
    /// detector's method once at compile time. `0` (the default) resolves nothing ahead.
    fn detector_count(&self) -> usize {
        0
    }
}

/// Everything a run needs besides the format: compiled rules, methods, key and limits.
pub struct EngineParts<'p, S: Scanner> {
    /// The detectors.
    pub scanner: &'p S,
    /// The `fields` rules.
    pub fields: &'p FieldRules,
    /// Methods after audience and profile overrides.
    pub methods: MethodTable,
    /// The HMAC key for `hash`.
    pub hmac_key: Option<HashKey>,
    /// Bounds for this body.
    pub limits: Limits,
}

/// How the engine treats one value: `'p` borrows from the policy, `'k` from the key class.
#[derive(Clone, Copy)]
pub(crate) enum Ctl<'p, 'k> {
    Scan,
    Ignore,
    Field(&'p FieldRule),
    Key {
        category: &'k str,
        detector: Option<&'k str>,
    },
}

/// How a value is treated given the field rule in force and its key class.
pub(crate) fn control<'p, 'k, S: Scanner>(
    scanner: &'k S,
    field: Option<&'p FieldRule>,
    key: Option<&'k S::Key>,
) -> Ctl<'p, 'k> {
    if let Some(rule) = field {
        return match rule.action {
            FieldAction::Ignore => Ctl::Ignore,
            FieldAction::Force(_) => Ctl::Field(rule),
        };
    }
    match key.map(|k| scanner.key_force(k)) {
        Some(KeyForce::Suppress) => Ctl::Ignore,
        Some(KeyForce::Force { category, detector }) => Ctl::Key { category, detector },
        _ => Ctl::Scan,
    }
}

/// The remark ids of one detector, made once per compiled policy and shared (by reference
/// count) by every remark of that detector, instead of new strings per finding.
pub(crate) struct DetectorNames {
    /// `detector:<id>`.
    pub rule: Name,
    /// The detector id.
    pub detector: Name,
    /// The detector's category id.
    pub category: Name,
}

impl DetectorNames {
    /// The names of detector `id` in `category`.
    pub fn new(id: &str, category: &str) -> Self {
        Self {
            rule: rule_name("detector:", id),
            detector: Name::from(id),
            category: Name::from(category),
        }
    }
}

/// `prefix` + `id` as a [`Name`] (one allocation).
fn rule_name(prefix: &str, id: &str) -> Name {
    let mut rule = String::with_capacity(prefix.len() + id.len());
    rule.push_str(prefix);
    rule.push_str(id);
    Name::from(rule)
}

/// One decided change in a decoded value, with the ids its remark will carry.
pub(crate) struct Edit {
    pub start: usize,
    pub end: usize,
    /// The change covers the whole value (forced, or a finding spanning all of it).
    pub whole: bool,
    pub repl: Replacement,
    pub ids: Ids,
    pub method: &'static str,
}

/// The rule, category and detector of one edit.
pub(crate) struct Ids {
    rule: Name,
    category: Name,
    detector: Option<Name>,
}

/// The method table of a run: the policy's own, or a copy with overrides applied.
enum Methods<'p> {
    Policy(&'p MethodTable),
    Run(MethodTable),
}

impl Methods<'_> {
    #[inline]
    fn table(&self) -> &MethodTable {
        match self {
            Methods::Policy(t) => t,
            Methods::Run(t) => t,
        }
    }
}

/// Categories counted per body before [`Summary::counts`] itself is used.
const TALLY: usize = 4;
/// Remarks reserved at a body's first remark: most bodies have fewer, and 7 remarks
/// (952 bytes) are still a small allocation for common allocators (glibc's per-thread
/// cache ends at 1,032 bytes).
const FIRST_REMARKS: usize = 7;
/// Most replacement buffers a run keeps for reuse.
const SPARE_BUFFERS: usize = 8;
/// Largest replacement buffer a run keeps for reuse (bytes of capacity).
const SPARE_BYTES: usize = 1024;

/// The format-independent part of a run: deciding and recording.
pub(crate) struct Core<'p, S: Scanner> {
    pub scanner: &'p S,
    pub fields: &'p FieldRules,
    methods: Methods<'p>,
    /// The method of each detector index, resolved from the policy's own table at compile
    /// time (empty when the run has overrides: then [`MethodTable::method_for`] decides).
    by_detector: &'p [Method],
    /// The remark ids of each detector index, made at compile time (empty: made per edit).
    names: &'p [DetectorNames],
    hmac_key: Option<HashKey>,
    pub limits: Limits,
    hits: Vec<S::Finding>,
    pub edits: Vec<Edit>,
    pub summary: Summary,
    /// Remarks per category so far, merged into `summary.counts` at the end of the body: a
    /// body has a handful of categories, so a short list searched by pointer first costs
    /// less per remark than a map lookup by string.
    tally: [Option<(Name, u64)>; TALLY],
    /// Replacement buffers of recorded edits, reused by the next ones (at most
    /// [`SPARE_BUFFERS`], each at most [`SPARE_BYTES`]).
    spare: Vec<String>,
    /// Id of the policy this run belongs to (0: unknown), for lent [`KeyCache`]s.
    policy_id: usize,
}

impl<'p, S: Scanner> Core<'p, S> {
    /// Decide the edits for `text`, leaving them in `self.edits` (sorted, non-overlapping).
    pub fn decide(
        &mut self,
        text: &str,
        key: Option<&S::Key>,
        ctl: Ctl<'p, '_>,
    ) -> Result<(), RedactError> {
        self.edits.clear();
        match ctl {
            Ctl::Ignore => {}
            Ctl::Field(rule) => {
                let category = match &rule.action {
                    FieldAction::Force(c) => c.as_str(),
                    FieldAction::Ignore => return Ok(()),
                };
                let ids = Ids {
                    rule: rule_name("field:", &rule.id),
                    category: Name::from(category),
                    detector: None,
                };
                self.push_edit(text, 0, text.len(), true, ids)?;
            }
            Ctl::Key { category, detector } => {
                let ids = Ids {
                    rule: rule_name("key:", detector.unwrap_or(category)),
                    category: Name::from(category),
                    detector: detector.map(Name::from),
                };
                self.push_edit(text, 0, text.len(), true, ids)?;
            }
            Ctl::Scan => {
                if text.is_empty() {
                    return Ok(());
                }
                let mut hits = core::mem::take(&mut self.hits);
                hits.clear();
                self.scanner.scan(text, key, &mut hits);
                let scanner = self.scanner;
                let mut last_end = 0usize;
                let mut result = Ok(());
                for f in &hits {
                    let h = scanner.hit(f);
                    if h.start < last_end || h.end <= h.start || h.end > text.len() {
                        continue; // defensive: overlapping or out-of-range hits are skipped
                    }
                    last_end = h.end;
                    let whole = h.start == 0 && h.end == text.len();
                    // Shared names made at compile time from the same `scanner.detector`
                    // pair; made here only for runs without them.
                    let ids = match self.names.get(usize::from(h.detector)) {
                        Some(n) => Ids {
                            rule: n.rule.clone(),
                            category: n.category.clone(),
                            detector: Some(n.detector.clone()),
                        },
                        None => {
                            let (det, category) = scanner.detector(h.detector);
                            Ids {
                                rule: rule_name("detector:", det),
                                category: Name::from(category),
                                detector: Some(Name::from(det)),
                            }
                        }
                    };
                    // Resolved at compile time from the same (detector, category) pair.
                    let method = self.by_detector.get(usize::from(h.detector));
                    result = self.push_edit_with(text, h.start, h.end, whole, ids, method);
                    if result.is_err() {
                        break;
                    }
                }
                self.hits = hits;
                result?;
            }
        }
        Ok(())
    }

    fn push_edit(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        whole: bool,
        ids: Ids,
    ) -> Result<(), RedactError> {
        self.push_edit_with(text, start, end, whole, ids, None)
    }

    /// [`Core::push_edit`] with the method already known (`None`: look it up by ids).
    fn push_edit_with(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
        whole: bool,
        ids: Ids,
        method: Option<&'p Method>,
    ) -> Result<(), RedactError> {
        if self.summary.remarks.len() + self.edits.len() >= self.limits.max_findings {
            return Err(RedactError::TooManyFindings {
                limit: self.limits.max_findings,
            });
        }
        let category = ids.category.as_str();
        let detector = ids.detector.as_deref();
        let method: &Method = match method {
            Some(m) => m,
            None => self.methods.table().method_for(category, detector),
        };
        let target = Target { category, detector };
        let matched = text.get(start..end).unwrap_or("");
        // Text goes into a buffer given back by an earlier remark ([`Core::record_owned`]),
        // else into one with room for most replacements (tokens, masks, templates).
        let spare = &mut self.spare;
        let buffer = || {
            spare
                .pop()
                .unwrap_or_else(|| String::with_capacity(matched.len().max(48) + 16))
        };
        let repl = redact::apply_with(method, matched, target, self.hmac_key.as_ref(), buffer)
            .map_err(|MethodError::MissingHashKey| RedactError::MissingHashKey)?;
        self.edits.push(Edit {
            start,
            end,
            whole,
            repl,
            method: method.name(),
            ids,
        });
        Ok(())
    }

    /// Like [`Core::decide`] for bytes that may not be UTF-8 (text bodies, form values):
    /// valid runs are scanned separately; a forced value is redacted as a whole.
    pub fn decide_bytes(
        &mut self,
        bytes: &[u8],
        key: Option<&S::Key>,
        ctl: Ctl<'p, '_>,
    ) -> Result<(), RedactError> {
        if let Ok(s) = core::str::from_utf8(bytes) {
            return self.decide(s, key, ctl);
        }
        if !matches!(ctl, Ctl::Scan) {
            let lossy = String::from_utf8_lossy(bytes);
            self.decide(&lossy, key, ctl)?;
            for e in &mut self.edits {
                e.end = bytes.len();
            }
            return Ok(());
        }
        let mut all = Vec::new();
        let mut base = 0usize;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            self.decide(valid, key, ctl)?;
            for mut e in self.edits.drain(..) {
                e.start += base;
                e.end += base;
                e.whole = false;
                all.push(e);
            }
            base += valid.len() + chunk.invalid().len();
        }
        self.edits = all;
        Ok(())
    }

    /// Record the current edits as remarks; `raw_range` maps a decoded range to input bytes.
    pub fn record(&mut self, pointer: Option<&str>, raw_range: impl Fn(usize, usize) -> [u64; 2]) {
        self.record_owned(pointer.map(String::from), raw_range);
    }

    /// [`Core::record`] with the pointer already owned: the last remark takes it, the others
    /// get copies (most values have one edit, so no copy at all).
    pub fn record_owned(
        &mut self,
        mut pointer: Option<String>,
        raw_range: impl Fn(usize, usize) -> [u64; 2],
    ) {
        let n = self.edits.len();
        if n == 0 {
            return;
        }
        if self.summary.remarks.capacity() == 0 {
            // Most bodies have a few remarks: one allocation instead of growing 4 → 8.
            self.summary.remarks.reserve(FIRST_REMARKS);
        }
        for (k, e) in self.edits.drain(..).enumerate() {
            let pointer = if k + 1 == n {
                pointer.take()
            } else {
                pointer.clone()
            };
            count(&mut self.tally, &mut self.summary, &e.ids.category);
            // Counted above, so the remark is pushed directly rather than by
            // [`Summary::push`] (which would count it again); [`Core::take_summary`] adds
            // the counts.
            self.summary.remarks.push(Remark {
                rule: e.ids.rule,
                detector: e.ids.detector,
                category: e.ids.category,
                pointer,
                range: raw_range(e.start, e.end),
                method: Name::from_static(e.method),
            });
            if let Replacement::Text(buf) = e.repl
                && self.spare.len() < SPARE_BUFFERS
                && buf.capacity() <= SPARE_BYTES
            {
                self.spare.push(buf);
            }
        }
    }

    /// The summary of the body so far, with the counts of [`Core::record_owned`] added: the
    /// same as if every remark had been recorded with [`Summary::push`].
    fn take_summary(&mut self) -> Summary {
        let mut summary = core::mem::take(&mut self.summary);
        for (category, n) in self.tally.iter_mut().filter_map(Option::take) {
            *summary.counts.entry(category).or_insert(0) += n;
        }
        summary
    }
}

/// Adds one remark of `category` to `tally`, or to `summary.counts` once `tally` is full.
fn count(tally: &mut [Option<(Name, u64)>], summary: &mut Summary, category: &Name) {
    for slot in tally {
        match slot {
            // Remarks of one detector share one `Name`, so the pointer test almost always
            // decides; the string test keeps equal names made apart (field rules, key
            // classes) in one count.
            Some((c, n)) if c.same(category) || c.as_str() == category.as_str() => {
                *n += 1;
                return;
            }
            Some(_) => {}
            None => {
                *slot = Some((category.clone(), 1));
                return;
            }
        }
    }
    // More categories than slots in one body: counted in the map itself ([`Core::take_summary`]
    // adds the slots' counts to it).
    *summary.counts.entry(category.clone()).or_insert(0) += 1;
}

#[cfg_attr(
    target_pointer_width = "64",
    expect(
        clippy::large_enum_variant,
        reason = "one machine per body, never stored in bulk; boxing costs an allocation per body"
    )
)]
enum Machine<'p, K> {
    Json(json::JsonMachine<'p, K>),
    Form(form::FormMachine),
    Text(text::TextMachine),
}

/// One body being redacted. Create one per body from a compiled policy; it borrows the policy.
pub struct Redactor<'p, S: Scanner = crate::detect::Detectors> {
    core: Core<'p, S>,
    machine: Machine<'p, S::Key>,
    bytes_in: u64,
    bytes_out: u64,
}

impl<'p, S: Scanner> Redactor<'p, S> {
    /// Start a run over a body of `format`. Fails with [`RedactError::MissingHashKey`] when a
    /// `hash` method is in effect and no key was given: hashing fails closed, it never falls
    /// back to an unkeyed or weaker method.
    pub fn new(format: Format, parts: EngineParts<'p, S>) -> Result<Self, RedactError> {
        let methods = Methods::Run(parts.methods);
        Self::start(
            format,
            parts.scanner,
            parts.fields,
            methods,
            parts.hmac_key,
            parts.limits,
        )
    }

    /// Like [`Redactor::new`] with the policy's own method table, borrowed instead of copied
    /// (no audience or profile overrides): saves a copy of the table per body.
    /// `by_detector` is the table's method for each detector index (see
    /// [`Scanner::detector_count`]), or empty.
    #[inline]
    pub(crate) fn with_policy_methods(
        format: Format,
        parts: (&'p S, &'p FieldRules, &'p MethodTable, &'p [Method]),
        hmac_key: Option<HashKey>,
        limits: Limits,
    ) -> Result<Self, RedactError> {
        let (scanner, fields, methods, by_detector) = parts;
        let methods = Methods::Policy(methods);
        let mut r = Self::start(format, scanner, fields, methods, hmac_key, limits)?;
        r.core.by_detector = by_detector;
        Ok(r)
    }

    /// Gives the run the remark ids of each detector index, made once by the policy
    /// ([`DetectorNames::new`] of [`Scanner::detector`]), so findings share them.
    pub(crate) fn set_detector_names(&mut self, names: &'p [DetectorNames]) {
        self.core.names = names;
    }

    #[inline]
    fn start(
        format: Format,
        scanner: &'p S,
        fields: &'p FieldRules,
        methods: Methods<'p>,
        hmac_key: Option<HashKey>,
        limits: Limits,
    ) -> Result<Self, RedactError> {
        if hmac_key.is_none() && methods.table().uses_hash() {
            return Err(RedactError::MissingHashKey);
        }
        let machine = match format {
            Format::Json => Machine::Json(json::JsonMachine::new(false)),
            Format::Ndjson => Machine::Json(json::JsonMachine::new(true)),
            Format::FormUrlEncoded => Machine::Form(form::FormMachine::default()),
            Format::Text => Machine::Text(text::TextMachine::default()),
        };
        Ok(Self {
            core: Core {
                scanner,
                fields,
                methods,
                by_detector: &[],
                names: &[],
                hmac_key,
                limits,
                hits: Vec::new(),
                edits: Vec::new(),
                summary: Summary::default(),
                tally: [const { None }; TALLY],
                spare: Vec::new(),
                policy_id: 0,
            },
            machine,
            bytes_in: 0,
            bytes_out: 0,
        })
    }

    /// Feed the next chunk; redacted output that is ready is appended to `out`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), RedactError> {
        self.bytes_in = self.bytes_in.saturating_add(chunk.len() as u64);
        if self.bytes_in > self.core.limits.max_body_bytes {
            return Err(RedactError::BodyTooLarge {
                limit: self.core.limits.max_body_bytes,
            });
        }
        let before = out.len();
        match &mut self.machine {
            Machine::Json(m) => m.push(&mut self.core, chunk, out)?,
            Machine::Form(m) => m.push(&mut self.core, chunk, out)?,
            Machine::Text(m) => m.push(&mut self.core, chunk, out)?,
        }
        self.bytes_out += (out.len() - before) as u64;
        Ok(())
    }

    /// Marks the run as one of policy `id` (from [`crate::policy::Policy`]), so that a lent
    /// [`KeyCache`] can tell whose keys it holds.
    pub(crate) fn set_policy_id(&mut self, id: usize) {
        self.core.policy_id = id;
    }

    /// Like [`Redactor::push`], with `keys` lent for the call: keys classified by earlier
    /// bodies of the same policy are not classified again, and new ones are remembered for
    /// later bodies. Output and remarks are the same as without the cache. A redactor that
    /// was not made by [`crate::policy::Policy::redactor`] ignores `keys`.
    pub fn push_with_keys(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<u8>,
        keys: &mut KeyCache<S::Key>,
    ) -> Result<(), RedactError> {
        if !self.lend(keys) {
            return self.push(chunk, out);
        }
        let r = self.push(chunk, out);
        self.lend(keys);
        keys.trim();
        r
    }

    /// Like [`Redactor::finish`], with `keys` lent for the call (see
    /// [`Redactor::push_with_keys`]).
    pub fn finish_with_keys(
        mut self,
        out: &mut Vec<u8>,
        keys: &mut KeyCache<S::Key>,
    ) -> Result<Summary, RedactError> {
        let lent = self.lend(keys);
        let r = self.finish_inner(out);
        if lent {
            self.lend(keys);
            keys.trim();
        }
        r
    }

    /// Swaps the JSON machine's key table, and the run's edit list and replacement buffers,
    /// with `keys`' (the same call again swaps them back). `false` when nothing was swapped:
    /// the run has no policy id or is not JSON.
    fn lend(&mut self, keys: &mut KeyCache<S::Key>) -> bool {
        let id = self.core.policy_id;
        match &mut self.machine {
            Machine::Json(m) if id != 0 => {
                keys.claim(id);
                m.swap_keys(&mut keys.table);
                // Scratch space only: the edit list is cleared before every value and each
                // buffer before it is written, so whatever a buffer held changes nothing.
                core::mem::swap(&mut self.core.edits, &mut keys.edits);
                core::mem::swap(&mut self.core.spare, &mut keys.spare);
                true
            }
            _ => false,
        }
    }

    /// End of body: flush what was held back and return the remarks.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<Summary, RedactError> {
        self.finish_inner(out)
    }

    fn finish_inner(&mut self, out: &mut Vec<u8>) -> Result<Summary, RedactError> {
        let before = out.len();
        match &mut self.machine {
            Machine::Json(m) => m.finish(&mut self.core, out)?,
            Machine::Form(m) => m.finish(&mut self.core, out)?,
            Machine::Text(m) => m.finish(&mut self.core, out)?,
        }
        self.bytes_out += (out.len() - before) as u64;
        let mut summary = self.core.take_summary();
        summary.bytes_in = self.bytes_in;
        summary.bytes_out = self.bytes_out;
        Ok(summary)
    }
}

#[cfg(test)]
pub(crate) mod testing;

#[cfg(test)]
mod tests;
