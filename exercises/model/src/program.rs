//! A litmus program as the checker sees it, whichever format it was written in: threads of
//! statements over shared locations, and a question about the final state.

use crate::error::Span;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The value of a location or a register. Litmus values are small integers.
pub type Value = i64;

/// An access mode: the five orderings Rust names, and `NonAtomic` for a plain access.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    NonAtomic,
    Relaxed,
    Acquire,
    Release,
    AcqRel,
    SeqCst,
}

impl Mode {
    /// Every mode, weakest first (the order of the lattice's levels, not a total order:
    /// Acquire and Release are incomparable).
    pub const ALL: [Mode; 6] = [
        Mode::NonAtomic,
        Mode::Relaxed,
        Mode::Acquire,
        Mode::Release,
        Mode::AcqRel,
        Mode::SeqCst,
    ];

    /// The name Rust gives it (`NonAtomic` for a plain access).
    pub fn rust_name(self) -> &'static str {
        match self {
            Mode::NonAtomic => "NonAtomic",
            Mode::Relaxed => "Relaxed",
            Mode::Acquire => "Acquire",
            Mode::Release => "Release",
            Mode::AcqRel => "AcqRel",
            Mode::SeqCst => "SeqCst",
        }
    }

    /// Whether this mode is at least `other` in the lattice
    /// NonAtomic < Relaxed < {Acquire, Release} < AcqRel < SeqCst.
    pub fn at_least(self, other: Mode) -> bool {
        use Mode::*;
        match (self, other) {
            (a, b) if a == b => true,
            (_, NonAtomic) => true,
            (NonAtomic, _) => false,
            (_, Relaxed) => true,
            (Relaxed, _) => false,
            (AcqRel | SeqCst, Acquire | Release) => true,
            (SeqCst, AcqRel) => true,
            _ => false,
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rust_name())
    }
}

/// A location's name: `x`, `flag`.
pub type Loc = String;
/// A register's name, local to its thread: `r1`, `first`. Names with a `#` (`cas#1`) are the
/// parser's temporaries: nothing a user writes contains one, and reports leave them out.
pub type Reg = String;

/// A pure expression over a thread's registers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Const(Value),
    Reg(Reg),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
}

/// The operators an expression may use. Comparisons and logic give 1 for true, 0 for false.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Xor,
    And,
    Or,
    Eq,
    Ne,
    LogicalAnd,
    LogicalOr,
}

/// What a read-modify-write computes from the value it read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RmwOp {
    /// `fetch_add(v)`: writes old + v.
    Add(Expr),
    /// `fetch_sub(v)`: writes old - v.
    Sub(Expr),
    /// `swap(v)`: writes v.
    Swap(Expr),
    /// `compare_exchange(expected, new, success, failure)`: writes `new` only if the old value
    /// equals `expected`; otherwise it is a plain atomic load with the failure ordering.
    /// The strong form: it never fails spuriously.
    Cas {
        expected: Expr,
        new: Expr,
        failure: Mode,
        /// `compare_exchange_weak`: may also fail when the value matches (spuriously).
        weak: bool,
        /// A register that gets 1 if it succeeded and 0 if it failed (C's return value,
        /// Rust's `.is_ok()`). Comparing the old value with `expected` cannot tell a weak
        /// compare-exchange's spurious failure from a success.
        success: Option<Reg>,
    },
}

