// The same write and read as `joined.rs`, with the join moved after the second spawn. The
// writer is still spawned first, and on most runs it even writes first; nothing orders the
// two accesses, so they are a data race.

use crate::plain::Plain;
use support::sync::Arc;
use support::thread;

// ANCHOR: spawn_order
/// Spawns a writer, then a reader, then joins both. Returns what the reader read.
pub fn spawn_writer_then_reader() -> u64 {
    let data = Arc::new(Plain::new(0));
    let writer = {
        let data = Arc::clone(&data);
        // SAFETY: (claimed) "the writer starts first, so it writes first".
        thread::spawn(move || unsafe { data.write(42) })
    };
    let reader = {
        let data = Arc::clone(&data);
        // SAFETY: (claimed) "the reader was spawned after the writer".
        thread::spawn(move || unsafe { data.read() })
    };
    writer.join().unwrap();
    reader.join().unwrap()
}
// ANCHOR_END: spawn_order
