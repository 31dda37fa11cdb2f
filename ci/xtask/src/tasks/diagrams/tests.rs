use super::check::{self, stated_value};
use super::spec::{self, At, Draws, MAX_LABEL, Spec, tokenize};
use model::Span;
use model::graph::{Kind, render};
use model::program::{Expr, Mode, Program, Stmt, StmtKind, Thread};

const SPEC: &str = r#"
    # message passing
    title "MP"
    desc "Two threads hand over a payload."
    program "mp.litmus"
    thread a "thread A"
    thread b "thread B"
    event w a 0 "data = 1" = a.0
    event s a 1 "flag.store(1, Release)" = a.1
    event l b 1 "flag.load(Acquire) -> 1" = b.0
    event r b 2 "read data → 1" = 1.1
    edge rf s l
    edge sw s l
    edge hb w r "hb" at=0.3
    note "A note & <escapes>."
"#;

fn parse(spec: &str) -> Spec {
    spec::parse(spec).unwrap()
}

fn error(spec: &str) -> String {
    spec::parse(spec).unwrap_err()
}

#[test]
fn a_spec_renders_with_title_desc_every_event_and_a_legend() {
    let svg = render(&parse(SPEC).graph);
    assert!(svg.contains("<title id=\"title\">MP</title>"), "{svg}");
    assert!(svg.contains("<desc id=\"desc\">Two threads hand over a payload.</desc>"));
    assert!(svg.contains("flag.load(Acquire) -&gt; 1"));
    assert!(svg.contains("A note &amp; &lt;escapes&gt;."));
    assert!(svg.contains("<!-- Drawn from the .hb file of the same name. -->"));
    for kind in [Kind::Sb, Kind::Rf, Kind::Sw, Kind::Hb] {
        assert!(svg.contains(kind.legend()), "legend lacks {kind:?}");
    }
    // Not used, so not in the legend.
    assert!(!svg.contains(Kind::NoHb.legend()));
    // Two sequenced-before edges, one per thread, drawn without being written.
    let sb = format!("stroke=\"{}\"", Kind::Sb.colour());
    assert_eq!(
        svg.matches(&sb).count(),
        2 + 1,
        "two edges and the legend sample"
    );
}

#[test]
fn rendering_is_deterministic() {
    assert_eq!(render(&parse(SPEC).graph), render(&parse(SPEC).graph));
}

#[test]
fn the_program_and_each_event_it_draws_are_read() {
    let spec = parse(SPEC);
    assert_eq!(spec.program, Some(("mp.litmus".to_owned(), 5)));
    let draws: Vec<_> = spec
        .events
        .iter()
        .map(|e| e.draws.clone().unwrap())
        .collect();
    assert_eq!(
        draws[0],
        Draws {
            thread: "a".into(),
            at: At::Event(0)
        }
    );
    assert_eq!(draws[3].to_string(), "1.1");
    let joined = parse(&SPEC.replace("= 1.1", "=1.1"));
    assert_eq!(joined.events[3].draws.as_ref().unwrap().to_string(), "1.1");
    let end = parse(&SPEC.replace("= 1.1", "= b.end"));
    assert_eq!(end.events[3].draws.as_ref().unwrap().at, At::End);
    assert!(error(&SPEC.replace("= a.0", "= a")).contains("`T.K`"));
    assert!(error(&SPEC.replace("= a.0", "= a.x")).contains("`T.K`"));
    assert!(error(&format!("{SPEC}\nprogram \"other.litmus\"")).contains("given twice"));
}

#[test]
fn an_unknown_edge_kind_is_named_with_its_line() {
    let message = error(&SPEC.replace("edge rf s l", "edge po s l"));
    assert!(
        message.starts_with("12: unknown edge kind `po`"),
        "{message}"
    );
    assert!(message.contains("rf, mo, rb, sw, hb, nohb"), "{message}");
}

#[test]
fn a_written_sequenced_before_edge_is_refused() {
    let message = error(&SPEC.replace("edge rf s l", "edge sb w s"));
    assert!(
        message.contains("drawn between consecutive events"),
        "{message}"
    );
}

#[test]
fn an_event_on_an_undeclared_thread_is_an_error() {
    let message = error(&SPEC.replace("event l b 1", "event l c 1"));
    assert!(
        message.starts_with("10: event `l` is on thread `c`"),
        "{message}"
    );
    assert!(message.contains("declared: a, b"), "{message}");
}

#[test]
fn an_edge_to_an_undeclared_event_is_an_error() {
    let message = error(&SPEC.replace("edge sw s l", "edge sw s x"));
    assert!(
        message.contains("event `x`, which is not declared"),
        "{message}"
    );
}

