//! What the two SPSC bench targets share: the queues compared, behind one interface, and the
//! two-thread runner. A module directory, not `spsc_common.rs`, so that cargo does not take it
//! for a bench target of its own.

use std::hint;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use benches::paired::{self, Pairs};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId};
use spsc::{Pop, Push, ablation, fixed};

/// The queues compared, behind one small interface: a non-blocking push that hands the value
/// back when the queue is full, and a non-blocking pop. Every variant is driven the same way
/// (spin while full or empty), so the figures compare the queues, not the waiting strategy.
pub trait Queue {
    type Tx: Send;
    type Rx: Send;
    fn new(capacity: usize) -> (Self::Tx, Self::Rx);
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64>;
    fn pop(rx: &mut Self::Rx) -> Option<u64>;
}

/// The chapter's queues, through the chapter's own traits.
pub struct Chapter<P>(std::marker::PhantomData<P>);

impl<P: Push<u64>> Queue for Chapter<P> {
    type Tx = P;
    type Rx = P::Consumer;
    fn new(capacity: usize) -> (P, P::Consumer) {
        P::channel(capacity)
    }
    #[inline]
    fn push(tx: &mut P, value: u64) -> Result<(), u64> {
        tx.push(value)
    }
    #[inline]
    fn pop(rx: &mut P::Consumer) -> Option<u64> {
        rx.pop()
    }
}

pub type Fixed = Chapter<fixed::Producer<u64>>;
pub type NoCache = Chapter<ablation::no_cache::Producer<u64>>;
pub type ArcInPlace = Chapter<ablation::arc_in_place::Producer<u64>>;
pub type Apart128 = Chapter<ablation::apart_128::Producer<u64>>;
pub type Apart64 = Chapter<ablation::apart_64::Producer<u64>>;
pub type Adjacent = Chapter<ablation::adjacent::Producer<u64>>;

pub struct Rtrb;

impl Queue for Rtrb {
    type Tx = rtrb::Producer<u64>;
    type Rx = rtrb::Consumer<u64>;
    fn new(capacity: usize) -> (Self::Tx, Self::Rx) {
        rtrb::RingBuffer::new(capacity)
    }
    #[inline]
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.push(value).map_err(|rtrb::PushError::Full(value)| value)
    }
    #[inline]
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.pop().ok()
    }
}

/// crossbeam's bounded MPMC queue, one `Arc` shared by both sides.
pub struct ArrayQueue;

impl Queue for ArrayQueue {
    type Tx = Arc<crossbeam_queue::ArrayQueue<u64>>;
    type Rx = Arc<crossbeam_queue::ArrayQueue<u64>>;
    fn new(capacity: usize) -> (Self::Tx, Self::Rx) {
        let queue = Arc::new(crossbeam_queue::ArrayQueue::new(capacity));
        (Arc::clone(&queue), queue)
    }
    #[inline]
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.push(value)
    }
    #[inline]
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.pop()
    }
}

/// std's bounded channel (MPSC), with `try_send` and `try_recv`.
pub struct SyncChannel;

impl Queue for SyncChannel {
    type Tx = mpsc::SyncSender<u64>;
    type Rx = mpsc::Receiver<u64>;
    fn new(capacity: usize) -> (Self::Tx, Self::Rx) {
        mpsc::sync_channel(capacity)
    }
    #[inline]
    fn push(tx: &mut Self::Tx, value: u64) -> Result<(), u64> {
        tx.try_send(value).map_err(|error| match error {
            mpsc::TrySendError::Full(value) | mpsc::TrySendError::Disconnected(value) => value,
        })
    }
    #[inline]
    fn pop(rx: &mut Self::Rx) -> Option<u64> {
        rx.try_recv().ok()
    }
}

/// Pushes `value`, spinning while the queue is full.
#[inline]
pub fn push_spin<Q: Queue>(tx: &mut Q::Tx, mut value: u64) {
    while let Err(back) = Q::push(tx, value) {
        value = back;
        hint::spin_loop();
    }
}

/// Pops a value, spinning while the queue is empty.
#[inline]
pub fn pop_spin<Q: Queue>(rx: &mut Q::Rx) -> u64 {
    loop {
        match Q::pop(rx) {
            Some(value) => return value,
            None => hint::spin_loop(),
        }
    }
}

/// The criterion group every SPSC bench fills.
pub type Group<'a> = BenchmarkGroup<'a, WallTime>;

/// A block of operations through a fresh queue, generic over the queue, as one SPSC bench
/// measures it (messages, round trips): what criterion and the paired comparison both time.
pub trait Block {
    fn time<Q: Queue>(operations: u64) -> Duration;
}

/// A block of one queue, ready to time.
type Run = fn(u64) -> Duration;

/// The SPSC rings with `B`: rtrb, the fixed queue and its ablation (only the cached indices,
/// only the way each half holds the ring, or only the head/tail separation, changed).
fn rings<B: Block>() -> Vec<(&'static str, Run)> {
    vec![
        ("rtrb", B::time::<Rtrb>),
        ("fixed", B::time::<Fixed>),
        ("fixed, no cached index", B::time::<NoCache>),
        ("fixed, Arc dropped in place", B::time::<ArcInPlace>),
        ("ablation: head/tail 128 B apart", B::time::<Apart128>),
        ("ablation: head/tail 64 B apart", B::time::<Apart64>),
        ("ablation: head/tail adjacent", B::time::<Adjacent>),
    ]
}

/// Measures every SPSC variant with criterion: the rings and the multi-producer peers. The
/// order rotates from one repeat to the next (`benches::run_order`), so no variant always runs
/// first.
pub fn measure_all<B: Block>(group: &mut Group<'_>) {
    let mut variants = rings::<B>();
    variants.push(("crossbeam ArrayQueue", B::time::<ArrayQueue>));
    variants.push(("std sync_channel", B::time::<SyncChannel>));
    for (name, run) in benches::run_order(variants) {
        group.bench_with_input(BenchmarkId::new(name, 2), &2, |b, _| b.iter_custom(run));
    }
}

/// Each ring (not the multi-producer peers, whose blocks take several times longer) against
/// rtrb in pairs (`benches::paired`), rtrb against itself included, each in blocks of `block`
/// operations, the rings taking turns; the median pair ratio becomes the side column of
/// `group`'s table.
pub fn paired_with_rtrb<B: Block>(group: &str, block: u64) {
    let Pairs { pairs, block } = Pairs::for_this_run(block);
    let rings = rings::<B>().into_iter();
    let runs = rings
        .map(|(name, ring)| (name, move || ring(block)))
        .collect();
    paired::record_medians(group, 2, pairs, || B::time::<Rtrb>(block), runs);
}

/// Runs `left` and `right` on two threads that start together (see `benches::run_together`),
/// handing each its half, and returns the wall time.
pub fn two_sides<L: Send, R: Send>(
    left: L,
    right: R,
    run_left: impl Fn(L) + Sync,
    run_right: impl Fn(R) + Sync,
) -> Duration {
    let left = Mutex::new(Some(left));
    let right = Mutex::new(Some(right));
    benches::run_together(2, |index| {
        if index == 0 {
            run_left(left.lock().unwrap().take().unwrap());
        } else {
            run_right(right.lock().unwrap().take().unwrap());
        }
    })
}
