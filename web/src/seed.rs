//! Seeds for runs whose script names none.

/// A fresh random seed from the browser's `crypto.getRandomValues` (the OS natively).
///
/// The core never draws randomness of its own: the page picks a seed, shows it and passes
/// it on, so that every run can be replayed.
pub fn fresh_seed() -> u64 {
    // getrandom fails only where no entropy source exists at all; a fixed seed keeps the
    // page usable there, and the seed is shown anyway.
    getrandom::u64().unwrap_or(42)
}
