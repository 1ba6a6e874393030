//! How a body is cut into body callbacks.

use crate::rng::SplitMix64;

/// A way to split a body into chunks. Envoy delivers bodies in whatever pieces the network
/// gives; a correct filter gives the same downstream bytes under every plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkPlan {
    /// One chunk with the whole body.
    Whole,
    /// Chunks of this many bytes (the last may be shorter); 0 is treated as 1.
    Fixed(usize),
    /// One byte per callback: the harshest plan.
    OneByte,
    /// Random sizes from 1 to 257 bytes, reproducible from the seed.
    Random {
        /// Seed of the size sequence.
        seed: u64,
    },
}

impl ChunkPlan {
    /// The standard set: whole, one byte, fixed 7, random with `seed`. Assert that every
    /// plan gives the same downstream bytes.
    pub fn all(seed: u64) -> Vec<ChunkPlan> {
        vec![
            Self::Whole,
            Self::OneByte,
            Self::Fixed(7),
            Self::Random { seed },
        ]
    }

    /// Splits `body` (an empty body gives no chunks).
    pub fn split<'b>(&self, body: &'b [u8]) -> Vec<&'b [u8]> {
        if body.is_empty() {
            return Vec::new();
        }
        match *self {
            Self::Whole => vec![body],
            Self::Fixed(n) => body.chunks(n.max(1)).collect(),
            Self::OneByte => body.chunks(1).collect(),
            Self::Random { seed } => {
                let mut rng = SplitMix64::new(seed);
                let mut out = Vec::new();
                let mut rest = body;
                while !rest.is_empty() {
                    let n = rng.between_one_and(257).min(rest.len());
                    let (head, tail) = rest.split_at(n);
                    out.push(head);
                    rest = tail;
                }
                out
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_covers_the_body_in_order() {
        let body: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        for plan in ChunkPlan::all(42) {
            let chunks = plan.split(&body);
            assert!(chunks.iter().all(|c| !c.is_empty()), "{plan:?}");
            assert_eq!(chunks.concat(), body, "{plan:?}");
        }
        assert_eq!(ChunkPlan::OneByte.split(&body).len(), 1000);
        assert_eq!(ChunkPlan::Fixed(7).split(&body).len(), 143);
        assert!(ChunkPlan::Whole.split(&[]).is_empty());
    }

    #[test]
    fn random_plan_is_reproducible() {
        let body = vec![0u8; 5000];
        let sizes = |seed| {
            ChunkPlan::Random { seed }
                .split(&body)
                .iter()
                .map(|c| c.len())
                .collect::<Vec<_>>()
        };
        assert_eq!(sizes(1), sizes(1));
        assert_ne!(sizes(1), sizes(2));
    }
}