/// One statement of a thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub kind: StmtKind,
    /// Where it starts in the source, for error messages and graph labels.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StmtKind {
    /// `let reg = loc.load(mode)`; a plain read (`let reg = *loc`) has mode `NonAtomic`.
    Load { reg: Reg, loc: Loc, mode: Mode },
    /// `loc.store(value, mode)`; a plain write (`*loc = value`) has mode `NonAtomic`.
    Store { loc: Loc, value: Expr, mode: Mode },
    /// `let reg = loc.fetch_add(v, mode)` and friends; `reg` is the old value (`None` when
    /// the program drops it). For `Cas`, `reg` receives the old value whether or not it
    /// succeeded (Rust's `Ok(old)`/`Err(old)`; C's `expected` out-parameter).
    Rmw {
        reg: Option<Reg>,
        loc: Loc,
        op: RmwOp,
        mode: Mode,
    },
    /// `fence(mode)`.
    Fence { mode: Mode },
    /// `spawn(t)`: starts thread `t` (an index into [`Program::threads`]). A thread that some
    /// thread spawns starts only then; the spawn synchronizes with the thread's start
    /// (C++20 [thread.thread.constr]). Threads nobody spawns start with the program.
    Spawn { thread: usize },
    /// `join(t)`: waits for thread `t` to end; its end synchronizes with the join's return
    /// ([thread.thread.member]).
    Join { thread: usize },
    /// `let reg = expr` (no memory access).
    Assign { reg: Reg, value: Expr },
    /// `if cond { then } else { otherwise }`: a nonzero condition takes `then`.
    If {
        cond: Expr,
        then: Vec<Stmt>,
        otherwise: Vec<Stmt>,
    },
}

/// One thread: a name (`0`, `a`, `writer`) and its statements in program order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thread {
    pub name: String,
    pub body: Vec<Stmt>,
}

impl Thread {
    /// Every register the thread assigns on some path, leaving out the parser's temporaries
    /// (their names hold a `#`).
    pub fn registers(&self) -> BTreeSet<Reg> {
        let mut found = BTreeSet::new();
        each_stmt(&self.body, &mut |stmt| match &stmt.kind {
            StmtKind::Load { reg, .. } | StmtKind::Assign { reg, .. } => {
                found.insert(reg.clone());
            }
            StmtKind::Rmw { reg, op, .. } => {
                found.extend(reg.iter().cloned());
                if let RmwOp::Cas {
                    success: Some(flag),
                    ..
                } = op
                {
                    found.insert(flag.clone());
                }
            }
            _ => {}
        });
        found.retain(|reg| !reg.contains('#'));
        found
    }
}

/// Calls `visit` on each statement of `body` in program order, the branches of each `if`
/// included.
pub fn each_stmt(body: &[Stmt], visit: &mut dyn FnMut(&Stmt)) {
    for stmt in body {
        visit(stmt);
        if let StmtKind::If {
            then, otherwise, ..
        } = &stmt.kind
        {
            each_stmt(then, visit);
            each_stmt(otherwise, visit);
        }
    }
}

/// What a final-state condition can name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Var {
    /// Thread `thread`'s register `reg` at the end (herd7 writes `1:r0`).
    Reg { thread: usize, reg: Reg },
    /// A location's final value: the last write in its modification order.
    Loc(Loc),
}

/// A proposition over the final state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Prop {
    True,
    Eq(Var, Value),
    Not(Box<Prop>),
    And(Box<Prop>, Box<Prop>),
    Or(Box<Prop>, Box<Prop>),
}

/// herd7's three kinds of final condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quantifier {
    /// `exists P`: some execution ends in a state satisfying P.
    Exists,
    /// `~exists P`: no execution does.
    NotExists,
    /// `forall P`: every execution does.
    Forall,
}

/// The question a test asks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub quantifier: Quantifier,
    pub prop: Prop,
    pub span: Span,
}

/// A whole litmus program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The test's name (herd7's first line; the Rust form's `litmus` line, or the file stem).
    pub name: String,
    /// Initial values; every location not named here starts at 0.
    pub init: BTreeMap<Loc, Value>,
    pub threads: Vec<Thread>,
    /// The final condition. A program without one is still checked; its outcomes are printed
    /// over `observed`.
    pub condition: Option<Condition>,
    /// Extra variables to show in each final state besides the condition's (herd7's
    /// `locations [x; 1:r0;]`).
    pub observed: Vec<Var>,
}

impl Program {
    /// Every location the program initialises or accesses.
    pub fn locations(&self) -> BTreeSet<Loc> {
        let mut found: BTreeSet<Loc> = self.init.keys().cloned().collect();
        for thread in &self.threads {
            each_stmt(&thread.body, &mut |stmt| {
                if let StmtKind::Load { loc, .. }
                | StmtKind::Store { loc, .. }
                | StmtKind::Rmw { loc, .. } = &stmt.kind
                {
                    found.insert(loc.clone());
                }
            });
        }
        found
    }
}
