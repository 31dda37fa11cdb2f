//! Execution graphs: what `model --graph` draws for an execution, and that it draws it the
//! same way every time.

mod common;

use common::*;
use model::graph::{self, Edge, Graph, Kind, file_name, from_execution, render, select};
use model::program::Mode::{self, *};
use model::{Consistent, Model, Program, consistent_executions};
use std::path::PathBuf;

/// MP+rel+acq: `a` writes x then releases y; `b` acquires y then reads x.
fn mp(write: Mode, read: Mode) -> Program {
    let mut p = program(
        "MP+rel+acq",
        vec![
            vec![store("x", 1, Relaxed), store("y", 1, write)],
            vec![load("r1", "y", read), load("r2", "x", Relaxed)],
        ],
        Some(exists(&[(reg(1, "r1"), 1), (reg(1, "r2"), 0)])),
    );
    p.threads[0].name = "a".into();
    p.threads[1].name = "b".into();
    p
}

fn executions(p: &Program) -> Vec<Consistent> {
    consistent_executions(&p.name, p, Model::Cpp20).unwrap()
}

/// The one execution ending in `state`.
fn only(p: &Program, state: &str) -> Consistent {
    let found = executions(p);
    let chosen = select(&found, Some(state)).unwrap();
    assert_eq!(chosen.len(), 1, "{state}");
    chosen[0].2.clone()
}

/// Each edge of `kind` as `from -> to`, with the events' labels.
fn edges(graph: &Graph, kind: Kind) -> Vec<String> {
    graph
        .edges
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e: &Edge| {
            format!(
                "{} -> {}",
                graph.events[e.from].label, graph.events[e.to].label
            )
        })
        .collect()
}

#[test]
fn the_synchronizing_execution_of_mp_has_its_edges() {
    let p = mp(Release, Acquire);
    let found = only(&p, "1:r1=1; 1:r2=1;");
    let graph = from_execution(&p, Model::Cpp20, &found);
    assert_eq!(
        edges(&graph, Kind::Rf),
        [
            "W x=1 Relaxed -> R x=1 Relaxed",
            "W y=1 Release -> R y=1 Acquire"
        ]
    );
    assert_eq!(edges(&graph, Kind::Sw), ["W y=1 Release -> R y=1 Acquire"]);
    assert_eq!(
        edges(&graph, Kind::Mo),
        ["W x=0 init -> W x=1 Relaxed", "W y=0 init -> W y=1 Release"]
    );
    assert!(edges(&graph, Kind::Rb).is_empty());
    // The write of x happens before the read of x: not shown by sb or sw directly.
    assert_eq!(edges(&graph, Kind::Hb), ["W x=1 Relaxed -> R x=1 Relaxed"]);
    assert!(edges(&graph, Kind::NoHb).is_empty());

    let svg = render(&graph);
    assert!(svg.contains("<title id=\"title\">MP+rel+acq under c++20: an execution ending in 1:r1=1; 1:r2=1;</title>"), "{svg}");
    for words in [
        "Initial writes: W x=0 init, W y=0 init.",
        "Thread a: a.0 W x=1 Relaxed, then a.1 W y=1 Release.",
        "Thread b: b.0 R y=1 Acquire, then b.1 R x=1 Relaxed.",
        "a.1 (W y=1 Release) synchronizes with b.0 (R y=1 Acquire).",
        "a.1 (W y=1 Release) is read by b.0 (R y=1 Acquire).",
        "a.0 (W x=1 Relaxed) happens before b.1 (R x=1 Relaxed).",
        "init x (W x=0 init) is followed in modification order by a.0 (W x=1 Relaxed).",
    ] {
        assert!(
            svg.contains(words),
            "the description lacks `{words}`:\n{svg}"
        );
    }
    for kind in [Kind::Sb, Kind::Rf, Kind::Mo, Kind::Sw, Kind::Hb] {
        assert!(svg.contains(kind.legend()), "the legend lacks {kind:?}");
    }
    assert!(svg.contains(">initial writes</text>"));
}

#[test]
fn the_weak_execution_of_relaxed_mp_reads_before_the_write_it_missed() {
    let p = mp(Relaxed, Relaxed);
    let found = only(&p, "1:r1=1; 1:r2=0;");
    let graph = from_execution(&p, Model::Cpp20, &found);
    assert!(edges(&graph, Kind::Sw).is_empty());
    assert!(edges(&graph, Kind::Hb).is_empty());
    assert_eq!(edges(&graph, Kind::Rb), ["R x=0 Relaxed -> W x=1 Relaxed"]);
    assert_eq!(edges(&graph, Kind::Rf)[0], "W x=0 init -> R x=0 Relaxed");
    let svg = render(&graph);
    assert!(svg.contains(Kind::Rb.legend()));
    assert!(svg.contains("b.1 (R x=0 Relaxed) reads a value overwritten by a.0 (W x=1 Relaxed)."));
}

#[test]
fn mo_and_rb_have_their_own_colour_and_dash_pattern() {
    let others = [Kind::Sb, Kind::Rf, Kind::Sw, Kind::Hb, Kind::NoHb];
    for new in [Kind::Mo, Kind::Rb] {
        for old in others.iter().chain(if new == Kind::Mo {
            &[Kind::Rb]
        } else {
            &[Kind::Mo]
        }) {
            assert_ne!(new.colour(), old.colour(), "{new:?} and {old:?}");
            assert_ne!(new.dash(), old.dash(), "{new:?} and {old:?}");
        }
        assert!(new.dash().is_some() && new.arrow());
    }
}

