//! A thread's possible paths through its code, before anyone knows what its loads return.
//!
//! The checker does not guess values. Each load is a placeholder ([`Term::Read`]) that the
//! reads-from choice fills in later; what the thread stores and keeps in registers is a
//! [`Term`] over those placeholders. Where the code branches on a value it has not got yet
//! (an `if`, a compare-exchange's success), the thread takes both ways, each with a
//! [`Guard`] that the values must satisfy once they are known.

use crate::error::Span;
use crate::program::{BinOp, Expr, Loc, Mode, Reg, RmwOp, Stmt, StmtKind, Thread, Value};
use std::collections::BTreeMap;

/// A value computed from constants and the values of this path's loads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    Const(Value),
    /// What the path's event with this index (a read) returned.
    Read(usize),
    Binary(BinOp, Box<Term>, Box<Term>),
    Not(Box<Term>),
}

impl Term {
    /// The value, given what each read returned (`None` while a read is not known yet).
    pub fn eval(&self, read: &impl Fn(usize) -> Option<Value>) -> Option<Value> {
        Some(match self {
            Term::Const(v) => *v,
            Term::Read(e) => read(*e)?,
            Term::Binary(op, a, b) => apply(*op, a.eval(read)?, b.eval(read)?),
            Term::Not(a) => Value::from(a.eval(read)? == 0),
        })
    }

    /// The value, if it depends on no read.
    fn constant(&self) -> Option<Value> {
        self.eval(&|_| None)
    }
}

/// `a op b`, wrapping like the hardware's registers; comparisons give 1 or 0.
pub fn apply(op: BinOp, a: Value, b: Value) -> Value {
    match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Xor => a ^ b,
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Eq => Value::from(a == b),
        BinOp::Ne => Value::from(a != b),
        BinOp::LogicalAnd => Value::from(a != 0 && b != 0),
        BinOp::LogicalOr => Value::from(a != 0 || b != 0),
    }
}

/// What a path's event does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    Write(Term),
    Fence,
    Spawn(usize),
    Join(usize),
}

/// One memory event of a path, in program order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathEvent {
    pub action: Action,
    /// The location (`None` for a fence).
    pub loc: Option<Loc>,
    pub mode: Mode,
    /// The statement it comes from.
    pub span: Span,
    /// For the write half of a read-modify-write: the index of its read half (the event just
    /// before it).
    pub rmw_read: Option<usize>,
}

/// A condition this path took for granted: `term` is nonzero when `holds`, zero otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    pub term: Term,
    pub holds: bool,
}

/// One way through a thread.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path {
    pub events: Vec<PathEvent>,
    pub guards: Vec<Guard>,
    /// Each register's value at the end.
    pub regs: BTreeMap<Reg, Term>,
}

/// The read half of an RMW with ordering `mode`: Release adds nothing to a read.
pub fn read_half(mode: Mode) -> Mode {
    match mode {
        Mode::Release => Mode::Relaxed,
        Mode::AcqRel => Mode::Acquire,
        other => other,
    }
}

/// The write half of an RMW with ordering `mode`: Acquire adds nothing to a write.
pub fn write_half(mode: Mode) -> Mode {
    match mode {
        Mode::Acquire => Mode::Relaxed,
        Mode::AcqRel => Mode::Release,
        other => other,
    }
}

/// Every path through `thread`.
pub fn paths(thread: &Thread) -> Vec<Path> {
    run(&thread.body, vec![Path::default()])
}

fn run(stmts: &[Stmt], mut paths: Vec<Path>) -> Vec<Path> {
    for stmt in stmts {
        paths = paths.into_iter().flat_map(|p| step(stmt, p)).collect();
    }
    paths
}

/// The paths that continue `path` through `stmt` (two where it branches on an unknown value,
/// none where a known value contradicts a branch).
fn step(stmt: &Stmt, mut path: Path) -> Vec<Path> {
    let span = stmt.span;
    match &stmt.kind {
        StmtKind::Load { reg, loc, mode } => {
            let read = path.push(Action::Read, Some(loc), *mode, span, None);
            path.regs.insert(reg.clone(), Term::Read(read));
            vec![path]
        }
        StmtKind::Store { loc, value, mode } => {
            let value = path.term(value);
            path.push(Action::Write(value), Some(loc), *mode, span, None);
            vec![path]
        }
        StmtKind::Fence { mode } => {
            path.push(Action::Fence, None, *mode, span, None);
            vec![path]
        }
        StmtKind::Spawn { thread } => {
            path.push(Action::Spawn(*thread), None, Mode::NonAtomic, span, None);
            vec![path]
        }
        StmtKind::Join { thread } => {
            path.push(Action::Join(*thread), None, Mode::NonAtomic, span, None);
            vec![path]
        }
        StmtKind::Assign { reg, value } => {
            let value = path.term(value);
            path.regs.insert(reg.clone(), value);
            vec![path]
        }
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            let cond = path.term(cond);
            let mut out = Vec::new();
            for (holds, body) in [(true, then), (false, otherwise)] {
                let mut branch = path.clone();
                if branch.assume(cond.clone(), holds) {
                    out.extend(run(body, vec![branch]));
                }
            }
            out
        }
        StmtKind::Rmw { reg, loc, op, mode } => rmw(path, reg.as_ref(), loc, op, *mode, span),
    }
}

