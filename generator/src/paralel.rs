//! A deterministic parallel map over a slice, with scoped threads.
//!
//! The output is in input order whatever the number of threads, and every item is computed by a pure function, so
//! results never depend on the machine. What this module does not do: no work stealing, no thread pool kept between
//! calls (a batch is large enough that spawning two to eight threads per call costs nothing measurable).

use std::num::NonZeroUsize;

/// The number of threads to use: `LURING_GEN_THREADS` if set (for measurements), else the available parallelism,
/// at most 8. Only speed depends on it, never the output.
pub(crate) fn threads() -> usize {
    let configured = std::env::var("LURING_GEN_THREADS").ok().and_then(|value| value.parse::<usize>().ok());
    configured.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, NonZeroUsize::get)).clamp(1, 8)
}

/// `items.iter().map(f).collect()`, computed on [`threads`] threads.
pub(crate) fn peta<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    peta_dengan(items, threads(), f)
}

/// `items.iter().map(f).collect()`, computed on `threads` threads (inline for one thread or few items).
pub(crate) fn peta_dengan<T: Sync, U: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    if threads <= 1 || items.len() < 32 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            items.chunks(chunk).map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<U>>())).collect();
        let mut out = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    })
}
