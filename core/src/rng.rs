//! The simulation's one random number generator: seeded, portable, and the only source of
//! randomness in the core (latency, loss, tie-breaking, random workloads).

use rand::SeedableRng;
use rand::rand_core::Rng as _;
use rand_xoshiro::Xoshiro256PlusPlus;

/// A seeded generator whose sequence is the same on every platform and build.
#[derive(Debug, Clone)]
pub struct SimRng {
    inner: Xoshiro256PlusPlus,
}

impl SimRng {
    /// A generator for `seed`.
    pub fn new(seed: u64) -> SimRng {
        SimRng {
            inner: Xoshiro256PlusPlus::seed_from_u64(seed),
        }
    }

    /// The next raw 64-bit value.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// A value in `lo..=hi` (returns `lo` when `hi <= lo`).
    pub fn range_inclusive(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        let span = hi - lo + 1;
        // Lemire's multiply-shift reduction; the tiny bias is irrelevant here and the result
        // is identical on every platform.
        lo + ((self.next_u64() as u128 * span as u128) >> 64) as u64
    }

    /// True with probability `ppm` / 1 000 000.
    pub fn chance_ppm(&mut self, ppm: u32) -> bool {
        ppm > 0 && self.range_inclusive(0, 999_999) < ppm as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence_and_bounds() {
        let mut a = SimRng::new(42);
        let mut b = SimRng::new(42);
        for _ in 0..1000 {
            let x = a.range_inclusive(2, 8);
            assert_eq!(x, b.range_inclusive(2, 8));
            assert!((2..=8).contains(&x));
        }
        assert_ne!(SimRng::new(1).next_u64(), SimRng::new(2).next_u64());
        assert!(!a.chance_ppm(0));
        assert!(a.chance_ppm(1_000_000));
    }
}
