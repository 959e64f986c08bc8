//! The one random generator of the simulation: PCG-64 (`rand_pcg::Pcg64`), a named, portable
//! algorithm, so a scenario and seed give the same numbers natively, in the browser, and in
//! future versions (`StdRng` promises none of that). Replicate `r` of a scenario uses stream `r`
//! of the seed, so replicates are independent and each is reproducible on its own.

use rand_pcg::Pcg64;

/// The generator every sampler takes.
pub type SimRng = Pcg64;

/// The generator of replicate `replicate` of the scenario seeded with `seed`.
pub fn replicate_rng(seed: u32, replicate: u32) -> SimRng {
    let state = (u128::from(splitmix64(u64::from(seed))) << 64) | u128::from(splitmix64(!u64::from(seed)));
    Pcg64::new(state, u128::from(replicate))
}

/// SplitMix64 (Steele et al.), one step from state `x` (increment, then finaliser): spreads
/// small seeds over the whole state space. Also the mixing function of the text model's key
/// hasher and count fingerprint.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
