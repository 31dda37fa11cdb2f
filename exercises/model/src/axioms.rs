//! The model: RC11 (Lahav, Vafeiadis, Kang, Hur, Dreyer, *Repairing Sequential Consistency in
//! C/C++11*, PLDI 2017, §3 and Fig. 5; herdtools7's `rc11.cat`), written as its named relations
//! and axioms so that each line reads like its definition in the paper. C++20 took its SC
//! axiom through P0668 and changed release sequences through P0982; [`Model`] selects between
//! the standard as written and RC11 as published.
//!
//! Notation: `[S]` is the identity on the set S, `;` composition, `?` reflexive closure, `+`
//! and `*` transitive and reflexive-transitive closure, `⁻¹` inverse.

use crate::execution::Execution;
use crate::program::Mode;
use crate::relation::{Rel, Set};
use crate::verdict::Model;

/// The relations an execution derives, kept for the graphs and for race reports.
#[derive(Clone, Debug)]
pub struct Relations {
    pub sb: Rel,
    pub rf: Rel,
    pub mo: Rel,
    pub rmw: Rel,
    /// From-read (reads-before): `rf⁻¹ ; mo`, without identity.
    pub rb: Rel,
    /// Extended coherence order: `(rf ∪ mo ∪ rb)⁺`.
    pub eco: Rel,
    /// Release sequences.
    pub rs: Rel,
    /// Synchronizes-with.
    pub sw: Rel,
    /// Happens-before: `(sb ∪ sw)⁺`.
    pub hb: Rel,
    /// The partial SC order that must be acyclic.
    pub psc: Rel,
}

/// An axiom an execution can break.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axiom {
    /// `irreflexive(hb ; eco?)`: happens-before agrees with every location's coherence.
    Coherence,
    /// `irreflexive(rmw ; eco)`: no read-modify-write reads its own write or a later one.
    CoherenceRmw,
    /// `rmw ∩ (rb ; mo) = ∅`: no write comes between an RMW's read and its write.
    Atomicity,
    /// `acyclic(psc)`: the SeqCst events fit in one total order.
    Sc,
    /// `acyclic(sb ∪ rf)`: RC11's no-thin-air axiom (not in C++20).
    NoThinAir,
}

impl Axiom {
    pub fn name(self) -> &'static str {
        match self {
            Axiom::Coherence => "coherence",
            Axiom::CoherenceRmw => "coherence-rmw",
            Axiom::Atomicity => "atomicity",
            Axiom::Sc => "sc",
            Axiom::NoThinAir => "no-thin-air",
        }
    }
}

