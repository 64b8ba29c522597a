//! A stable 64-bit digest of the model state.
//!
//! Words are fed in a fixed order (resources first, then agents sorted by `AgentId`), floats as
//! their canonical bit patterns. The mixing is a multiply–rotate scheme with a final avalanche
//! (as in FxHash/SplitMix64): fast enough to hash a million users in a few milliseconds, and
//! defined entirely here so that it never changes with a dependency upgrade.

use crate::math::canon;

/// A piece of state that feeds itself into the state hash. Each mechanism implements it for the
/// resources and components it owns, beside the type; `crate::registry::state_hash` sequences
/// them in one fixed table (the hash is order-sensitive, so the table fixes the order).
pub trait StateHash {
    /// Feeds the value's words, in a fixed order.
    fn hash(&self, h: &mut StateHasher);
}

/// Accumulates 64-bit words into a digest.
#[derive(Clone, Debug)]
pub struct StateHasher {
    h: u64,
    n: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl Default for StateHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl StateHasher {
    /// A hasher with the fixed initial state.
    pub fn new() -> Self {
        Self {
            h: 0x6A09_E667_F3BC_C908,
            n: 0,
        }
    }

    /// Feeds one word.
    #[inline]
    pub fn u64(&mut self, w: u64) {
        self.h = (self.h.rotate_left(23) ^ w).wrapping_mul(K).wrapping_add(self.n);
        self.n = self.n.wrapping_add(1);
    }

    /// Feeds a float by its canonical bits (so +0 and -0 hash alike).
    #[inline]
    pub fn f64(&mut self, x: f64) {
        self.u64(canon(x).to_bits());
    }

    /// Feeds a string (length, then bytes in 8-byte words).
    pub fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        for chunk in s.as_bytes().chunks(8) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            self.u64(u64::from_le_bytes(w));
        }
    }

    /// The digest.
    pub fn finish(&self) -> u64 {
        let mut z = self.h ^ self.n;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_content_change_the_digest() {
        let mut a = StateHasher::new();
        a.u64(1);
        a.u64(2);
        let mut b = StateHasher::new();
        b.u64(2);
        b.u64(1);
        assert_ne!(a.finish(), b.finish());
        let mut c = StateHasher::new();
        c.f64(-0.0);
        let mut d = StateHasher::new();
        d.f64(0.0);
        assert_eq!(c.finish(), d.finish());
    }
}
