//! Bulk guard: withhold a response that carries more records of a category than the route
//! allows (`routes[].bulk_limit`), a breach-response brake on mass export.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

/// One category over its limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BulkExcess {
    /// Category id.
    pub category: String,
    /// Values of that category found in the response.
    pub count: u64,
    /// The route's limit.
    pub limit: u64,
}

/// The bulk guard fired: the filter withholds the response and logs this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Alert {
    /// Every category over its limit, in category order.
    pub exceeded: Vec<BulkExcess>,
}

/// Compares the number of values found per category with the route's `bulk_limit`; returns an
/// [`Alert`] if any category is over its limit (a count equal to the limit passes).
///
/// ```
/// use std::collections::BTreeMap;
/// use scrim_core::transfer::bulk_guard;
/// let limits = BTreeMap::from([("government_id".to_string(), 100)]);
/// assert!(bulk_guard(&[("government_id", 100)], &limits).is_none());
/// let alert = bulk_guard(&[("government_id", 101), ("contact", 5000)], &limits).unwrap();
/// assert_eq!(alert.exceeded[0].category, "government_id");
/// ```
#[must_use]
pub fn bulk_guard<S: AsRef<str>>(
    counts: &[(S, u64)],
    limits: &BTreeMap<String, u64>,
) -> Option<Alert> {
    let mut exceeded: Vec<BulkExcess> = Vec::new();
    for (category, limit) in limits {
        let count: u64 = counts
            .iter()
            .filter(|(c, _)| c.as_ref() == category)
            .map(|(_, n)| *n)
            .fold(0, u64::saturating_add);
        if count > *limit {
            exceeded.push(BulkExcess {
                category: category.to_owned(),
                count,
                limit: *limit,
            });
        }
    }
    (!exceeded.is_empty()).then_some(Alert { exceeded })
}
