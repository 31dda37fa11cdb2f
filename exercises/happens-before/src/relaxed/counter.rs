//! A statistics counter: Relaxed, because nobody reads other data on its word.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

// ANCHOR: counter
/// Counts events from any thread.
pub struct Stats {
    events: AtomicU64,
}

impl Stats {
    pub fn new() -> Self {
        Stats {
            events: AtomicU64::new(0),
        }
    }

    pub fn record(&self) {
        // Relaxed: pairs with nothing. The add is one indivisible step whatever the
        // ordering, so no increment is lost, and no other memory is read on its word.
        self.events.fetch_add(1, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        // Relaxed: exact once the recording threads are joined (the joins order every
        // add before this load); before that, any recent value is as good as another.
        self.events.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: counter

impl Default for Stats {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: count_events
/// Two threads record two events each; the total is read after both are joined.
pub fn count_on_two_threads() -> u64 {
    let stats = Arc::new(Stats::new());
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let stats = Arc::clone(&stats);
            thread::spawn(move || {
                stats.record();
                stats.record();
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    stats.total()
}
// ANCHOR_END: count_events