fn rmw(path: Path, reg: Option<&Reg>, loc: &Loc, op: &RmwOp, mode: Mode, span: Span) -> Vec<Path> {
    let mut out = Vec::new();
    // The success half: a read and a write, one atomic event pair.
    let mut ok = path.clone();
    let read = ok.push(Action::Read, Some(loc), read_half(mode), span, None);
    let old = Term::Read(read);
    let new = match op {
        RmwOp::Add(v) => Term::Binary(BinOp::Add, Box::new(old.clone()), Box::new(ok.term(v))),
        RmwOp::Sub(v) => Term::Binary(BinOp::Sub, Box::new(old.clone()), Box::new(ok.term(v))),
        RmwOp::Swap(v) => ok.term(v),
        RmwOp::Cas { new, .. } => ok.term(new),
    };
    let succeeds = match op {
        RmwOp::Cas { expected, .. } => {
            let expected = ok.term(expected);
            ok.assume(eq(old.clone(), expected), true)
        }
        _ => true,
    };
    if succeeds {
        ok.push(
            Action::Write(new),
            Some(loc),
            write_half(mode),
            span,
            Some(read),
        );
        if let Some(reg) = reg {
            ok.regs.insert(reg.clone(), old.clone());
        }
        if let RmwOp::Cas {
            success: Some(flag),
            ..
        } = op
        {
            ok.regs.insert(flag.clone(), Term::Const(1));
        }
        out.push(ok);
    }
    // A compare-exchange that fails is a load with the failure ordering; the weak form may
    // fail even when the value matches.
    if let RmwOp::Cas {
        expected,
        failure,
        weak,
        success,
        ..
    } = op
    {
        let mut fail = path;
        let expected = fail.term(expected);
        let read = fail.push(Action::Read, Some(loc), *failure, span, None);
        let old = Term::Read(read);
        if *weak || fail.assume(eq(old.clone(), expected), false) {
            if let Some(reg) = reg {
                fail.regs.insert(reg.clone(), old);
            }
            if let Some(flag) = success {
                fail.regs.insert(flag.clone(), Term::Const(0));
            }
            out.push(fail);
        }
    }
    out
}

fn eq(a: Term, b: Term) -> Term {
    Term::Binary(BinOp::Eq, Box::new(a), Box::new(b))
}

impl Path {
    fn push(
        &mut self,
        action: Action,
        loc: Option<&Loc>,
        mode: Mode,
        span: Span,
        rmw_read: Option<usize>,
    ) -> usize {
        self.events.push(PathEvent {
            action,
            loc: loc.cloned(),
            mode,
            span,
            rmw_read,
        });
        self.events.len() - 1
    }

    /// `expr` in terms of this path's reads. A register never assigned reads as 0, as in
    /// herd7 (the parser rejects reading one before it is assigned).
    fn term(&self, expr: &Expr) -> Term {
        let term = match expr {
            Expr::Const(v) => Term::Const(*v),
            Expr::Reg(reg) => self.regs.get(reg).cloned().unwrap_or(Term::Const(0)),
            Expr::Binary(op, a, b) => {
                Term::Binary(*op, Box::new(self.term(a)), Box::new(self.term(b)))
            }
            Expr::Not(a) => Term::Not(Box::new(self.term(a))),
        };
        // Fold what is already known, so branches on constants are decided now.
        match term.constant() {
            Some(v) => Term::Const(v),
            None => term,
        }
    }

    /// Takes `term != 0` (or `== 0`) for granted. False when a known value contradicts it.
    fn assume(&mut self, term: Term, holds: bool) -> bool {
        match term.constant() {
            Some(v) => (v != 0) == holds,
            None => {
                self.guards.push(Guard { term, holds });
                true
            }
        }
    }
}
