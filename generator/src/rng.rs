//! The generator's only source of randomness: SplitMix64 to seed, xoshiro256** to draw.
//!
//! Every draw comes from an [`Rng`] built from the config seed and a *stream* number, so each part of the
//! kabupaten (the unor tree, the plan of roles, pegawai number `i`) has its own independent sequence: generating
//! pegawai 7 never depends on how many numbers pegawai 6 consumed. Same seed and stream, same numbers, on every
//! platform (only integer arithmetic and exact `f64` conversions are used).
//!
//! What this module does not do: it reads no clock and no OS entropy, and it is not cryptographically secure
//! (xoshiro256** is a statistical PRNG; Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2021).

/// One step of SplitMix64 (Steele, Lea & Flood 2014): advances `state` and returns a well-mixed value.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A xoshiro256** generator seeded through SplitMix64 from `(seed, stream)`.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The generator of `stream` under `seed`. Distinct streams give unrelated sequences.
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut mixer = seed;
        let seed_mixed = splitmix64(&mut mixer);
        let mut state = seed_mixed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let s = [splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state)];
        // SplitMix64 never yields four zero words in a row, but the all-zero state is xoshiro's one fixed point.
        let s = if s == [0; 4] { [1, 2, 3, 4] } else { s };
        Self { s }
    }

    /// The next 64 random bits (xoshiro256**).
    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (0 when `n` is 0), by multiply-high; the bias is below 2⁻⁴⁰ for every `n` used here.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// An index in `0..n` (0 when `n` is 0).
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// An integer in `lo..=hi` (`lo` when `hi < lo`).
    pub(crate) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }

    /// A float in `[0, 1)` with 53 random bits.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (clamped to `[0, 1]`).
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice, uniformly.
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// An index drawn with probability proportional to `weights` (the last index if all weights are zero).
    pub(crate) fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut target = self.unit() * total;
        for (index, weight) in weights.iter().enumerate() {
            if target < *weight {
                return index;
            }
            target -= weight;
        }
        weights.len().saturating_sub(1)
    }

    /// Shuffles `items` in place (Fisher–Yates).
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for last in (1..items.len()).rev() {
            let other = self.index(last + 1);
            items.swap(last, other);
        }
    }
}