#[test]
fn events_must_go_down_their_thread() {
    let message = error(&SPEC.replace("event s a 1", "event s a 0"));
    assert!(message.contains("must sit below"), "{message}");
}

#[test]
fn a_label_too_long_for_its_box_is_refused() {
    let long = "x".repeat(MAX_LABEL + 1);
    let message = error(&SPEC.replace("data = 1", &long));
    assert!(message.contains("keep it to"), "{message}");
}

#[test]
fn a_spec_without_a_desc_is_refused() {
    let message = error(&SPEC.replace("desc \"Two threads hand over a payload.\"", ""));
    assert!(
        message.contains("needs a `title` and a `desc`"),
        "{message}"
    );
}

#[test]
fn bad_options_and_statements_are_errors() {
    assert!(error(&SPEC.replace("at=0.3", "at=2")).contains("from 0.05 to 0.95"));
    assert!(error(&SPEC.replace("at=0.3", "bend=far")).contains("number of pixels"));
    assert!(error(&format!("{SPEC}\nnode x")).contains("unknown statement `node`"));
    assert!(error("title \"open").contains("not closed"));
}

#[test]
fn words_and_quoted_texts_split_and_comments_end_a_line() {
    let tokens = tokenize(r#"event w a 0 "say \"hi\"" # the rest is ignored"#).unwrap();
    assert_eq!(tokens, ["event", "w", "a", "0", "say \"hi\""]);
}

#[test]
fn a_label_states_a_value_after_its_last_arrow_or_equals_sign() {
    assert_eq!(stated_value("read payload → 42"), Some(42));
    assert_eq!(stated_value("write data = 42"), Some(42));
    assert_eq!(stated_value("ready.load(Acquire) → true"), Some(1));
    assert_eq!(stated_value("stop.load(Relaxed) → false"), Some(0));
    assert_eq!(stated_value("first → 1 (must be)"), Some(1));
    assert_eq!(stated_value("done.fetch_add(1, Release) 0→1"), Some(1));
    assert_eq!(stated_value("read payload → ?"), None);
    assert_eq!(stated_value("CAS head 0 → 1, Release"), None);
    assert_eq!(stated_value("ready.store(true, Release)"), None);
    assert_eq!(stated_value("node0 = {10, next: NIL}"), None);
}

// ---------------------------------------------------------------------------------------------
// The check against the model, on programs built without the parser.

fn stmt(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::new(1, 1),
    }
}

fn store(loc: &str, value: i64, mode: Mode) -> Stmt {
    stmt(StmtKind::Store {
        loc: loc.into(),
        value: Expr::Const(value),
        mode,
    })
}

fn load(reg: &str, loc: &str, mode: Mode) -> Stmt {
    stmt(StmtKind::Load {
        reg: reg.into(),
        loc: loc.into(),
        mode,
    })
}

fn program(threads: Vec<(&str, Vec<Stmt>)>) -> Program {
    Program {
        name: "test".into(),
        init: Default::default(),
        threads: threads
            .into_iter()
            .map(|(name, body)| Thread {
                name: name.into(),
                body,
            })
            .collect(),
        condition: None,
        observed: Vec::new(),
    }
}

/// Message passing with a plain payload; `flag` written with `write` and read with `read`.
fn mp(write: Mode, read: Mode) -> Program {
    program(vec![
        (
            "a",
            vec![store("data", 1, Mode::NonAtomic), store("flag", 1, write)],
        ),
        (
            "b",
            vec![load("f", "flag", read), load("d", "data", Mode::NonAtomic)],
        ),
    ])
}

fn check(spec: &str, program: &Program) -> Result<(), String> {
    check::check(&parse(spec), "mp.hb", program, "mp.litmus")
}

#[test]
fn a_graph_some_execution_has_passes() {
    check(SPEC, &mp(Mode::Release, Mode::Acquire)).unwrap();
}

#[test]
fn a_missing_sw_edge_is_named_with_the_spec_and_its_line() {
    let message = check(SPEC, &mp(Mode::Relaxed, Mode::Acquire)).unwrap_err();
    assert!(
        message.starts_with("mp.hb: no consistent execution of mp.litmus"),
        "{message}"
    );
    assert!(
        message.contains("mp.hb:13: `edge sw s l` does not hold"),
        "{message}"
    );
    assert!(message.contains("does not synchronize with"), "{message}");
    assert!(
        message.contains("mp.hb:14: `edge hb w r` does not hold"),
        "{message}"
    );
}

