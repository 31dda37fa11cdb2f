// Why the fixed queue's halves hold their `Arc` through this wrapper: a speed fix, found by
// measuring against rtrb, that has nothing to do with the memory model.
//
// std's `Arc` drops through `drop_slow(&mut self)`, a function kept out of line. A half that
// holds an `Arc` field and is dropped in place therefore hands that field's address to a call,
// and with that address out, rustc 1.95 kept the whole half in memory: in a loop of `push`es,
// the producer stored `tail` to the stack and read `shared` back from it on every call. Paired
// with rtrb, that queue was slower in every run, 1.16× rtrb's time per message (the
// benchmarks' "Arc dropped in place" row; rtrb has its own reference count, dropped inline).
// `Link` moves the `Arc` out into a local before dropping it, so only that local's address
// escapes, and a half's positions stay in registers across the loop.

use std::mem::ManuallyDrop;
use std::ops::Deref;
use support::sync::Arc;

/// An `Arc<T>` that is moved out of its owner before it is dropped.
pub struct Link<T>(ManuallyDrop<Arc<T>>);

impl<T> Link<T> {
    /// Wraps `arc`.
    pub fn new(arc: Arc<T>) -> Self {
        Self(ManuallyDrop::new(arc))
    }
}

impl<T> Deref for Link<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

// ANCHOR: drop
impl<T> Drop for Link<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and nothing reads `self.0` after this.
        let arc = unsafe { ManuallyDrop::take(&mut self.0) };
        drop(arc);
    }
}
// ANCHOR_END: drop

/// How a half holds the ring: [`ByLink`] as the fixed queue does, or [`ByArc`], a plain `Arc`
/// dropped in place, for the benchmark's ablation of this file's fix.
pub trait Holding {
    /// The holder of an `S`.
    type Of<S>: Deref<Target = S>;
    /// Takes `arc` into a holder.
    fn hold<S>(arc: Arc<S>) -> Self::Of<S>;
}

/// Through a [`Link`].
pub struct ByLink;

/// Through a plain `Arc`, dropped in place.
pub struct ByArc;

impl Holding for ByLink {
    type Of<S> = Link<S>;
    fn hold<S>(arc: Arc<S>) -> Link<S> {
        Link::new(arc)
    }
}

impl Holding for ByArc {
    type Of<S> = Arc<S>;
    fn hold<S>(arc: Arc<S>) -> Arc<S> {
        arc
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_dropped_once_when_the_last_link_goes() {
        let counted = Arc::new(());
        let first = Link::new(Arc::clone(&counted));
        let second = Link::new(Arc::clone(&counted));
        assert_eq!(Arc::strong_count(&counted), 3);
        drop(first);
        assert_eq!(Arc::strong_count(&counted), 2);
        drop(second);
        assert_eq!(Arc::strong_count(&counted), 1);
    }
}
