//! Every candidate execution of a program: one path per thread, a write for each read to
//! read from, and a modification order for each location. Nothing is sampled.
//!
//! The reads-from choice comes first and fixes every value (each read takes its write's
//! value, each write computes its value from its thread's earlier reads); a candidate whose
//! values contradict a branch its paths took is dropped, and so is one whose values depend on
//! themselves in a cycle: the checker never invents an out-of-thin-air value. Then each
//! modification order is tried.

use crate::error::Error;
use crate::execution::{Event, Execution, Kind};
use crate::paths::{self, Action, Path};
use crate::program::{Loc, Mode, Program, Reg, Stmt, StmtKind, Value};
use crate::relation::{Rel, Set};
use std::collections::BTreeMap;

/// One candidate, with each thread's registers at the end.
pub struct Candidate<'a> {
    pub execution: &'a Execution,
    pub registers: &'a [BTreeMap<Reg, Value>],
}

/// How many candidates were built, and how many were dropped because their values were
/// undetermined (a cycle of dependencies).
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub candidates: u64,
    pub undetermined: u64,
    /// Steps of the search: partial reads-from choices tried, and candidates built.
    pub steps: u64,
}

/// The most search steps one program may take. A program near the event limit can have
/// astronomically many executions; past this the checker says so instead of running for
/// hours (this many take about a second). The largest program in the corpus and the book
/// builds 580 candidates.
pub const MAX_STEPS: u64 = 200_000;

impl Counts {
    fn exhausted(&self) -> bool {
        self.steps > MAX_STEPS
    }
}

