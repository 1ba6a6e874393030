//! "Did you mean" suggestions by edit distance.

use alloc::vec::Vec;

/// Edit distance in characters, counting a swap of two neighbours as one edit (optimal
/// string alignment), so `GTE` is one edit from `GET`.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d: Vec<usize> = alloc::vec![0; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        if let Some(x) = d.get_mut(at(i, 0)) {
            *x = i;
        }
    }
    for j in 0..=b.len() {
        if let Some(x) = d.get_mut(at(0, j)) {
            *x = j;
        }
    }
    for (i, ca) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        for (j, cb) in b.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let get = |i: usize, j: usize| d.get(at(i, j)).copied().unwrap_or(usize::MAX / 2);
            let cost = usize::from(ca != cb);
            let mut best = (get(i - 1, j) + 1)
                .min(get(i, j - 1) + 1)
                .min(get(i - 1, j - 1) + cost);
            if i > 1 && j > 1 && a.get(i - 1) == b.get(j - 2) && a.get(i - 2) == b.get(j - 1) {
                best = best.min(get(i - 2, j - 2) + 1);
            }
            if let Some(x) = d.get_mut(at(i, j)) {
                *x = best;
            }
        }
    }
    d.get(at(a.len(), b.len())).copied().unwrap_or(usize::MAX)
}

/// The closest candidate to `word`, if it is close enough to be a plausible typo
/// (at most a third of the word's length, at least 1, or a case-only difference).
pub(crate) fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = if c.eq_ignore_ascii_case(word) {
            0
        } else {
            distance(word, c)
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_get_suggestions_and_strangers_do_not() {
        let keys = ["redaction", "routes", "regions", "recipients"];
        assert_eq!(did_you_mean("redacton", keys), Some("redaction"));
        assert_eq!(did_you_mean("regoins", keys), Some("regions"));
        assert_eq!(did_you_mean("ROUTES", keys), Some("routes"));
        assert_eq!(did_you_mean("colour", keys), None);
    }
}
