//! Sequential consistency, computed independently of the axioms: run the threads one
//! statement at a time in every interleaving, over one memory that every load and store goes
//! to directly. An outcome found here needs no weak memory; one the axioms allow that is
//! not found here does.

use crate::paths::apply;
use crate::program::{Expr, Program, Reg, RmwOp, Stmt, StmtKind, Value, Var};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a thread still has to run (a stack: the next statement last) and its registers.
#[derive(Clone, PartialEq, Eq, Hash)]
struct ThreadState<'a> {
    /// Whether it has started: threads that another thread spawns wait for the spawn.
    started: bool,
    next: Vec<StmtRef<'a>>,
    regs: BTreeMap<Reg, Value>,
}

/// A statement compared by address: two threads' identical statements stay distinct.
#[derive(Clone, Copy)]
struct StmtRef<'a>(&'a Stmt);

impl PartialEq for StmtRef<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}
impl Eq for StmtRef<'_> {}
impl std::hash::Hash for StmtRef<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state)
    }
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct World<'a> {
    memory: BTreeMap<String, Value>,
    threads: Vec<ThreadState<'a>>,
}

/// The value of every variable in `observed` at the end of every interleaving.
pub fn outcomes(program: &Program, observed: &[Var]) -> BTreeSet<Vec<Value>> {
    let start = World {
        memory: program.init.clone().into_iter().collect(),
        threads: program
            .threads
            .iter()
            .enumerate()
            .map(|(i, t)| ThreadState {
                started: !crate::candidates::spawned(program).contains(&i),
                next: t.body.iter().rev().map(StmtRef).collect(),
                regs: BTreeMap::new(),
            })
            .collect(),
    };
    let mut seen = HashSet::new();
    let mut out = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(world) = stack.pop() {
        if !seen.insert(world.clone()) {
            continue;
        }
        let mut finished = true;
        for t in 0..world.threads.len() {
            if !world.threads[t].started || world.threads[t].next.is_empty() {
                continue;
            }
            finished = false;
            stack.extend(step(&world, t));
        }
        // A world where every started thread waits on a join that cannot return has no
        // final state; the model's spawn rules make that impossible for valid programs.
        if finished {
            out.insert(observe(&world, observed));
        }
    }
    out
}

fn observe(world: &World<'_>, observed: &[Var]) -> Vec<Value> {
    observed
        .iter()
        .map(|var| match var {
            Var::Reg { thread, reg } => world.threads[*thread].regs.get(reg).copied(),
            Var::Loc(loc) => world.memory.get(loc).copied(),
        })
        .map(|v| v.unwrap_or(0))
        .collect()
}

/// The worlds after thread `t` runs its next statement (two for a weak compare-exchange
/// that may fail spuriously; none for a join whose thread has not ended).
fn step<'a>(world: &World<'a>, t: usize) -> Vec<World<'a>> {
    let mut next = world.clone();
    let stmt = next.threads[t].next.pop().expect("not finished").0;
    let mut out = Vec::new();
    match &stmt.kind {
        StmtKind::Spawn { thread } => {
            next.threads[*thread].started = true;
            return vec![next];
        }
        StmtKind::Join { thread } => {
            let joined = &next.threads[*thread];
            if joined.started && joined.next.is_empty() {
                out.push(next);
            }
            return out;
        }
        _ => {}
    }
    let thread = &mut next.threads[t];
    match &stmt.kind {
        StmtKind::Spawn { .. } | StmtKind::Join { .. } => unreachable!("handled above"),
        StmtKind::Load { reg, loc, .. } => {
            let v = next.memory.get(loc).copied().unwrap_or(0);
            next.threads[t].regs.insert(reg.clone(), v);
            out.push(next);
        }
        StmtKind::Store { loc, value, .. } => {
            let v = eval(value, &thread.regs);
            next.memory.insert(loc.clone(), v);
            out.push(next);
        }
        StmtKind::Fence { .. } => out.push(next),
        StmtKind::Assign { reg, value } => {
            let v = eval(value, &thread.regs);
            thread.regs.insert(reg.clone(), v);
            out.push(next);
        }
        StmtKind::If {
            cond,
            then,
            otherwise,
        } => {
            let branch = if eval(cond, &thread.regs) != 0 {
                then
            } else {
                otherwise
            };
            thread.next.extend(branch.iter().rev().map(StmtRef));
            out.push(next);
        }
        StmtKind::Rmw { reg, loc, op, .. } => {
            let old = next.memory.get(loc).copied().unwrap_or(0);
            let regs = &next.threads[t].regs;
            let (new, weak, success) = match op {
                RmwOp::Add(v) => (Some(old.wrapping_add(eval(v, regs))), false, None),
                RmwOp::Sub(v) => (Some(old.wrapping_sub(eval(v, regs))), false, None),
                RmwOp::Swap(v) => (Some(eval(v, regs)), false, None),
                RmwOp::Cas {
                    expected,
                    new,
                    weak,
                    success,
                    ..
                } => (
                    (old == eval(expected, regs)).then(|| eval(new, regs)),
                    *weak,
                    success.as_ref(),
                ),
            };
            if let Some(reg) = reg {
                next.threads[t].regs.insert(reg.clone(), old);
            }
            if weak && new.is_some() {
                // The spurious failure: nothing written.
                let mut failed = next.clone();
                if let Some(flag) = success {
                    failed.threads[t].regs.insert(flag.clone(), 0);
                }
                out.push(failed);
            }
            if let Some(flag) = success {
                let succeeded = Value::from(new.is_some());
                next.threads[t].regs.insert(flag.clone(), succeeded);
            }
            if let Some(new) = new {
                next.memory.insert(loc.clone(), new);
            }
            out.push(next);
        }
    }
    out
}

fn eval(expr: &Expr, regs: &BTreeMap<Reg, Value>) -> Value {
    match expr {
        Expr::Const(v) => *v,
        Expr::Reg(r) => regs.get(r).copied().unwrap_or(0),
        Expr::Binary(op, a, b) => apply(*op, eval(a, regs), eval(b, regs)),
        Expr::Not(a) => Value::from(eval(a, regs) == 0),
    }
}