/// Derives every relation of `x` under `model`.
pub fn relations(x: &Execution, model: Model) -> Relations {
    let n = x.len();
    let id = |set: Set| Rel::id(n, set);
    let (sb, rf, mo, rmw) = (x.sb, x.rf, x.mo, x.rmw);
    let (w, f) = (id(x.writes()), id(x.fences()));
    let atomic = x.at_least(Mode::Relaxed);

    // rb ≜ (rf⁻¹ ; mo) \ id
    let rb = rf.inverse().seq(&mo).minus(&Rel::id(n, Set::all(n)));
    // eco ≜ (rf ∪ mo ∪ rb)⁺
    let eco = rf.union(&mo).union(&rb).plus();

    // rs ≜ [W] ; (sb ∩ loc)? ; [W⊒rlx] ; (rf ; rmw)*     (C++11, RC11 as published)
    // rs ≜ [W⊒rlx] ; (rf ; rmw)*                         (C++20: P0982 dropped the sb part)
    let continued = rf.seq(&rmw).star();
    let rs = match model {
        Model::Rc11 => w
            .seq(&sb.inter(&x.same_loc()).opt())
            .seq(&id(x.writes().inter(atomic)))
            .seq(&continued),
        Model::Cpp20 => id(x.writes().inter(atomic)).seq(&continued),
    };

    // sw ≜ [E⊒rel] ; ([F] ; sb)? ; rs ; rf ; [R⊒rlx] ; (sb ; [F])? ; [E⊒acq]
    //      ∪ spawn → the spawned thread's events ∪ a joined thread's events → the join
    let sw = id(x.at_least(Mode::Release))
        .seq(&f.seq(&sb).opt())
        .seq(&rs)
        .seq(&rf)
        .seq(&id(x.reads().inter(atomic)))
        .seq(&sb.seq(&f).opt())
        .seq(&id(x.at_least(Mode::Acquire)))
        .union(&x.threads);

    // hb ≜ (sb ∪ sw)⁺
    let hb = sb.union(&sw).plus();

    // scb ≜ sb ∪ sb≠loc ; hb ; sb≠loc ∪ hb|loc ∪ mo ∪ rb
    let loc = x.same_loc();
    let sb_other_loc = sb.minus(&loc);
    let scb = sb
        .union(&sb_other_loc.seq(&hb).seq(&sb_other_loc))
        .union(&hb.inter(&loc))
        .union(&mo)
        .union(&rb);
    // psc_base ≜ ([E^sc] ∪ [F^sc] ; hb?) ; scb ; ([E^sc] ∪ hb? ; [F^sc])
    let sc = id(x.sc());
    let sc_fences = id(x.sc().inter(x.fences()));
    let psc_base = sc
        .union(&sc_fences.seq(&hb.opt()))
        .seq(&scb)
        .seq(&sc.union(&hb.opt().seq(&sc_fences)));
    // psc_F ≜ [F^sc] ; (hb ∪ hb ; eco ; hb) ; [F^sc]
    let psc_f = sc_fences
        .seq(&hb.union(&hb.seq(&eco).seq(&hb)))
        .seq(&sc_fences);
    // psc ≜ psc_base ∪ psc_F
    let psc = psc_base.union(&psc_f);

    Relations {
        sb,
        rf,
        mo,
        rmw,
        rb,
        eco,
        rs,
        sw,
        hb,
        psc,
    }
}

/// The axioms `model` requires that `rel` breaks, in the order above (empty: consistent).
pub fn violated(rel: &Relations, model: Model) -> Vec<Axiom> {
    let mut broken = Vec::new();
    // irreflexive(hb ; eco?)
    if !rel.hb.seq(&rel.eco.opt()).is_irreflexive() {
        broken.push(Axiom::Coherence);
    }
    // irreflexive(rmw ; eco)
    if !rel.rmw.seq(&rel.eco).is_irreflexive() {
        broken.push(Axiom::CoherenceRmw);
    }
    // rmw ∩ (rb ; mo) = ∅
    if !rel.rmw.inter(&rel.rb.seq(&rel.mo)).is_empty() {
        broken.push(Axiom::Atomicity);
    }
    // acyclic(psc)
    if !rel.psc.is_acyclic() {
        broken.push(Axiom::Sc);
    }
    // acyclic(sb ∪ rf), RC11 only
    if model == Model::Rc11 && !thin_air_free(rel) {
        broken.push(Axiom::NoThinAir);
    }
    broken
}

/// `acyclic(sb ∪ rf)`: no load reads from a store that depends, through program order and
/// reads-from, on the load itself. Under C++20 an execution may break it (load buffering).
pub fn thin_air_free(rel: &Relations) -> bool {
    rel.sb.union(&rel.rf).is_acyclic()
}

/// `dr ≜ (cnf ∩ ext) \ (hb ∪ hb⁻¹ ∪ A × A)`, where `cnf` pairs accesses to one location, at
/// least one a write, neither an initial write: conflicting accesses of two threads, not
/// both atomic, that happens-before does not order. Each pair is reported once.
pub fn data_races(x: &Execution, rel: &Relations) -> Vec<(usize, usize)> {
    let n = x.len();
    let accesses = x.reads().union(x.writes()).minus(x.init());
    let writes = x.writes().minus(x.init());
    let cnf = Rel::product(n, writes, accesses)
        .union(&Rel::product(n, accesses, writes))
        .inter(&x.same_loc());
    let atomic = x.at_least(Mode::Relaxed);
    let dr = cnf
        .inter(&x.ext())
        .minus(&rel.hb)
        .minus(&rel.hb.inverse())
        .minus(&Rel::product(n, atomic, atomic));
    dr.pairs().filter(|(a, b)| a < b).collect()
}
