//! A write and a read on two threads, ordered through the main thread.

use crate::plain::Plain;
use support::sync::Arc;
use support::thread;

// ANCHOR: joined
/// Thread 1 writes a plain location. The main thread joins it, and only then spawns thread 2,
/// which reads the location. Returns what thread 2 read.
pub fn write_join_then_read() -> u64 {
    let data = Arc::new(Plain::new(0));
    let writer = {
        let data = Arc::clone(&data);
        // SAFETY: the only thread that can reach `data` until the join below.
        thread::spawn(move || unsafe { data.write(42) })
    };
    // Edge: everything thread 1 did happens before the join returns.
    writer.join().unwrap();
    let reader = {
        let data = Arc::clone(&data);
        // SAFETY: write → end of thread 1 → join → this spawn → the read: a chain of
        // happens-before edges orders the write before the read.
        thread::spawn(move || unsafe { data.read() })
    };
    reader.join().unwrap()
}
// ANCHOR_END: joined
