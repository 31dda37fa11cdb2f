//! What the checker concludes about a program: its final states, how each comes about, and
//! the answer to its question, in the terms herd7 prints.

use crate::axioms::{self, Axiom, Relations};
use crate::error::{Error, Span};
use crate::execution::Execution;
use crate::program::{Program, Prop, Quantifier, Value, Var};
use crate::{candidates, sc};
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;
use std::time::{Duration, Instant};

/// Which axioms an execution must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Model {
    /// C++20 as written: RC11's coherence, atomicity and SC axioms, release sequences as
    /// P0982 left them (only read-modify-writes continue one), and no no-thin-air axiom.
    Cpp20,
    /// RC11 as published: C++11's release sequences (later same-thread stores continue one
    /// too) and the no-thin-air axiom `acyclic(sb ∪ rf)`.
    Rc11,
}

impl Model {
    /// Both models, the default first.
    pub const ALL: [Model; 2] = [Model::Cpp20, Model::Rc11];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Model::Cpp20 => "c++20",
            Model::Rc11 => "rc11",
        }
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Model {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Model::ALL
            .into_iter()
            .find(|model| model.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<_> = Model::ALL.iter().map(|m| m.name()).collect();
                format!("unknown model `{s}`: the models are {}", names.join(", "))
            })
    }
}

/// One final state: the value of each observed variable, in a fixed order.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct State(pub Vec<(Var, Value)>);

impl State {
    /// The value of `var` in this state, if it is observed.
    pub fn get(&self, var: &Var) -> Option<Value> {
        self.0
            .iter()
            .find(|(v, _)| v == var)
            .map(|(_, value)| *value)
    }
}

impl fmt::Display for State {
    /// herd7's form: `0:r0=1; 1:r0=0; x=2;`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (var, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            match var {
                Var::Reg { thread, reg } => write!(f, "{thread}:{reg}={value};")?,
                Var::Loc(loc) => write!(f, "{loc}={value};")?,
            }
        }
        Ok(())
    }
}

/// How a final state comes about.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StateInfo {
    /// Consistent executions that end in this state.
    pub executions: u64,
    /// Some interleaving of the threads (sequential consistency) ends in it. When false, the
    /// state needs weak memory.
    pub under_sc: bool,
    /// Every consistent execution ending in it has a cycle in `sb ∪ rf`: the load-buffering
    /// shape that RC11's no-thin-air axiom forbids. Always false under [`Model::Rc11`].
    pub thin_air: bool,
    /// Some consistent execution ending in it has a data race.
    pub racy: bool,
    /// It satisfies the program's condition (true when there is none).
    pub satisfies: bool,
}

/// One access of a data race, as the source wrote it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Access {
    /// The thread's index.
    pub thread: usize,
    /// Where the statement is.
    pub span: Span,
    /// `W x=1 na`, `R x=0 Relaxed`.
    pub text: String,
}

/// Two conflicting accesses, at least one of them plain, that no happens-before edge orders.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Race {
    pub first: Access,
    pub second: Access,
}

impl fmt::Display for Race {
    /// `thread 0 (3:5) W d=1 na ~ thread 1 (8:5) R d=0 na`: line and column in the thread's
    /// source, the litmus file or the Rust file a `thread t = fn f in "…"` body comes from.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let side = |a: &Access| {
            format!(
                "thread {} ({}:{}) {}",
                a.thread, a.span.line, a.span.column, a.text
            )
        };
        write!(f, "{} ~ {}", side(&self.first), side(&self.second))
    }
}

/// herd7's summary of the question: did the condition hold in no, some, or every execution?
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Observation {
    Never,
    Sometimes,
    Always,
}

impl fmt::Display for Observation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Observation::Never => "Never",
            Observation::Sometimes => "Sometimes",
            Observation::Always => "Always",
        })
    }
}

/// Everything the checker found for one program under one model.
#[derive(Clone, Debug)]
pub struct Verdict {
    pub name: String,
    pub model: Model,
    /// The question's kind, if the program asks one.
    pub quantifier: Option<Quantifier>,
    /// Every final state some consistent execution ends in.
    pub states: BTreeMap<State, StateInfo>,
    /// Candidate executions built (every reads-from and modification-order choice that
    /// matches the values read).
    pub candidates: u64,
    /// Of those, the ones the model's axioms accept.
    pub consistent: u64,
    /// Reads-from choices dropped because a cycle of data dependencies left their values
    /// undetermined: the checker never invents an out-of-thin-air value.
    pub undetermined: u64,
    /// Consistent executions whose final state satisfies the condition, and those that do
    /// not (herd7's "Witnesses Positive/Negative").
    pub positive: u64,
    pub negative: u64,
    /// Every distinct racy pair found in a consistent execution.
    pub races: Vec<Race>,
    /// Every final state that some candidate execution ends in but no consistent one does,
    /// with the axioms the first such candidate breaks: the states the model forbids.
    pub forbidden: BTreeMap<State, Vec<Axiom>>,
    /// How long the check took (zero where the platform has no clock: WebAssembly in a
    /// browser, where `Instant::now` panics).
    pub elapsed: Duration,
}

