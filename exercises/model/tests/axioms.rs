//! The checker on the classic shapes, built without the parser: the verdicts every memory
//! model text agrees on.

mod common;

use common::*;
use model::program::Mode::{self, *};
use model::{Model, check};

fn sb(a: Mode, b: Mode) -> model::Program {
    program(
        "SB",
        vec![
            vec![store("x", 1, a), load("r0", "y", b)],
            vec![store("y", 1, a), load("r0", "x", b)],
        ],
        Some(exists(&[(reg(0, "r0"), 0), (reg(1, "r0"), 0)])),
    )
}

fn allowed(p: &model::Program, model: Model) -> bool {
    check(p, model).unwrap().allowed()
}

#[test]
fn store_buffering() {
    assert!(allowed(&sb(Relaxed, Relaxed), Model::Cpp20));
    assert!(allowed(&sb(Release, Acquire), Model::Cpp20));
    assert!(!allowed(&sb(SeqCst, SeqCst), Model::Cpp20));
    let v = check(&sb(Relaxed, Relaxed), Model::Cpp20).unwrap();
    assert_eq!(
        v.states.len(),
        4,
        "{:?}",
        v.states.keys().collect::<Vec<_>>()
    );
    let weak: Vec<_> = v.states.iter().filter(|(_, i)| !i.under_sc).collect();
    assert_eq!(weak.len(), 1);
}

#[test]
fn store_buffering_with_seqcst_fences() {
    let p = program(
        "SB+fences",
        vec![
            vec![
                store("x", 1, Relaxed),
                fence(SeqCst),
                load("r0", "y", Relaxed),
            ],
            vec![
                store("y", 1, Relaxed),
                fence(SeqCst),
                load("r0", "x", Relaxed),
            ],
        ],
        Some(exists(&[(reg(0, "r0"), 0), (reg(1, "r0"), 0)])),
    );
    assert!(!allowed(&p, Model::Cpp20));
}

#[test]
fn message_passing() {
    let mp = |w: Mode, r: Mode| {
        program(
            "MP",
            vec![
                vec![store("x", 1, Relaxed), store("y", 1, w)],
                vec![load("r0", "y", r), load("r1", "x", Relaxed)],
            ],
            Some(exists(&[(reg(1, "r0"), 1), (reg(1, "r1"), 0)])),
        )
    };
    assert!(allowed(&mp(Relaxed, Relaxed), Model::Cpp20));
    assert!(allowed(&mp(Release, Relaxed), Model::Cpp20));
    assert!(allowed(&mp(Relaxed, Acquire), Model::Cpp20));
    assert!(!allowed(&mp(Release, Acquire), Model::Cpp20));
}

#[test]
fn load_buffering_is_where_the_models_differ() {
    let lb = program(
        "LB",
        vec![
            vec![load("r0", "x", Relaxed), store("y", 1, Relaxed)],
            vec![load("r0", "y", Relaxed), store("x", 1, Relaxed)],
        ],
        Some(exists(&[(reg(0, "r0"), 1), (reg(1, "r0"), 1)])),
    );
    let cpp = check(&lb, Model::Cpp20).unwrap();
    assert!(cpp.allowed());
    let (_, info) = cpp.witnesses().next().unwrap();
    assert!(info.thin_air && !info.under_sc);
    assert!(!allowed(&lb, Model::Rc11));
}

#[test]
fn out_of_thin_air_values_are_not_invented() {
    let oota = program(
        "LB+data",
        vec![
            vec![load("r0", "x", Relaxed), store_reg("y", "r0", Relaxed)],
            vec![load("r0", "y", Relaxed), store_reg("x", "r0", Relaxed)],
        ],
        None,
    );
    let v = check(&oota, Model::Cpp20).unwrap();
    assert_eq!(v.states.len(), 1);
    assert!(v.undetermined > 0);
}

#[test]
fn rmw_atomicity() {
    let p = program(
        "2xINC",
        vec![
            vec![fetch_add("r0", "x", 1, Relaxed)],
            vec![fetch_add("r0", "x", 1, Relaxed)],
        ],
        Some(exists(&[(model::program::Var::Loc("x".into()), 1)])),
    );
    assert!(!allowed(&p, Model::Cpp20));
    let v = check(&p, Model::Cpp20).unwrap();
    assert_eq!(v.consistent, 2);
}

#[test]
fn cas_mutual_exclusion() {
    let p = program(
        "CAS",
        vec![
            vec![cas("r0", "x", 0, 1, Relaxed, Relaxed)],
            vec![cas("r0", "x", 0, 2, Relaxed, Relaxed)],
        ],
        Some(exists(&[(reg(0, "r0"), 0), (reg(1, "r0"), 0)])),
    );
    assert!(!allowed(&p, Model::Cpp20));
}

#[test]
fn iriw() {
    let iriw = |w: Mode, r: Mode| {
        program(
            "IRIW",
            vec![
                vec![store("x", 1, w)],
                vec![store("y", 1, w)],
                vec![load("r0", "x", r), load("r1", "y", r)],
                vec![load("r0", "y", r), load("r1", "x", r)],
            ],
            Some(exists(&[
                (reg(2, "r0"), 1),
                (reg(2, "r1"), 0),
                (reg(3, "r0"), 1),
                (reg(3, "r1"), 0),
            ])),
        )
    };
    assert!(allowed(&iriw(Relaxed, Relaxed), Model::Cpp20));
    assert!(allowed(&iriw(Release, Acquire), Model::Cpp20));
    assert!(!allowed(&iriw(SeqCst, SeqCst), Model::Cpp20));
}

#[test]
fn the_join_hands_over_a_plain_write_and_the_spawn_hands_over_what_came_before() {
    use model::program::Mode::NonAtomic;
    // Main writes `d` plainly, spawns the worker, which reads it; the worker writes `r`
    // plainly, main joins it and reads `r`. Race-free, and only the handed-over values.
    let joined = program(
        "spawn-join",
        vec![
            vec![
                store("d", 1, NonAtomic),
                spawn(1),
                join(1),
                load("r0", "r", NonAtomic),
            ],
            vec![load("r0", "d", NonAtomic), store("r", 1, NonAtomic)],
        ],
        None,
    );
    let v = check(&joined, Model::Cpp20).unwrap();
    assert!(v.races.is_empty(), "{:?}", v.races);
    assert_eq!(
        v.states.len(),
        1,
        "{:?}",
        v.states.keys().collect::<Vec<_>>()
    );
    // Without the join, main's read of `r` races with the worker's write.
    let unjoined = program(
        "spawn",
        vec![
            vec![
                store("d", 1, NonAtomic),
                spawn(1),
                load("r0", "r", NonAtomic),
            ],
            vec![load("r0", "d", NonAtomic), store("r", 1, NonAtomic)],
        ],
        None,
    );
    let v = check(&unjoined, Model::Cpp20).unwrap();
    assert_eq!(v.races.len(), 1, "{:?}", v.races);
}
