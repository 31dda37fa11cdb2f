//! Properties every correct checker of this model has, tried on generated programs: a small
//! deterministic generator (no dependency), a few hundred programs a property.
//!
//! - SC ⊆ model: every interleaving's outcome is allowed.
//! - All-SeqCst, race-free programs allow exactly their interleavings' outcomes.
//! - Strengthening any one ordering never adds an outcome.
//! - Renaming threads (reordering them) or locations never changes the outcome set.
//! - rc11 ⊆ c++20.

mod common;

use common::*;
use model::program::{Mode, Program, StmtKind, Var};
use model::{Model, check};
use std::collections::BTreeSet;

/// xorshift64*: reproducible, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const LOCS: [&str; 2] = ["x", "y"];
const LOADS: [Mode; 3] = [Mode::Relaxed, Mode::Acquire, Mode::SeqCst];
const STORES: [Mode; 3] = [Mode::Relaxed, Mode::Release, Mode::SeqCst];
const RMWS: [Mode; 5] = [
    Mode::Relaxed,
    Mode::Acquire,
    Mode::Release,
    Mode::AcqRel,
    Mode::SeqCst,
];
const FENCES: [Mode; 4] = [Mode::Acquire, Mode::Release, Mode::AcqRel, Mode::SeqCst];

/// A program of 2 or 3 threads of 1 to 3 atomic statements over `x` and `y`. Most threads
/// are litmus-shaped (two accesses to different locations), the shape where weak outcomes
/// live; the rest are random mixes with read-modify-writes and fences.
fn generate(rng: &mut Rng, only_seqcst: bool) -> Program {
    let threads = if rng.below(4) == 0 { 3 } else { 2 };
    let mut bodies = Vec::new();
    for _ in 0..threads {
        let litmus_shaped = rng.below(10) < 7;
        let len = if litmus_shaped { 2 } else { 1 + rng.below(3) };
        let first = rng.below(2);
        let mut body = Vec::new();
        for i in 0..len {
            let loc = if litmus_shaped {
                LOCS[(first + i) % 2]
            } else {
                rng.pick(&LOCS)
            };
            let reg = format!("r{i}");
            let kind = if litmus_shaped {
                rng.below(2) * 2
            } else {
                rng.below(6)
            };
            let mut mode = |choices: &[Mode]| {
                if only_seqcst {
                    Mode::SeqCst
                } else {
                    rng.pick(choices)
                }
            };
            let stmt = match kind {
                0 | 1 => load(&reg, loc, mode(&LOADS)),
                2 | 3 => store(loc, 1 + i as i64, mode(&STORES)),
                4 => fetch_add(&reg, loc, 1, mode(&RMWS)),
                _ => fence(mode(&FENCES)),
            };
            body.push(stmt);
        }
        bodies.push(body);
    }
    program("generated", bodies, None)
}

/// The final states, as sets of (variable, value) lists.
fn outcomes(p: &Program, model: Model) -> BTreeSet<Vec<(Var, i64)>> {
    check(p, model)
        .unwrap_or_else(|e| panic!("{e}"))
        .states
        .into_keys()
        .map(|s| s.0)
        .collect()
}

fn programs(seed: u64, count: usize, only_seqcst: bool) -> Vec<Program> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| generate(&mut rng, only_seqcst))
        .collect()
}

#[test]
fn every_interleaving_is_allowed() {
    for p in programs(1, 300, false) {
        for model in Model::ALL {
            let v = check(&p, model).unwrap();
            // A state's `under_sc` says an interleaving reaches it; every interleaving's
            // state must be among the allowed ones.
            let sc = model::sc::outcomes(&p, &model::verdict::observed_vars(&p));
            let allowed: BTreeSet<Vec<i64>> = v
                .states
                .keys()
                .map(|s| s.0.iter().map(|(_, value)| *value).collect())
                .collect();
            assert!(sc.is_subset(&allowed), "{model}: {p:#?}");
        }
    }
}

#[test]
fn all_seqcst_programs_allow_exactly_their_interleavings() {
    for p in programs(2, 300, true) {
        for model in Model::ALL {
            let v = check(&p, model).unwrap();
            assert!(v.races.is_empty());
            let weak: Vec<_> = v.states.iter().filter(|(_, i)| !i.under_sc).collect();
            assert!(weak.is_empty(), "{model}: {weak:?} in {p:#?}");
        }
    }
}

