// The batch API of the fixed queue: reserve a run of slots, fill or drain it, and hand it
// over with one store of `tail` or `head`. It lives apart from `fixed.rs` because that file
// is also the "pick the orderings" exercise's solution, whose checker models single pushes
// and pops; these orderings are audited with the chunk model in tests/loom.rs.

use crate::fixed::{Consumer, Producer};
use std::mem::MaybeUninit;
use support::sync::atomic::Ordering;

// ANCHOR: batch
/// Up to `len` free slots, reserved by [`Producer::write_chunk`]. Values written with
/// [`push`](Self::push) become visible to the consumer together, with one store of `tail`,
/// when the chunk is dropped (or [`commit`](Self::commit)ted).
pub struct WriteChunk<'a, T> {
    producer: &'a mut Producer<T>,
    len: usize,
    written: usize,
}

/// Up to `len` values, reserved by [`Consumer::read_chunk`]. The slots read go back to the
/// producer together, with one store of `head`, when the chunk is dropped; values not read
/// stay in the queue.
pub struct ReadChunk<'a, T> {
    consumer: &'a mut Consumer<T>,
    len: usize,
    read: usize,
}

impl<T> Producer<T> {
    /// Reserves `n` free slots, or `None` if fewer than `n` are free.
    pub fn write_chunk(&mut self, n: usize) -> Option<WriteChunk<'_, T>> {
        let shared = &*self.shared;
        // `tail - cached_head` never exceeds `capacity`, so this cannot underflow.
        if shared.capacity - self.tail.wrapping_sub(self.cached_head) < n {
            // Acquire: pairs with the Release store of `head` in `pop` and in
            // `ReadChunk::drop`: the consumer's reads of the slots we reserve
            // happen before our writes to them.
            self.cached_head = shared.head.load(Ordering::Acquire);
            if shared.capacity - self.tail.wrapping_sub(self.cached_head) < n {
                return None;
            }
        }
        Some(WriteChunk {
            producer: self,
            len: n,
            written: 0,
        })
    }
}

impl<T> WriteChunk<'_, T> {
    /// Writes `value` into the next reserved slot, or hands it back if all are written.
    #[inline]
    pub fn push(&mut self, value: T) -> Result<(), T> {
        if self.written == self.len {
            return Err(value);
        }
        let position = self.producer.tail.wrapping_add(self.written);
        let slot = self.producer.shared.slot(position);
        // SAFETY: `position` is among the slots `write_chunk` found free; they
        // stay ours until `drop` publishes them.
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        self.written += 1;
        Ok(())
    }

    /// Publishes the values written so far (the same as dropping the chunk).
    pub fn commit(self) {}
}

impl<T> Drop for WriteChunk<'_, T> {
    fn drop(&mut self) {
        if self.written == 0 {
            return;
        }
        let producer = &mut *self.producer;
        producer.tail = producer.tail.wrapping_add(self.written);
        // Release: publishes every write of the chunk at once. Pairs with the
        // Acquire load of `tail` in `pop` and in `Consumer::read_chunk`.
        producer.shared.tail.store(producer.tail, Ordering::Release);
    }
}

impl<T> Consumer<T> {
    /// Reserves the next `n` values to read, or `None` if fewer than `n` are in the queue.
    pub fn read_chunk(&mut self, n: usize) -> Option<ReadChunk<'_, T>> {
        if self.cached_tail.wrapping_sub(self.head) < n {
            // Acquire: pairs with the Release store of `tail` in `push` and in
            // `WriteChunk::drop`: the producer's writes of these slots happen
            // before our reads.
            self.cached_tail = self.shared.tail.load(Ordering::Acquire);
            if self.cached_tail.wrapping_sub(self.head) < n {
                return None;
            }
        }
        Some(ReadChunk {
            consumer: self,
            len: n,
            read: 0,
        })
    }
}

impl<T> Iterator for ReadChunk<'_, T> {
    type Item = T;

    /// Moves the next reserved value out.
    #[inline]
    fn next(&mut self) -> Option<T> {
        if self.read == self.len {
            return None;
        }
        let position = self.consumer.head.wrapping_add(self.read);
        let slot = self.consumer.shared.slot(position);
        // SAFETY: `read_chunk` saw this position published, and the producer
        // leaves the slot alone until `drop` hands it back.
        let value = slot.with(|slot| unsafe { slot.read().assume_init() });
        self.read += 1;
        Some(value)
    }
}

impl<T> Drop for ReadChunk<'_, T> {
    fn drop(&mut self) {
        if self.read == 0 {
            return;
        }
        let consumer = &mut *self.consumer;
        consumer.head = consumer.head.wrapping_add(self.read);
        // Release: our reads of the chunk's slots happen before this store.
        // Pairs with the Acquire load of `head` in `push` and in
        // `Producer::write_chunk`: the producer may reuse them now.
        consumer.shared.head.store(consumer.head, Ordering::Release);
    }
}
// ANCHOR_END: batch
