//! The checker: the scenarios every queue must pass.
//!
//! Each is generic over [`Push`] (and so over its [`Pop`] half), so both broken queues, the
//! fixed one and a reader's attempt are judged by the same code. Two threads, a ring of one or
//! two slots and three messages: small enough for loom to try every interleaving, and big
//! enough that the ring fills and every slot is reused, which is where both bugs live.
//!
//! The loom models are compiled only under `--cfg loom`. [`full_ring`], one run of the
//! stalled-consumer scenario, is compiled in both builds: `tests/stress.rs` runs it on real
//! threads, where it is race-free by construction (the consumer touches no slot until the
//! producer is done), so even the broken queue's loss is a plain logic bug there.

use crate::{Pop, Push};
use support::sync::Arc;
use support::sync::atomic::{AtomicBool, Ordering};
use support::thread;

// ANCHOR: delivers_in_order
/// A producer pushes `0..messages` into a ring of `capacity` slots,
/// retrying while it is full; a consumer pops until the producer is done
/// and the ring is empty. Every message must arrive once, in order.
/// Exhaustive: loom tries every interleaving.
#[cfg(loom)]
pub fn delivers_in_order<P>(capacity: usize, messages: u64)
where
    P: Push<u64> + 'static,
    P::Consumer: 'static,
{
    support::model(pass::<P>(capacity, messages));
}

#[cfg(loom)]
fn pass<P>(capacity: usize, messages: u64) -> impl Fn() + Send + Sync + 'static
where
    P: Push<u64> + 'static,
    P::Consumer: 'static,
{
    move || {
        let (mut producer, mut consumer) = P::channel(capacity);
        let sender = thread::spawn(move || {
            for message in 0..messages {
                while producer.push(message).is_err() {
                    thread::yield_now();
                }
            }
        });
        let mut received = Vec::new();
        while received.len() < messages as usize {
            match consumer.pop() {
                Some(message) => received.push(message),
                None => thread::yield_now(),
            }
        }
        sender.join().unwrap();
        let sent: Vec<u64> = (0..messages).collect();
        assert_eq!(
            received, sent,
            "lost or duplicated messages: the consumer did not receive \
             each message once, in order"
        );
        // Nothing more may come out: every message was popped once.
        assert_eq!(consumer.pop(), None, "duplicated message");
    }
}
// ANCHOR_END: delivers_in_order

// ANCHOR: full_ring_keeps_order
/// The consumer stalls (it waits until the producer is done) while the
/// producer offers `0..messages` to a ring of `capacity` slots, once each.
/// The ring must refuse what does not fit, and the consumer must then
/// receive exactly the accepted messages, once each, in order.
#[cfg(loom)]
pub fn full_ring_keeps_order<P>(capacity: usize, messages: u64)
where
    P: Push<u64> + 'static,
    P::Consumer: 'static,
{
    support::model(move || full_ring::<P>(capacity, messages));
}

/// One run of that scenario, on whatever threads `support` provides.
pub fn full_ring<P>(capacity: usize, messages: u64)
where
    P: Push<u64> + 'static,
    P::Consumer: 'static,
{
    let (mut producer, mut consumer) = P::channel(capacity);
    let done = Arc::new(AtomicBool::new(false));
    let sender = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let accepted: Vec<u64> = (0..messages)
                .filter(|&message| producer.push(message).is_ok())
                .collect();
            // Release: pairs with the consumer's Acquire load of `done`;
            // every push comes before it.
            done.store(true, Ordering::Release);
            accepted
        })
    };
    let receiver = thread::spawn(move || {
        // Acquire: pairs with the Release store of `done`.
        while !done.load(Ordering::Acquire) {
            thread::yield_now();
        }
        std::iter::from_fn(|| consumer.pop()).collect::<Vec<u64>>()
    });
    let accepted = sender.join().unwrap();
    let received = receiver.join().unwrap();
    assert_eq!(
        received, accepted,
        "lost or duplicated messages: the consumer did not receive \
         each accepted message once, in order"
    );
}
// ANCHOR_END: full_ring_keeps_order