/// Every program that differs from `p` in one ordering, made one step stronger.
fn strengthenings(p: &Program) -> Vec<Program> {
    let mut out = Vec::new();
    for t in 0..p.threads.len() {
        for s in 0..p.threads[t].body.len() {
            let stronger: Vec<Mode> = match &p.threads[t].body[s].kind {
                StmtKind::Load { mode, .. } => after(*mode, &LOADS),
                StmtKind::Store { mode, .. } => after(*mode, &STORES),
                StmtKind::Rmw { mode, .. } => after(*mode, &RMWS),
                StmtKind::Fence { mode } => after(*mode, &FENCES),
                _ => Vec::new(),
            };
            for m in stronger {
                let mut q = p.clone();
                match &mut q.threads[t].body[s].kind {
                    StmtKind::Load { mode, .. }
                    | StmtKind::Store { mode, .. }
                    | StmtKind::Rmw { mode, .. }
                    | StmtKind::Fence { mode } => *mode = m,
                    _ => unreachable!(),
                }
                out.push(q);
            }
        }
    }
    out
}

/// The modes in `choices` strictly stronger than `mode`.
fn after(mode: Mode, choices: &[Mode]) -> Vec<Mode> {
    choices
        .iter()
        .copied()
        .filter(|&m| m != mode && m.at_least(mode))
        .collect()
}

#[test]
fn strengthening_an_ordering_never_adds_an_outcome() {
    for p in programs(3, 120, false) {
        for model in Model::ALL {
            let base = outcomes(&p, model);
            for q in strengthenings(&p) {
                let stronger = outcomes(&q, model);
                assert!(
                    stronger.is_subset(&base),
                    "{model}: {:?} appeared after strengthening\n{p:#?}\n{q:#?}",
                    stronger.difference(&base).collect::<Vec<_>>()
                );
            }
        }
    }
}

#[test]
fn renaming_threads_or_locations_changes_nothing() {
    for p in programs(4, 200, false) {
        for model in Model::ALL {
            let base = outcomes(&p, model);
            // Threads in reverse order: register variables move to the new indices.
            let mut reversed = p.clone();
            reversed.threads.reverse();
            let n = p.threads.len();
            let back: BTreeSet<_> = outcomes(&reversed, model)
                .into_iter()
                .map(|state| {
                    let mut state: Vec<_> = state
                        .into_iter()
                        .map(|(var, v)| match var {
                            Var::Reg { thread, reg } => (
                                Var::Reg {
                                    thread: n - 1 - thread,
                                    reg,
                                },
                                v,
                            ),
                            other => (other, v),
                        })
                        .collect();
                    state.sort();
                    state
                })
                .collect();
            assert_eq!(back, base, "{model}: reversing threads\n{p:#?}");
            // Locations swapped: x ↔ y, and the final values with them.
            let mut swapped = p.clone();
            for thread in &mut swapped.threads {
                for stmt in &mut thread.body {
                    if let StmtKind::Load { loc, .. }
                    | StmtKind::Store { loc, .. }
                    | StmtKind::Rmw { loc, .. } = &mut stmt.kind
                    {
                        *loc = if loc == "x" { "y".into() } else { "x".into() };
                    }
                }
            }
            let back: BTreeSet<_> = outcomes(&swapped, model)
                .into_iter()
                .map(|state| {
                    let mut state: Vec<_> = state
                        .into_iter()
                        .map(|(var, v)| match var {
                            Var::Loc(l) => (Var::Loc(if l == "x" { "y" } else { "x" }.into()), v),
                            other => (other, v),
                        })
                        .collect();
                    state.sort();
                    state
                })
                .collect();
            assert_eq!(back, base, "{model}: swapping locations\n{p:#?}");
        }
    }
}

#[test]
fn rc11_allows_no_more_than_cpp20() {
    for p in programs(5, 300, false) {
        let rc11 = outcomes(&p, Model::Rc11);
        let cpp20 = outcomes(&p, Model::Cpp20);
        assert!(rc11.is_subset(&cpp20), "{p:#?}");
    }
}

#[test]
fn the_generator_makes_programs_that_tell_the_models_apart() {
    // A property checked only on programs where it cannot fail proves nothing: make sure the
    // generated programs include weak outcomes, thin-air ones, and strengthenings that
    // remove outcomes.
    let ps = programs(6, 300, false);
    let weak = ps
        .iter()
        .filter(|p| {
            check(p, Model::Cpp20)
                .unwrap()
                .states
                .values()
                .any(|i| !i.under_sc)
        })
        .count();
    let differ = ps
        .iter()
        .filter(|p| outcomes(p, Model::Rc11) != outcomes(p, Model::Cpp20))
        .count();
    let removed = ps
        .iter()
        .take(150)
        .filter(|p| {
            let base = outcomes(p, Model::Cpp20);
            strengthenings(p)
                .iter()
                .any(|q| outcomes(q, Model::Cpp20) != base)
        })
        .count();
    assert!(weak > 30, "only {weak} of 300 programs had a weak outcome");
    assert!(differ > 0, "no program told rc11 from c++20");
    assert!(
        removed >= 3,
        "only {removed} of 150 programs (weak: {weak}) lost an outcome to strengthening"
    );
}
