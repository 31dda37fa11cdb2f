// Why the fixed queue's halves hold their `Arc` through this wrapper: a speed fix, found by
// measuring against rtrb, that has nothing to do with the memory model.
//
// std's `Arc` drops through `drop_slow(&mut self)`, a function kept out of line. A half that
// holds an `Arc` field and is dropped in place therefore hands that field's address to a call,
// and once any part of a struct's address escapes, the compiler keeps the whole struct in
// memory. In a loop of `push`es, the producer then stored `tail` to the stack and read `shared`
// back from it on every call; in paired runs that made the fixed queue about 1.1× rtrb's time
// per message (rtrb has its own reference count, dropped inline). `Link` moves the `Arc` out
// into a local before dropping it, so only that local's address escapes, and a half's
// positions stay in registers across the loop.

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

    /// Another link to the same value.
    pub fn share(&self) -> Self {
        Self::new(Arc::clone(&self.0))
    }
}

impl<T> Deref for Link<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Drop for Link<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: `drop` runs once, and nothing reads `self.0` after this.
        let arc = unsafe { ManuallyDrop::take(&mut self.0) };
        drop(arc);
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn the_value_is_dropped_once_when_the_last_link_goes() {
        let counted = Arc::new(());
        let first = Link::new(Arc::clone(&counted));
        let second = first.share();
        assert_eq!(Arc::strong_count(&counted), 3);
        drop(first);
        assert_eq!(Arc::strong_count(&counted), 2);
        drop(second);
        assert_eq!(Arc::strong_count(&counted), 1);
    }
}
