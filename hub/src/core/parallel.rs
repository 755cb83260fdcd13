//! Work spread over the machine's cores, for the writer's per-document work (loading documents, checking and
//! applying the changes of a push): documents are independent, so they need no locks between them.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Below this many items the work runs on the calling thread: starting threads would cost more than it saves.
const MIN_ITEMS: usize = 16;

/// How many threads the writer uses.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// `work` applied to every item, on up to [`threads`] threads (each takes the next item when it is done with one,
/// so uneven items still spread evenly); the results in the order of `items`. A panic in `work` is resumed on the
/// calling thread, as if `work` had run there. The calling thread's tracing span is entered on every thread.
pub(super) fn map<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads < 2 || items.len() < MIN_ITEMS {
        return items.iter().map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let span = tracing::Span::current();
    let run = || {
        let _entered = span.enter();
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(index) else { break };
            done.push((index, work(item)));
        }
        done
    };
    let mut results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(run)).collect();
        let mut results = run();
        for helper in helpers {
            match helper.join() {
                Ok(done) => results.extend(done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}