/// Calls `visit` on every candidate execution of `program`.
pub fn enumerate(
    file: &str,
    program: &Program,
    mut visit: impl FnMut(Candidate<'_>),
) -> Result<Counts, Error> {
    if program.threads.is_empty() || program.threads.len() > crate::MAX_THREADS {
        let span = program
            .threads
            .get(crate::MAX_THREADS)
            .and_then(|t| t.body.first())
            .map(|s| s.span)
            .unwrap_or_default();
        return Err(Error::new(
            file,
            span,
            format!(
                "a program has 1 to {} threads; this one has {}",
                crate::MAX_THREADS,
                program.threads.len()
            ),
        ));
    }
    check_spawns(file, program)?;
    let locs = locations(program);
    let thread_paths: Vec<Vec<Path>> = program.threads.iter().map(paths::paths).collect();
    let mut counts = Counts::default();
    let mut choice = vec![0; thread_paths.len()];
    loop {
        let chosen: Vec<&Path> = choice
            .iter()
            .zip(&thread_paths)
            .map(|(&i, paths)| &paths[i])
            .collect();
        let frame = Frame::build(file, program, &locs, &chosen)?;
        frame.each_rf(&mut counts, &mut visit);
        if counts.exhausted() {
            let span = program
                .threads
                .iter()
                .find_map(|t| t.body.first().map(|s| s.span))
                .unwrap_or_default();
            return Err(Error::new(
                file,
                span,
                format!(
                    "stopped after {MAX_STEPS} search steps ({} candidate executions so far): \
                     this program has too many executions to check exhaustively; make it \
                     smaller (fewer stores to one location, fewer reads)",
                    counts.candidates
                ),
            ));
        }
        if !advance(
            &mut choice,
            &thread_paths.iter().map(Vec::len).collect::<Vec<_>>(),
        ) {
            return Ok(counts);
        }
    }
}

/// The threads some thread spawns.
pub fn spawned(program: &Program) -> Vec<usize> {
    let mut out = Vec::new();
    for thread in &program.threads {
        for stmt in &thread.body {
            if let StmtKind::Spawn { thread } = stmt.kind {
                out.push(thread);
            }
        }
    }
    out
}

/// Spawns and joins the checker can model: at the top level of a thread (never under an
/// `if`, so a thread's events exist exactly when its spawn does), each thread spawned at
/// most once and never by itself, joins only of threads spawned before them or started with
/// the program, and no cycle of spawns.
fn check_spawns(file: &str, program: &Program) -> Result<(), Error> {
    fn nested(stmts: &[Stmt], file: &str) -> Result<(), Error> {
        for stmt in stmts {
            match &stmt.kind {
                StmtKind::Spawn { .. } | StmtKind::Join { .. } => {
                    return Err(Error::new(
                        file,
                        stmt.span,
                        "spawn and join must be at the top level of a thread, not inside an `if`",
                    ));
                }
                StmtKind::If {
                    then, otherwise, ..
                } => {
                    nested(then, file)?;
                    nested(otherwise, file)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
    let n = program.threads.len();
    let mut spawner = vec![None; n];
    for (t, thread) in program.threads.iter().enumerate() {
        for stmt in &thread.body {
            match &stmt.kind {
                StmtKind::Spawn { thread: s } | StmtKind::Join { thread: s }
                    if *s >= n || *s == t =>
                {
                    return Err(Error::new(
                        file,
                        stmt.span,
                        "a thread can spawn or join only another thread of the program",
                    ));
                }
                StmtKind::Spawn { thread: s } => {
                    if spawner[*s].is_some() {
                        return Err(Error::new(
                            file,
                            stmt.span,
                            format!("thread {} is spawned twice", program.threads[*s].name),
                        ));
                    }
                    spawner[*s] = Some(t);
                }
                StmtKind::If {
                    then, otherwise, ..
                } => {
                    nested(then, file)?;
                    nested(otherwise, file)?;
                }
                _ => {}
            }
        }
    }
    // Every spawned thread must trace back to one that starts with the program.
    for start in 0..n {
        let mut t = start;
        for _ in 0..=n {
            match spawner[t] {
                Some(parent) => t = parent,
                None => break,
            }
        }
        if spawner[t].is_some() {
            let span = program.threads[start]
                .body
                .first()
                .map(|s| s.span)
                .unwrap_or_default();
            return Err(Error::new(
                file,
                span,
                "these threads spawn each other in a cycle, so none of them ever starts",
            ));
        }
    }
    Ok(())
}

/// Steps a mixed-radix counter; false once it wraps around.
fn advance(counter: &mut [usize], radix: &[usize]) -> bool {
    for (digit, &base) in counter.iter_mut().zip(radix) {
        *digit += 1;
        if *digit < base {
            return true;
        }
        *digit = 0;
    }
    false
}

/// Every location the program names, its condition included, in a fixed order.
pub fn locations(program: &Program) -> Vec<Loc> {
    let mut locs = program.locations();
    let mut vars = program.observed.clone();
    if let Some(condition) = &program.condition {
        crate::verdict::prop_vars(&condition.prop, &mut vars);
    }
    for var in vars {
        if let crate::program::Var::Loc(loc) = var {
            locs.insert(loc);
        }
    }
    locs.into_iter().collect()
}

/// The events of one choice of paths, before reads-from and modification order.
struct Frame<'a> {
    execution: Execution,
    paths: Vec<&'a Path>,
    /// Where each thread's path events start in `execution.events`.
    offsets: Vec<usize>,
    /// For each read: the writes it may read from.
    sources: Vec<(usize, Vec<usize>)>,
    init_values: Vec<Value>,
}

impl<'a> Frame<'a> {
    fn build(
        file: &str,
        program: &Program,
        locs: &[Loc],
        paths: &[&'a Path],
    ) -> Result<Frame<'a>, Error> {
        let total = locs.len() + paths.iter().map(|p| p.events.len()).sum::<usize>();
        if total > crate::MAX_EVENTS {
            let span = program
                .threads
                .iter()
                .find_map(|t| t.body.first().map(|s| s.span))
                .unwrap_or_default();
            return Err(Error::new(
                file,
                span,
                format!(
                    "an execution of this program has {total} events (its {} locations' initial \
                     writes included); the checker handles at most {}",
                    locs.len(),
                    crate::MAX_EVENTS
                ),
            ));
        }
        let loc_index = |name: &Loc| locs.iter().position(|l| l == name).expect("collected");
        let mut events = Vec::with_capacity(total);
        let init_values: Vec<Value> = locs
            .iter()
            .map(|l| program.init.get(l).copied().unwrap_or(0))
            .collect();
        for (loc, &value) in init_values.iter().enumerate() {
            events.push(Event {
                thread: None,
                kind: Kind::Write,
                loc: Some(loc),
                value,
                mode: Mode::NonAtomic,
                span: Default::default(),
            });
        }
        let mut offsets = Vec::new();
        let mut sb = Rel::empty(total);
        let mut rmw = Rel::empty(total);
        let init = Set::all(locs.len());
        for (thread, path) in paths.iter().enumerate() {
            let start = events.len();
            offsets.push(start);
            for (i, pe) in path.events.iter().enumerate() {
                let e = start + i;
                for i in init.iter() {
                    sb.add(i, e);
                }
                for earlier in start..e {
                    sb.add(earlier, e);
                }
                if let Some(read) = pe.rmw_read {
                    rmw.add(start + read, e);
                }
                events.push(Event {
                    thread: Some(thread),
                    kind: match pe.action {
                        Action::Read => Kind::Read,
                        Action::Write(_) => Kind::Write,
                        Action::Fence => Kind::Fence,
                        Action::Spawn(t) => Kind::Spawn(t),
                        Action::Join(t) => Kind::Join(t),
                    },
                    loc: pe.loc.as_ref().map(loc_index),
                    value: 0,
                    mode: pe.mode,
                    span: pe.span,
                });
            }
        }
        let mut threads = Rel::empty(total);
        for (e, event) in events.iter().enumerate() {
            let members = |t: usize| {
                let start = offsets[t];
                start..start + paths[t].events.len()
            };
            match event.kind {
                Kind::Spawn(t) => members(t).for_each(|m| threads.add(e, m)),
                Kind::Join(t) => members(t).for_each(|m| threads.add(m, e)),
                _ => {}
            }
        }
        // A read may read any write to its location but its own RMW's write and the writes
        // its thread makes after it (those would read the future, which coherence forbids
        // anyway; leaving them out early keeps the search small).
        let mut sources = Vec::new();
        for r in 0..total {
            if events[r].kind != Kind::Read {
                continue;
            }
            let candidates = (0..total)
                .filter(|&w| {
                    events[w].kind == Kind::Write
                        && events[w].loc == events[r].loc
                        && !sb.contains(r, w)
                })
                .collect();
            sources.push((r, candidates));
        }
        Ok(Frame {
            execution: Execution {
                events,
                locs: locs.to_vec(),
                sb,
                rmw,
                rf: Rel::empty(total),
                mo: Rel::empty(total),
                threads,
            },
            paths: paths.to_vec(),
            offsets,
            sources,
            init_values,
        })
    }

    fn thread_of(&self, e: usize) -> Option<(usize, usize)> {
        self.execution.events[e]
            .thread
            .map(|t| (t, e - self.offsets[t]))
    }

    /// Every reads-from choice, then (when the values agree with the paths) every
    /// modification order.
    fn each_rf(&self, counts: &mut Counts, visit: &mut impl FnMut(Candidate<'_>)) {
        self.choose_rf(0, &mut BTreeMap::new(), counts, visit);
    }

    /// Chooses a write for the `k`-th read and goes on to the next, abandoning a partial
    /// choice as soon as the values it fixes contradict a branch a path took: with retry
    /// loops unrolled, most combinations of choices die early, and trying each in full would
    /// multiply them all.
    fn choose_rf(
        &self,
        k: usize,
        rf_of: &mut BTreeMap<usize, usize>,
        counts: &mut Counts,
        visit: &mut impl FnMut(Candidate<'_>),
    ) {
        counts.steps += 1;
        if counts.exhausted() {
            return;
        }
        let Some((read, writes)) = self.sources.get(k) else {
            match self.values(rf_of) {
                Some(values) => {
                    if self.guards_hold(&values) {
                        self.each_mo(rf_of, &values, counts, visit);
                    }
                }
                None => counts.undetermined += 1,
            }
            return;
        };
        for &write in writes {
            rf_of.insert(*read, write);
            if !self.contradicted(&self.known_values(rf_of)) {
                self.choose_rf(k + 1, rf_of, counts, visit);
            }
        }
        rf_of.remove(read);
    }

    /// Each event's value, where this partial reads-from choice already fixes it.
    fn known_values(&self, rf_of: &BTreeMap<usize, usize>) -> Vec<Option<Value>> {
        let n = self.execution.len();
        let mut state = vec![0u8; n];
        let mut values = vec![0; n];
        for e in 0..n {
            // A value not fixed yet stays unknown; its failure says nothing about the others.
            let _ = self.value(e, rf_of, &mut state, &mut values);
        }
        (0..n)
            .map(|e| (state[e] == 2).then_some(values[e]))
            .collect()
    }

    /// Whether a guard whose value is already known fails.
    fn contradicted(&self, known: &[Option<Value>]) -> bool {
        self.paths.iter().enumerate().any(|(t, path)| {
            let start = self.offsets[t];
            path.guards.iter().any(|g| {
                g.term
                    .eval(&|j| known[start + j])
                    .is_some_and(|v| (v != 0) != g.holds)
            })
        })
    }

    /// Every event's value under this reads-from choice; `None` if a cycle of dependencies
    /// leaves some value undetermined.
    fn values(&self, rf_of: &BTreeMap<usize, usize>) -> Option<Vec<Value>> {
        let n = self.execution.len();
        // 0: not yet, 1: being computed, 2: done.
        let mut state = vec![0u8; n];
        let mut values = vec![0; n];
        for e in 0..n {
            self.value(e, rf_of, &mut state, &mut values)?;
        }
        Some(values)
    }

    fn value(
        &self,
        e: usize,
        rf_of: &BTreeMap<usize, usize>,
        state: &mut [u8],
        values: &mut [Value],
    ) -> Option<Value> {
        match state[e] {
            2 => return Some(values[e]),
            1 => return None,
            _ => state[e] = 1,
        }
        let v = match self.thread_of(e) {
            None => self.init_values[self.execution.events[e].loc.expect("init has a loc")],
            Some((t, i)) => match &self.paths[t].events[i].action {
                Action::Fence | Action::Spawn(_) | Action::Join(_) => 0,
                Action::Read => self.value(*rf_of.get(&e)?, rf_of, state, values)?,
                Action::Write(term) => {
                    let start = self.offsets[t];
                    // A term may name only reads of its own thread; resolve them first.
                    let mut cell = Ok(());
                    let known: Vec<Option<Value>> = (0..self.paths[t].events.len())
                        .map(|j| {
                            if matches!(self.paths[t].events[j].action, Action::Read)
                                && term_mentions(term, j)
                            {
                                let v = self.value(start + j, rf_of, state, values);
                                if v.is_none() {
                                    cell = Err(());
                                }
                                v
                            } else {
                                None
                            }
                        })
                        .collect();
                    cell.ok()?;
                    term.eval(&|j| known[j])?
                }
            },
        };
        state[e] = 2;
        values[e] = v;
        Some(v)
    }

    fn read_value(&self, values: &[Value], t: usize) -> impl Fn(usize) -> Option<Value> + '_ {
        let start = self.offsets[t];
        let values = values.to_vec();
        move |j| Some(values[start + j])
    }

    fn guards_hold(&self, values: &[Value]) -> bool {
        self.paths.iter().enumerate().all(|(t, path)| {
            let read = self.read_value(values, t);
            path.guards
                .iter()
                .all(|g| g.term.eval(&read).is_some_and(|v| (v != 0) == g.holds))
        })
    }

    /// Every modification order: per location, each permutation of its non-initial writes
    /// after the initial one.
    fn each_mo(
        &self,
        rf_of: &BTreeMap<usize, usize>,
        values: &[Value],
        counts: &mut Counts,
        visit: &mut impl FnMut(Candidate<'_>),
    ) {
        let x = &self.execution;
        let n = x.len();
        let mut execution = x.clone();
        for (e, event) in execution.events.iter_mut().enumerate() {
            event.value = values[e];
        }
        execution.rf = Rel::from_pairs(n, rf_of.iter().map(|(&r, &w)| (w, r)));
        let registers: Vec<BTreeMap<Reg, Value>> = self
            .paths
            .iter()
            .enumerate()
            .map(|(t, path)| {
                let read = self.read_value(values, t);
                path.regs
                    .iter()
                    .map(|(reg, term)| (reg.clone(), term.eval(&read).expect("all reads known")))
                    .collect()
            })
            .collect();
        let per_loc: Vec<Vec<usize>> = (0..x.locs.len())
            .map(|loc| {
                (x.locs.len()..n)
                    .filter(|&w| x.events[w].kind == Kind::Write && x.events[w].loc == Some(loc))
                    .collect()
            })
            .collect();
        let orders: Vec<Vec<Vec<usize>>> = per_loc.iter().map(|ws| permutations(ws)).collect();
        let radix: Vec<usize> = orders.iter().map(Vec::len).collect();
        let mut choice = vec![0; radix.len()];
        loop {
            let mut mo = Rel::empty(n);
            for (loc, order) in orders.iter().enumerate() {
                let chain: Vec<usize> = std::iter::once(loc)
                    .chain(order[choice[loc]].iter().copied())
                    .collect();
                for (i, &a) in chain.iter().enumerate() {
                    for &b in &chain[i + 1..] {
                        mo.add(a, b);
                    }
                }
            }
            execution.mo = mo;
            counts.candidates += 1;
            counts.steps += 1;
            if counts.exhausted() {
                return;
            }
            visit(Candidate {
                execution: &execution,
                registers: &registers,
            });
            if !advance(&mut choice, &radix) {
                return;
            }
        }
    }
}

fn term_mentions(term: &paths::Term, read: usize) -> bool {
    match term {
        paths::Term::Const(_) => false,
        paths::Term::Read(r) => *r == read,
        paths::Term::Binary(_, a, b) => term_mentions(a, read) || term_mentions(b, read),
        paths::Term::Not(a) => term_mentions(a, read),
    }
}

/// Every ordering of `items`.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    if items.is_empty() {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut tail in permutations(&rest) {
            tail.insert(0, first);
            out.push(tail);
        }
    }
    out
}