#[test]
fn a_nohb_line_fails_when_happens_before_orders_the_pair() {
    let racy = SPEC
        .replace("edge sw s l\n", "")
        .replace("edge hb w r \"hb\" at=0.3", "edge nohb w r")
        .replace("-> 1", "→ 1");
    check(&racy, &mp(Mode::Relaxed, Mode::Acquire)).unwrap();
    let message = check(&racy, &mp(Mode::Release, Mode::Acquire)).unwrap_err();
    assert!(
        message.contains("`edge nohb w r` does not hold"),
        "{message}"
    );
}

#[test]
fn a_stated_value_must_be_the_events() {
    let spec = SPEC.replace("read data → 1", "read data → 7");
    let message = check(&spec, &mp(Mode::Release, Mode::Acquire)).unwrap_err();
    assert!(
        message.contains("event `r` is drawn as `read data → 7` (value 7)"),
        "{message}"
    );
}

#[test]
fn boxes_must_draw_their_threads_events_in_program_order() {
    let swapped = SPEC.replace("= a.0", "= a.2");
    let message = check(&swapped, &mp(Mode::Release, Mode::Acquire)).unwrap_err();
    assert!(message.contains("must draw a later event"), "{message}");
    let unknown = SPEC.replace("= b.0", "= c.0");
    let message = check(&unknown, &mp(Mode::Release, Mode::Acquire)).unwrap_err();
    assert!(
        message.contains("mp.hb:10: event `l` draws thread `c`"),
        "{message}"
    );
    assert!(message.contains("a (0), b (1)"), "{message}");
    let unmapped = SPEC.replace(" = a.0", "");
    let message = check(&unmapped, &mp(Mode::Release, Mode::Acquire)).unwrap_err();
    assert!(message.contains("does not say which event"), "{message}");
}

/// Main spawns a worker that writes, joins it and reads.
fn spawn_write_join_read() -> Program {
    program(vec![
        (
            "main",
            vec![
                stmt(StmtKind::Spawn { thread: 1 }),
                stmt(StmtKind::Join { thread: 1 }),
                load("r", "data", Mode::NonAtomic),
            ],
        ),
        ("worker", vec![store("data", 1, Mode::NonAtomic)]),
    ])
}

const JOIN_SPEC: &str = r#"
    title "join"
    desc "A worker's write reaches main through the join."
    thread m "main"
    thread w "worker"
    event s m 0 "spawn(worker)" = main.0
    event j m 3 "join(worker)" = main.1
    event r m 4 "read data → 1" = main.2
    event wr w 1 "write data = 1" = worker.0
    event e w 2 "end of worker" = worker.end
    edge sw s wr "sw: spawn"
    edge sw e j "sw: join"
    edge hb wr r
"#;

#[test]
fn the_end_of_a_thread_synchronizes_with_its_join() {
    let program = spawn_write_join_read();
    check::check(&parse(JOIN_SPEC), "join.hb", &program, "join.litmus").unwrap();
    // The write is the worker's last event, but it is not the worker's end: the model's
    // sw edge into the join comes from the thread's completion.
    let wrong = JOIN_SPEC.replace("edge sw e j", "edge sw wr j");
    let message = check::check(&parse(&wrong), "join.hb", &program, "join.litmus").unwrap_err();
    assert!(
        message.contains("join.hb:12: `edge sw wr j` does not hold"),
        "{message}"
    );
    // A spawn synchronizes with the first event of the thread it starts, not with the join.
    let wrong = JOIN_SPEC.replace("edge sw s wr", "edge sw s j");
    let message = check::check(&parse(&wrong), "join.hb", &program, "join.litmus").unwrap_err();
    assert!(message.contains("`edge sw s j` does not hold"), "{message}");
}

#[test]
fn a_spec_without_a_program_is_refused_by_name() {
    let spec = parse(&SPEC.replace("program \"mp.litmus\"", ""));
    let message = super::against_model(&spec, std::path::Path::new("hb/mp.hb")).unwrap_err();
    assert!(message.starts_with("hb/mp.hb: "), "{message}");
    assert!(
        message.contains("every graph names the program it draws"),
        "{message}"
    );
}

#[test]
fn every_book_graph_matches_its_program_under_the_model() {
    let dir = crate::util::root().join("src/diagrams/hb");
    let specs = super::spec_files(&dir).unwrap();
    assert!(!specs.is_empty());
    for path in specs {
        let spec = parse(&std::fs::read_to_string(&path).unwrap());
        super::against_model(&spec, &path).unwrap();
    }
}
