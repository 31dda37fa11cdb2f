//! The SPSC chapter's batch API against rtrb's chunks: one thread writes messages in chunks of
//! `batch` slots, the other reads them in chunks of `batch`, through a queue of capacity 1024.
//!
//! `cargo xtask bench` finds these results by the group name `spsc_batch` and compares every
//! variant with `rtrb chunks` at the same batch size (the parameter); keep both names in step
//! with `[package.metadata.bench]` in `benches/Cargo.toml`. The time is per message.
//!
//! Both sides use each API the way it is meant for values that are `Copy`: rtrb's
//! `write_chunk_uninit` + `fill_from_iter` and `read_chunk` + `into_iter`; the fixed queue's
//! `write_chunk` + `push` and `read_chunk` as an iterator. Each publishes a whole chunk with one
//! store of its position. After criterion's measurements, the two are also compared in pairs
//! (`benches::paired`): the side column of the table.

use std::hint;
use std::time::Duration;

use benches::paired::{self, Pairs};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

// This bench uses only the runner and the group type of the shared module, not its queues.
#[allow(dead_code)]
mod spsc_common;
use spsc_common::{Group, two_sides};

/// The queue size the chapter compares at.
const CAPACITY: usize = 1024;

/// The chunk sizes compared: a single slot (the batch machinery's overhead), and two batches.
const BATCHES: [usize; 3] = [1, 16, 256];

/// Messages rounded up to whole chunks.
fn chunks(iters: u64, batch: usize) -> u64 {
    iters.div_ceil(batch as u64)
}

/// Times `messages` messages (rounded up to whole chunks) through a fresh rtrb ring in chunks
/// of `batch`, scaled back to `messages`.
fn rtrb_chunks(messages: u64, batch: usize) -> Duration {
    let (tx, rx) = rtrb::RingBuffer::<u64>::new(CAPACITY);
    let chunks = chunks(messages, batch);
    let time = two_sides(
        tx,
        rx,
        |mut tx| {
            for chunk in 0..chunks {
                let first = chunk * batch as u64;
                let reserved = loop {
                    match tx.write_chunk_uninit(batch) {
                        Ok(reserved) => break reserved,
                        Err(_) => hint::spin_loop(),
                    }
                };
                reserved.fill_from_iter(first..first + batch as u64);
            }
        },
        |mut rx| {
            let mut expected = 0;
            for _ in 0..chunks {
                let reserved = loop {
                    match rx.read_chunk(batch) {
                        Ok(reserved) => break reserved,
                        Err(_) => hint::spin_loop(),
                    }
                };
                for value in reserved {
                    assert_eq!(value, expected, "lost or reordered");
                    expected += 1;
                }
            }
        },
    );
    // Criterion divides by `messages`; scale to the messages actually sent.
    time.mul_f64(messages as f64 / (chunks * batch as u64) as f64)
}

/// [`rtrb_chunks`] for the fixed queue's batch API.
fn fixed_chunks(messages: u64, batch: usize) -> Duration {
    let (tx, rx) = spsc::fixed::channel::<u64>(CAPACITY);
    let chunks = chunks(messages, batch);
    let time = two_sides(
        tx,
        rx,
        |mut tx| {
            for chunk in 0..chunks {
                let first = chunk * batch as u64;
                let mut reserved = loop {
                    match tx.write_chunk(batch) {
                        Some(reserved) => break reserved,
                        None => hint::spin_loop(),
                    }
                };
                for value in first..first + batch as u64 {
                    // The chunk has exactly `batch` slots: this cannot fail.
                    let _ = reserved.push(value);
                }
            }
        },
        |mut rx| {
            let mut expected = 0;
            for _ in 0..chunks {
                let reserved = loop {
                    match rx.read_chunk(batch) {
                        Some(reserved) => break reserved,
                        None => hint::spin_loop(),
                    }
                };
                for value in reserved {
                    assert_eq!(value, expected, "lost or reordered");
                    expected += 1;
                }
            }
        },
    );
    time.mul_f64(messages as f64 / (chunks * batch as u64) as f64)
}

/// A chunk API, timed for a number of messages at a batch size.
type Chunks = fn(u64, usize) -> Duration;

/// The two chunk APIs, by their row names.
const VARIANTS: [(&str, Chunks); 2] =
    [("rtrb chunks", rtrb_chunks), ("fixed chunks", fixed_chunks)];

/// Criterion's measurement of `run` at `batch`.
fn measure(group: &mut Group<'_>, name: &str, run: Chunks, batch: usize) {
    group.bench_with_input(BenchmarkId::new(name, batch), &batch, |b, &batch| {
        b.iter_custom(|iters| run(iters, batch))
    });
}

/// Each chunk API against rtrb's in pairs (`benches::paired`), rtrb's against itself included,
/// the two taking turns: the median pair ratio goes beside criterion's figures as the side
/// column.
fn paired_with_rtrb() {
    let Pairs { pairs, block } = Pairs::for_this_run(1 << 20);
    for batch in BATCHES {
        let runs = VARIANTS.map(|(name, run)| (name, move || run(block, batch)));
        let baseline = || rtrb_chunks(block, batch);
        paired::record_medians("spsc_batch", batch, pairs, baseline, runs.to_vec());
    }
}

fn spsc_batch(c: &mut Criterion) {
    let mut group = c.benchmark_group("spsc_batch");
    // Both cores busy before the first measurement: see `benches::settle`.
    benches::settle(2, Duration::from_secs(1));
    for batch in BATCHES {
        for (name, run) in benches::run_order(VARIANTS.to_vec()) {
            measure(&mut group, name, run, batch);
        }
    }
    group.finish();
    paired_with_rtrb();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spsc_batch
}
criterion_main!(benches);