#[test]
fn spawn_and_join_edges_start_and_end_threads() {
    let mut p = program(
        "spawn-join",
        vec![
            vec![spawn(1), join(1), load("r", "data", NonAtomic)],
            vec![store("data", 1, NonAtomic), store("flag", 1, Relaxed)],
        ],
        None,
    );
    p.threads[0].name = "main".into();
    p.threads[1].name = "worker".into();
    let found = executions(&p);
    assert_eq!(found.len(), 1);
    let graph = from_execution(&p, Model::Cpp20, &found[0]);
    assert_eq!(
        edges(&graph, Kind::Sw),
        ["spawn 1 -> W data=1 na", "W flag=1 Relaxed -> join 1"]
    );
    let labels: Vec<&str> = graph
        .edges
        .iter()
        .filter(|e| e.kind == Kind::Sw)
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(labels, [graph::SPAWN_LABEL, graph::JOIN_LABEL]);
    assert_eq!(edges(&graph, Kind::Hb), ["W data=1 na -> R data=1 na"]);
    // Rows follow happens-before: the worker starts below the spawn, the join sits below
    // the worker's end.
    let row = |label: &str| graph.events.iter().find(|e| e.label == label).unwrap().row;
    assert!(row("W data=1 na") > row("spawn 1"));
    assert!(row("join 1") > row("W flag=1 Relaxed"));
}

#[test]
fn a_data_race_is_drawn_as_a_missing_edge() {
    let p = program(
        "race",
        vec![
            vec![store("d", 1, NonAtomic)],
            vec![load("r", "d", NonAtomic)],
        ],
        None,
    );
    let found = only(&p, "1:r=0; d=1;");
    let graph = from_execution(&p, Model::Cpp20, &found);
    assert_eq!(edges(&graph, Kind::NoHb), ["W d=1 na -> R d=0 na"]);
    assert!(render(&graph).contains(Kind::NoHb.legend()));
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("model-graph-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn listing(dir: &PathBuf) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&path).unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_execution_is_written_the_same_way_every_time() {
    let p = mp(Release, Acquire);
    let (one, two) = (scratch("one"), scratch("two"));
    let written = graph::write_all(&p, Model::Cpp20, None, &one).unwrap();
    assert_eq!(written, executions(&p).len());
    graph::write_all(&p, Model::Cpp20, None, &two).unwrap();
    let (first, second) = (listing(&one), listing(&two));
    assert_eq!(first, second);
    let names: Vec<&str> = first.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "MP+rel+acq-1-1.svg",
            "MP+rel+acq-2-1.svg",
            "MP+rel+acq-3-1.svg"
        ]
    );
    for (_, svg) in &first {
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
    }
    let _ = (std::fs::remove_dir_all(one), std::fs::remove_dir_all(two));
}

#[test]
fn a_state_picks_its_executions_and_an_unknown_one_lists_the_states() {
    let p = mp(Relaxed, Relaxed);
    let dir = scratch("state");
    let written = graph::write_all(&p, Model::Cpp20, Some("1:r1=1;1:r2=0"), &dir).unwrap();
    assert_eq!(written, 1);
    let files = listing(&dir);
    assert_eq!(files.len(), 1);
    assert!(files[0].1.contains("ending in 1:r1=1; 1:r2=0;"));
    let message = graph::write_all(&p, Model::Cpp20, Some("1:r1=2;"), &dir).unwrap_err();
    assert!(
        message.contains("no consistent execution ends in `1:r1=2;`"),
        "{message}"
    );
    for state in ["1:r1=0; 1:r2=0;", "1:r1=1; 1:r2=1;"] {
        assert!(message.contains(state), "{message}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn file_names_keep_the_tests_name_readable() {
    assert_eq!(file_name("MP+rel+acq", 2, 1), "MP+rel+acq-2-1.svg");
    assert_eq!(file_name("a/b c", 1, 3), "a_b_c-1-3.svg");
}

#[test]
fn numbers_print_without_noise_and_notes_wrap_at_spaces() {
    assert_eq!(graph::svg::n(12.0), "12");
    assert_eq!(graph::svg::n(12.25), "12.3");
    assert_eq!(graph::svg::n(-0.04), "0");
    assert_eq!(graph::svg::wrap("aa bb cc", 5), ["aa bb", "cc"]);
}

#[test]
fn the_rust_form_of_mp_draws_its_synchronizing_execution() {
    let text = "\
litmus MP+rel+acq
thread a {
    x.store(1, Relaxed);
    y.store(1, Release);
}
thread b {
    let r1 = y.load(Acquire);
    let r2 = x.load(Relaxed);
}
exists (b.r1 == 1 && b.r2 == 0)
";
    let p = model::parse("mp.litmus", text).unwrap();
    let dir = scratch("rust-form");
    let written = graph::write_all(&p, Model::Cpp20, Some("1:r1=1; 1:r2=1;"), &dir).unwrap();
    assert_eq!(written, 1);
    let files = listing(&dir);
    let (name, svg) = &files[0];
    assert_eq!(name, "MP+rel+acq-3-1.svg");
    for words in [
        "a.1 (W y=1 Release) synchronizes with b.0 (R y=1 Acquire).",
        "a.0 (W x=1 Relaxed) happens before b.1 (R x=1 Relaxed).",
    ] {
        assert!(svg.contains(words), "lacks `{words}`:\n{svg}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
