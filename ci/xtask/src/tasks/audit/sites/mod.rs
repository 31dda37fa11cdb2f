//! Where the orderings are: every atomic-ordering site in a Rust file, found by parsing it with
//! `syn` (never by searching the text), and the rewrites the audit makes to copies of it.
//!
//! - [`find`](mod@find): the sites of a file, and the orderings it could not place;
//! - [`instrument`](mod@instrument): the copy in which an environment variable picks each
//!   site's ordering (or leaves an operation out), so one build runs every variant;
//! - [`comments`](mod@comments): the comments that speak for a site (its stated reason);
//! - [`exercise`]: the "pick the orderings" exercise made from a solution.
//!
//! A site is one `Ordering::X` passed to an atomic operation: a load, a store, a
//! read-modify-write, either ordering of a compare-and-swap (or of `fetch_update`), or a fence.
//! `proc-macro2`'s span locations give the bytes of each one, so a rewrite replaces exactly
//! those bytes and leaves every comment and line number where it was.
//!
//! Some operations are there only for their ordering: a fence, a load whose value is dropped,
//! a `fetch_add` (`_sub`, `_or`, `_xor`) of 0 whose value is dropped. Removing one changes no
//! value, only what is ordered, so for these the audit also tries the code without them: the
//! rewrite wraps the whole operation in a condition the same environment variable controls.

mod comments;
mod exercise;
mod find;
mod instrument;

pub use comments::{comments, stated_reason};
pub use exercise::orderings_exercise;
pub use find::find;
pub use instrument::{OVERRIDES, REMOVED, instrument};

use std::ops::Range;

/// An atomic memory ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ordering {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

impl Ordering {
    /// Strongest first: the order in which the audit tries weakenings.
    pub const ALL: [Ordering; 5] = [SeqCst, AcqRel, Acquire, Release, Relaxed];

    pub fn name(self) -> &'static str {
        match self {
            Relaxed => "Relaxed",
            Release => "Release",
            Acquire => "Acquire",
            AcqRel => "AcqRel",
            SeqCst => "SeqCst",
        }
    }

    pub fn parse(name: &str) -> Option<Ordering> {
        Ordering::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether `self` promises at most what `other` does. The orderings form a diamond:
    /// Relaxed below Acquire and Release, both below AcqRel, below SeqCst. Acquire and
    /// Release are not comparable.
    pub fn at_most(self, other: Ordering) -> bool {
        self == other
            || matches!(
                (self, other),
                (Relaxed, _) | (Acquire | Release, AcqRel | SeqCst) | (AcqRel, SeqCst)
            )
    }
}

/// What kind of access a site orders; it decides which orderings the site accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `load`, and the failure ordering of a CAS or the fetch ordering of `fetch_update`
    /// (both are loads).
    Load,
    Store,
    /// `swap`, `fetch_*`, and the success ordering of a CAS or the set ordering of
    /// `fetch_update`.
    Rmw,
    Fence,
}

impl Op {
    /// Whether the operation takes this ordering at all (std panics on the others: a load
    /// cannot release, a store cannot acquire, a fence cannot be Relaxed, and a CAS's failure
    /// ordering is a load's).
    pub fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Load => matches!(ordering, Relaxed | Acquire | SeqCst),
            Op::Store => matches!(ordering, Relaxed | Release | SeqCst),
            Op::Rmw => true,
            Op::Fence => ordering != Relaxed,
        }
    }

    /// The orderings strictly weaker than `written` that this operation accepts, strongest
    /// first: the weakenings the audit tries.
    pub fn weaker(self, written: Ordering) -> Vec<Ordering> {
        Ordering::ALL
            .into_iter()
            .filter(|&o| o != written && o.at_most(written) && self.accepts(o))
            .collect()
    }
}

/// One ordering argument of one atomic operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// 1-based line of the ordering.
    pub line: usize,
    /// The bytes of the ordering's path (`Ordering::Acquire`, or a bare `Acquire`).
    pub range: Range<usize>,
    /// Whether the path is a bare variant name (brought in by `use …::Ordering::*` or similar).
    pub bare: bool,
    /// The function it is in, as `Type::method` or `function`.
    pub function: String,
    /// The operation, as written: `load`, `compare_exchange_weak`, `fence`, …
    pub method: String,
    /// Which of the operation's orderings: `success`/`failure` for a CAS, `set`/`fetch` for
    /// `fetch_update`, empty otherwise.
    pub role: &'static str,
    pub op: Op,
    /// The atomic it applies to, as the last field or name of the receiver (`locked`, `tail`);
    /// `None` for fences. Two sites on the same atomic are the ones that pair with each other.
    pub atomic: Option<String>,
    pub written: Ordering,
    /// The bytes of the whole operation, when it is there only for its ordering (a fence, a
    /// load whose value is dropped, an add of 0 whose value is dropped): the audit then also
    /// tries the code without it. `None` for every other operation.
    pub removal: Option<Range<usize>>,
}

impl Site {
    /// `compare_exchange_weak` (success), `load`, `fence`.
    pub fn operation(&self) -> String {
        if self.role.is_empty() {
            format!("`{}`", self.method)
        } else {
            format!("`{}` ({})", self.method, self.role)
        }
    }
}

/// An ordering the audit cannot vary: not written directly as an argument of an atomic
/// operation (a constant, a variable, an operation the audit does not know).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stray {
    pub line: usize,
    pub text: String,
}

/// Every site in a file, in source order, and every ordering the audit could not place.
#[derive(Debug, Default)]
pub struct Sites {
    pub sites: Vec<Site>,
    pub stray: Vec<Stray>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lattice_of_weakenings() {
        assert_eq!(Op::Load.weaker(SeqCst), [Acquire, Relaxed]);
        assert_eq!(Op::Load.weaker(Acquire), [Relaxed]);
        assert_eq!(Op::Load.weaker(Relaxed), []);
        assert_eq!(Op::Store.weaker(SeqCst), [Release, Relaxed]);
        assert_eq!(Op::Store.weaker(Release), [Relaxed]);
        assert_eq!(Op::Rmw.weaker(SeqCst), [AcqRel, Acquire, Release, Relaxed]);
        assert_eq!(Op::Rmw.weaker(AcqRel), [Acquire, Release, Relaxed]);
        assert_eq!(Op::Rmw.weaker(Acquire), [Relaxed]);
        assert_eq!(Op::Rmw.weaker(Release), [Relaxed]);
        assert_eq!(Op::Fence.weaker(SeqCst), [AcqRel, Acquire, Release]);
        assert_eq!(Op::Fence.weaker(Acquire), []);
        // A CAS's failure ordering is a load: never Release or AcqRel.
        assert!(!Op::Load.accepts(Release) && !Op::Load.accepts(AcqRel));
        assert!(!Acquire.at_most(Release) && !Release.at_most(Acquire));
        assert!(Relaxed.at_most(Acquire) && AcqRel.at_most(SeqCst));
    }
}