impl Verdict {
    /// herd7's Never / Sometimes / Always.
    pub fn observation(&self) -> Observation {
        match (self.positive, self.negative) {
            (0, _) => Observation::Never,
            (_, 0) => Observation::Always,
            _ => Observation::Sometimes,
        }
    }

    /// herd7's `Ok` / `No`: whether the condition, with its quantifier, holds.
    pub fn ok(&self) -> bool {
        match self.quantifier {
            Some(Quantifier::Exists) | None => self.positive > 0,
            Some(Quantifier::NotExists) => self.positive == 0,
            Some(Quantifier::Forall) => self.negative == 0,
        }
    }

    /// Whether some consistent execution ends in a state satisfying the condition: the book's
    /// "allowed".
    pub fn allowed(&self) -> bool {
        self.positive > 0
    }

    /// The states that satisfy the condition.
    pub fn witnesses(&self) -> impl Iterator<Item = (&State, &StateInfo)> {
        self.states.iter().filter(|(_, info)| info.satisfies)
    }
}

/// Every consistent execution of `program` under `model`, summarised. `file` names the
/// program in error messages.
pub fn check(program: &Program, model: Model) -> Result<Verdict, Error> {
    check_file(&program.name, program, model)
}

/// [`check`], naming `file` in error messages.
pub fn check_file(file: &str, program: &Program, model: Model) -> Result<Verdict, Error> {
    let started = now();
    let observed = observed_vars(program);
    let under_sc = sc::outcomes(program, &observed);
    let mut verdict = Verdict {
        name: program.name.clone(),
        model,
        quantifier: program.condition.as_ref().map(|c| c.quantifier),
        states: BTreeMap::new(),
        candidates: 0,
        consistent: 0,
        undetermined: 0,
        positive: 0,
        negative: 0,
        races: Vec::new(),
        forbidden: BTreeMap::new(),
        elapsed: Duration::ZERO,
    };
    let prop = program.condition.as_ref().map(|c| &c.prop);
    // Rejected candidates by their values only: there are many, and a State per candidate
    // would clone every variable's name.
    let mut rejected: BTreeMap<Vec<Value>, Vec<Axiom>> = BTreeMap::new();
    let counts = for_each_candidate(file, program, model, &observed, |x, rel, values, broken| {
        if !broken.is_empty() {
            if !rejected.contains_key(values) {
                rejected.insert(values.to_vec(), broken.to_vec());
            }
            return;
        }
        verdict.consistent += 1;
        let races = axioms::data_races(x, rel);
        for &(a, b) in &races {
            let race = Race {
                first: access(x, a),
                second: access(x, b),
            };
            // One report per pair of statements, whatever values this execution has.
            let site = |r: &Race| (r.first.thread, r.first.span, r.second.thread, r.second.span);
            if !verdict.races.iter().any(|r| site(r) == site(&race)) {
                verdict.races.push(race);
            }
        }
        let holds = prop.is_none_or(|p| eval_prop(p, &observed, values));
        if holds {
            verdict.positive += 1;
        } else {
            verdict.negative += 1;
        }
        let thin_air = !axioms::thin_air_free(rel);
        let sc_reachable = under_sc.contains(values);
        let state = State(
            observed
                .iter()
                .cloned()
                .zip(values.iter().copied())
                .collect(),
        );
        let info = verdict.states.entry(state).or_insert(StateInfo {
            executions: 0,
            under_sc: sc_reachable,
            thin_air: true,
            racy: false,
            satisfies: holds,
        });
        info.executions += 1;
        info.thin_air &= thin_air;
        info.racy |= !races.is_empty();
    })?;
    verdict.candidates = counts.candidates;
    verdict.undetermined = counts.undetermined;
    verdict.races.sort();
    for (values, axioms) in rejected {
        let state = State(observed.iter().cloned().zip(values).collect());
        if !verdict.states.contains_key(&state) {
            verdict.forbidden.insert(state, axioms);
        }
    }
    verdict.elapsed = started.map_or(Duration::ZERO, |t| t.elapsed());
    Ok(verdict)
}

