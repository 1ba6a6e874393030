//! A sparse API payload mix for throughput: what a gateway mostly sees. Deterministic (a fixed
//! xorshift seed, no dependencies), generated in-process so both engines read the same bytes.
//!
//! Each document is one JSON response of a typical REST API: a page of orders (ids, SKUs,
//! amounts, timestamps, status enums, line items, a shipping note), a product catalogue page,
//! or an event log page. About one value in 60 holds personal data (an e-mail, a mobile number,
//! a card number, an IPv4 address), so there is roughly one finding per 1.5 KB, against one
//! per ~70 bytes in the seeded quality corpus.

/// xorshift64*: a tiny deterministic generator; the same seed gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "order",
    "was",
    "packed",
    "and",
    "handed",
    "to",
    "carrier",
    "please",
    "leave",
    "parcel",
    "at",
    "front",
    "desk",
    "gift",
    "wrap",
    "requested",
    "fragile",
    "items",
    "inside",
    "delivery",
    "window",
    "morning",
    "after",
    "noon",
    "customer",
    "asked",
    "for",
    "invoice",
    "with",
    "company",
    "details",
    "returns",
    "accepted",
    "within",
    "days",
];
const STATUS: &[&str] = &[
    "pending",
    "paid",
    "shipped",
    "delivered",
    "cancelled",
    "refunded",
];
const CURRENCY: &[&str] = &["EUR", "USD", "CNY", "GBP"];
const CATEGORY: &[&str] = &[
    "books", "garden", "kitchen", "toys", "audio", "outdoor", "office",
];
const EVENTS: &[&str] = &[
    "page_view",
    "add_to_cart",
    "checkout",
    "login",
    "search",
    "logout",
];

fn sentence(r: &mut Rng, words: u64) -> String {
    let n = 4 + r.below(words);
    (0..n).map(|_| r.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn uuid(r: &mut Rng) -> String {
    let (a, b) = (r.next(), r.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn timestamp(r: &mut Rng) -> String {
    format!(
        "2026-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        1 + r.below(12),
        1 + r.below(28),
        r.below(24),
        r.below(60),
        r.below(60)
    )
}

/// A personal value (valid by the detectors' checks), one kind per call.
fn pii(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!("user{}@example.com", r.below(100_000)),
        1 => format!("13{}{:08}", r.below(10), r.below(100_000_000)),
        2 => {
            // Visa test range with a valid Luhn check digit.
            let mut digits: Vec<u32> = vec![4];
            for _ in 0..14 {
                digits.push(r.below(10) as u32);
            }
            let sum: u32 = digits
                .iter()
                .rev()
                .enumerate()
                .map(|(i, &d)| {
                    if i % 2 == 0 {
                        (d * 2) % 9 + u32::from(d == 9) * 9
                    } else {
                        d
                    }
                })
                .sum();
            digits.push((10 - sum % 10) % 10);
            digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
        }
        _ => format!("203.0.{}.{}", r.below(256), r.below(256)),
    }
}

/// A string value: personal data about one time in 60, else ordinary text.
fn text_or_pii(r: &mut Rng, ordinary: String) -> String {
    if r.below(60) == 0 { pii(r) } else { ordinary }
}

fn order(r: &mut Rng) -> String {
    let items: Vec<String> = (0..1 + r.below(4))
        .map(|_| {
            format!(
                r#"{{"sku":"SKU-{:06}","name":"{}","qty":{},"unit_price":{}.{:02}}}"#,
                r.below(1_000_000),
                sentence(r, 3),
                1 + r.below(5),
                r.below(300),
                r.below(100)
            )
        })
        .collect();
    let note = sentence(r, 12);
    format!(
        r#"{{"order_id":"{}","status":"{}","created_at":"{}","currency":"{}","total":{}.{:02},"items":[{}],"shipping":{{"method":"standard","note":"{}","contact":"{}"}}}}"#,
        uuid(r),
        r.pick(STATUS),
        timestamp(r),
        r.pick(CURRENCY),
        r.below(2000),
        r.below(100),
        items.join(","),
        note,
        text_or_pii(r, String::from("front desk")),
    )
}

fn product(r: &mut Rng) -> String {
    let description = sentence(r, 20);
    format!(
        r#"{{"id":{},"sku":"SKU-{:06}","title":"{}","category":"{}","price":{}.{:02},"in_stock":{},"rating":{}.{},"updated_at":"{}","description":"{}"}}"#,
        r.below(1_000_000),
        r.below(1_000_000),
        sentence(r, 3),
        r.pick(CATEGORY),
        r.below(500),
        r.below(100),
        r.below(2) == 0,
        1 + r.below(4),
        r.below(10),
        timestamp(r),
        text_or_pii(r, description),
    )
}

fn event(r: &mut Rng) -> String {
    let path = format!("/{}/{}", r.pick(CATEGORY), r.below(10_000));
    format!(
        r#"{{"event_id":"{}","type":"{}","at":"{}","session":"{}","path":"{}","duration_ms":{},"referrer":"{}"}}"#,
        uuid(r),
        r.pick(EVENTS),
        timestamp(r),
        uuid(r),
        path,
        r.below(5000),
        text_or_pii(r, String::from("https://www.example.com/")),
    )
}

/// `docs` JSON documents (one per line when joined), about 1.5–4 KB each.
pub fn documents(seed: u64, docs: usize) -> Vec<String> {
    let mut r = Rng(seed.max(1));
    (0..docs)
        .map(|_| {
            let n = 3 + r.below(6);
            match r.below(3) {
                0 => {
                    let page: Vec<String> = (0..n).map(|_| order(&mut r)).collect();
                    format!(
                        r#"{{"orders":[{}],"page":{{"next":null}}}}"#,
                        page.join(",")
                    )
                }
                1 => {
                    let page: Vec<String> = (0..n).map(|_| product(&mut r)).collect();
                    format!(r#"{{"products":[{}],"total":{}}}"#, page.join(","), n)
                }
                _ => {
                    let page: Vec<String> = (0..n * 2).map(|_| event(&mut r)).collect();
                    format!(r#"{{"events":[{}]}}"#, page.join(","))
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_documents_and_every_document_is_json() {
        let a = documents(7, 50);
        assert_eq!(a, documents(7, 50));
        assert_ne!(a, documents(8, 50));
        for d in &a {
            serde_json::from_str::<serde_json::Value>(d).expect("valid JSON");
        }
    }
}
