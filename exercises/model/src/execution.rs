//! One candidate execution: its events and the relations the program and the choices fix
//! (`sb`, `rmw`, `rf`, `mo`), from which [`crate::axioms`] derives the rest.

use crate::error::Span;
use crate::program::{Loc, Mode, Value};
use crate::relation::{Rel, Set};
use std::fmt;

/// What an event does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Read,
    Write,
    Fence,
    /// Starting the thread with this index.
    Spawn(usize),
    /// Waiting for the thread with this index to end.
    Join(usize),
}

/// One event. A read-modify-write is two events, its read and its write, joined by `rmw`
/// (as herd7 represents it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// The thread's index; `None` for an initial write.
    pub thread: Option<usize>,
    pub kind: Kind,
    /// An index into [`Execution::locs`]; `None` for a fence.
    pub loc: Option<usize>,
    /// The value read or written (0 for a fence).
    pub value: Value,
    pub mode: Mode,
    /// The statement it comes from (line 0 for an initial write).
    pub span: Span,
}

/// A candidate execution.
#[derive(Clone, Debug)]
pub struct Execution {
    pub events: Vec<Event>,
    /// The locations' names; the first `locs.len()` events are their initial writes, in order.
    pub locs: Vec<Loc>,
    /// Sequenced-before: program order within a thread, and every initial write before
    /// every other event (the program starts after memory is initialised).
    pub sb: Rel,
    /// From the read half of a read-modify-write to its write half.
    pub rmw: Rel,
    /// Reads-from: from a write to each read that takes its value.
    pub rf: Rel,
    /// Modification order: per location, a total order of its writes, the initial one first.
    pub mo: Rel,
    /// Thread synchronization: from a spawn to every event of the thread it starts, and from
    /// every event of a joined thread to the join. Part of synchronizes-with.
    pub threads: Rel,
}

impl Execution {
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// How many threads have events.
    pub fn threads(&self) -> usize {
        self.events
            .iter()
            .filter_map(|e| e.thread)
            .max()
            .map_or(0, |t| t + 1)
    }

    fn set(&self, keep: impl Fn(&Event) -> bool) -> Set {
        let mut set = Set::EMPTY;
        for (e, event) in self.events.iter().enumerate() {
            if keep(event) {
                set.insert(e);
            }
        }
        set
    }

    /// `R`: reads, including the read halves of read-modify-writes.
    pub fn reads(&self) -> Set {
        self.set(|e| e.kind == Kind::Read)
    }

    /// `W`: writes, the initial ones included.
    pub fn writes(&self) -> Set {
        self.set(|e| e.kind == Kind::Write)
    }

    /// `F`: fences.
    pub fn fences(&self) -> Set {
        self.set(|e| e.kind == Kind::Fence)
    }

    /// `IW`: the initial writes.
    pub fn init(&self) -> Set {
        self.set(|e| e.thread.is_none())
    }

    /// `E⊒mode`: events whose ordering is at least `mode` (`at_least(Relaxed)` is every
    /// atomic event).
    pub fn at_least(&self, mode: Mode) -> Set {
        self.set(|e| e.thread.is_some() && e.mode.at_least(mode))
    }

    /// `E^sc`.
    pub fn sc(&self) -> Set {
        self.set(|e| e.mode == Mode::SeqCst)
    }

    /// `loc`: pairs of accesses to the same location (fences have none).
    pub fn same_loc(&self) -> Rel {
        Rel::from_pairs(
            self.len(),
            self.pairs_where(|a, b| a.loc.is_some() && a.loc == b.loc),
        )
    }

    /// `ext`: pairs of events of different threads (initial writes belong to none).
    pub fn ext(&self) -> Rel {
        Rel::from_pairs(
            self.len(),
            self.pairs_where(|a, b| {
                a.thread.is_some() && b.thread.is_some() && a.thread != b.thread
            }),
        )
    }

    fn pairs_where(&self, keep: impl Fn(&Event, &Event) -> bool) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        for (i, a) in self.events.iter().enumerate() {
            for (j, b) in self.events.iter().enumerate() {
                if keep(a, b) {
                    pairs.push((i, j));
                }
            }
        }
        pairs
    }

    /// The last write to `loc` in modification order.
    pub fn final_write(&self, loc: usize) -> usize {
        let writes: Vec<usize> = (0..self.len())
            .filter(|&e| self.events[e].kind == Kind::Write && self.events[e].loc == Some(loc))
            .collect();
        *writes
            .iter()
            .find(|&&w| writes.iter().all(|&other| !self.mo.contains(w, other)))
            .expect("every location has an initial write")
    }

    /// `W x=1 Release`, `R y=0 Relaxed`, `F SeqCst`: an event as the graphs and messages
    /// show it.
    pub fn describe(&self, e: usize) -> String {
        EventText(self, e).to_string()
    }
}

struct EventText<'a>(&'a Execution, usize);

impl fmt::Display for EventText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let event = &self.0.events[self.1];
        let mode = match event.mode {
            Mode::NonAtomic => "na",
            other => other.rust_name(),
        };
        match (event.kind, event.loc) {
            (Kind::Spawn(t), _) => write!(f, "spawn {t}"),
            (Kind::Join(t), _) => write!(f, "join {t}"),
            (Kind::Fence, _) | (_, None) => write!(f, "F {mode}"),
            (kind, Some(loc)) => {
                let letter = if kind == Kind::Read { "R" } else { "W" };
                let name = &self.0.locs[loc];
                if event.thread.is_none() {
                    write!(f, "{letter} {name}={} init", event.value)
                } else {
                    write!(f, "{letter} {name}={} {mode}", event.value)
                }
            }
        }
    }
}