/// Reads the litmus file at `path` and checks it under `model`: what a test of a book program
/// calls. Errors carry `file:line:column`, the file named as `path` shows it.
pub fn check_path(path: &std::path::Path, model: Model) -> Result<Verdict, Error> {
    let program = crate::parse_file(path)?;
    check_file(&path.display().to_string(), &program, model)
}

/// The clock, where there is one: `wasm32-unknown-unknown` has none (`Instant::now` panics).
fn now() -> Option<Instant> {
    (!cfg!(all(target_arch = "wasm32", target_os = "unknown"))).then(Instant::now)
}

/// Calls `visit` with every candidate execution, its relations, the value of each of
/// `observed` at its end, and the axioms of `model` it breaks (none: it is consistent).
fn for_each_candidate(
    file: &str,
    program: &Program,
    model: Model,
    observed: &[Var],
    mut visit: impl FnMut(&Execution, &Relations, &[Value], &[Axiom]),
) -> Result<candidates::Counts, Error> {
    candidates::enumerate(file, program, |candidate| {
        let x = candidate.execution;
        let rel = axioms::relations(x, model);
        let broken = axioms::violated(&rel, model);
        let values: Vec<Value> = observed
            .iter()
            .map(|var| match var {
                Var::Reg { thread, reg } => {
                    candidate.registers[*thread].get(reg).copied().unwrap_or(0)
                }
                Var::Loc(loc) => {
                    let l = x
                        .locs
                        .iter()
                        .position(|name| name == loc)
                        .expect("a location");
                    x.events[x.final_write(l)].value
                }
            })
            .collect();
        visit(x, &rel, &values, &broken);
    })
}

/// One execution the model accepts, with what it derives and the state it ends in.
#[derive(Clone, Debug)]
pub struct Consistent {
    pub execution: Execution,
    pub relations: Relations,
    pub state: State,
}

/// Every execution of `program` that `model` accepts (for graphs and edge checks; the
/// summary is [`check`]).
pub fn consistent_executions(
    file: &str,
    program: &Program,
    model: Model,
) -> Result<Vec<Consistent>, Error> {
    let observed = observed_vars(program);
    let mut out = Vec::new();
    for_each_candidate(file, program, model, &observed, |x, rel, values, broken| {
        if !broken.is_empty() {
            return;
        }
        out.push(Consistent {
            execution: x.clone(),
            relations: rel.clone(),
            state: State(
                observed
                    .iter()
                    .cloned()
                    .zip(values.iter().copied())
                    .collect(),
            ),
        });
    })?;
    Ok(out)
}

fn access(x: &Execution, e: usize) -> Access {
    Access {
        thread: x.events[e].thread.unwrap_or(0),
        span: x.events[e].span,
        text: x.describe(e),
    }
}

/// The variables each final state shows: the condition's and the `observed` ones, sorted;
/// every register and location when the program names none.
pub fn observed_vars(program: &Program) -> Vec<Var> {
    let mut vars = program.observed.clone();
    if let Some(condition) = &program.condition {
        prop_vars(&condition.prop, &mut vars);
    }
    if vars.is_empty() {
        for (thread, t) in program.threads.iter().enumerate() {
            vars.extend(
                t.registers()
                    .into_iter()
                    .map(|reg| Var::Reg { thread, reg }),
            );
        }
        vars.extend(candidates::locations(program).into_iter().map(Var::Loc));
    }
    vars.sort();
    vars.dedup();
    vars
}

/// Every variable `prop` names, in order of appearance.
pub fn prop_vars(prop: &Prop, out: &mut Vec<Var>) {
    match prop {
        Prop::True => {}
        Prop::Eq(var, _) => out.push(var.clone()),
        Prop::Not(p) => prop_vars(p, out),
        Prop::And(a, b) | Prop::Or(a, b) => {
            prop_vars(a, out);
            prop_vars(b, out);
        }
    }
}

/// Whether `prop` holds when each of `vars` has the value at the same index in `values`.
pub fn eval_prop(prop: &Prop, vars: &[Var], values: &[Value]) -> bool {
    match prop {
        Prop::True => true,
        Prop::Eq(var, v) => vars
            .iter()
            .position(|x| x == var)
            .is_some_and(|i| values[i] == *v),
        Prop::Not(p) => !eval_prop(p, vars, values),
        Prop::And(a, b) => eval_prop(a, vars, values) && eval_prop(b, vars, values),
        Prop::Or(a, b) => eval_prop(a, vars, values) || eval_prop(b, vars, values),
    }
}
