//! The parsers: both formats give the expected program, every error names its file:line:column,
//! no input panics, and every thread function of the litmus crate reads unchanged.

use model::error::Span;
use model::program::{
    BinOp, Condition, Expr, Mode, Program, Prop, Quantifier, RmwOp, Stmt, StmtKind, Thread, Var,
};
use model::{parse, parse_file};
use std::path::{Path, PathBuf};

// ---- helpers: the IR, written briefly ----

fn at(line: u32, column: u32, kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::new(line, column),
    }
}

fn load(reg: &str, loc: &str, mode: Mode) -> StmtKind {
    StmtKind::Load {
        reg: reg.into(),
        loc: loc.into(),
        mode,
    }
}

fn store(loc: &str, value: i64, mode: Mode) -> StmtKind {
    StmtKind::Store {
        loc: loc.into(),
        value: Expr::Const(value),
        mode,
    }
}

fn assign(reg: &str, value: Expr) -> StmtKind {
    StmtKind::Assign {
        reg: reg.into(),
        value,
    }
}

fn reg(name: &str) -> Expr {
    Expr::Reg(name.into())
}

fn bin(op: BinOp, a: Expr, b: Expr) -> Expr {
    Expr::Binary(op, Box::new(a), Box::new(b))
}

fn eq(var: Var, value: i64) -> Prop {
    Prop::Eq(var, value)
}

fn and(a: Prop, b: Prop) -> Prop {
    Prop::And(Box::new(a), Box::new(b))
}

fn r(thread: usize, name: &str) -> Var {
    Var::Reg {
        thread,
        reg: name.into(),
    }
}

fn thread(name: &str, body: Vec<Stmt>) -> Thread {
    Thread {
        name: name.into(),
        body,
    }
}

fn exists(line: u32, column: u32, prop: Prop) -> Option<Condition> {
    Some(Condition {
        quantifier: Quantifier::Exists,
        prop,
        span: Span::new(line, column),
    })
}

fn ok(text: &str) -> Program {
    parse("t.litmus", text).unwrap_or_else(|e| panic!("{e}"))
}

/// The full message parsing `text` gives.
fn error(text: &str) -> String {
    match parse("t.litmus", text) {
        Ok(program) => panic!("parsed, but should not have: {program:?}"),
        Err(e) => e.to_string(),
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/parse")
        .join(name)
}

// ---- herd7's C format ----

const HERD_MP: &str = r#"C MP+rel+acq
"Message passing"
{ x = 0; y = 0; }
P0 (atomic_int* x, atomic_int* y) {
  atomic_store_explicit(x, 1, memory_order_relaxed);
  atomic_store_explicit(y, 1, memory_order_release);
}
P1 (atomic_int* x, atomic_int* y) {
  int r0 = atomic_load_explicit(y, memory_order_acquire);
  int r1 = atomic_load_explicit(x, memory_order_relaxed);
}
exists (1:r0=1 /\ 1:r1=0)
"#;

#[test]
fn herd_message_passing() {
    let expected = Program {
        name: "MP+rel+acq".into(),
        init: [("x".into(), 0), ("y".into(), 0)].into(),
        threads: vec![
            thread(
                "0",
                vec![
                    at(5, 3, store("x", 1, Mode::Relaxed)),
                    at(6, 3, store("y", 1, Mode::Release)),
                ],
            ),
            thread(
                "1",
                vec![
                    at(9, 3, load("r0", "y", Mode::Acquire)),
                    at(10, 3, load("r1", "x", Mode::Relaxed)),
                ],
            ),
        ],
        condition: exists(12, 1, and(eq(r(1, "r0"), 1), eq(r(1, "r1"), 0))),
        observed: vec![],
    };
    assert_eq!(ok(HERD_MP), expected);
}

#[test]
fn herd_store_buffering_with_fences_and_default_orderings() {
    let program = ok(r"C SB+fences
(* herd's comments *)
{ }
P0 (volatile int* x, _Atomic int *y) {
  atomic_store(x, 1);
  atomic_thread_fence(memory_order_seq_cst);
  int r0 = atomic_load(y);
}
P1 (atomic_int* x, atomic_int* y) {
  atomic_store_explicit(y, 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_seq_cst);
  int r0 = atomic_load_explicit(x, memory_order_relaxed);
}
~exists (0:r0=0 /\ 1:r0=0)
");
    assert!(program.init.is_empty());
    assert_eq!(
        program.threads[0].body,
        [
            at(5, 3, store("x", 1, Mode::SeqCst)),
            at(6, 3, StmtKind::Fence { mode: Mode::SeqCst }),
            at(7, 3, load("r0", "y", Mode::SeqCst)),
        ]
    );
    let condition = program.condition.unwrap();
    assert_eq!(condition.quantifier, Quantifier::NotExists);
    assert_eq!(condition.span, Span::new(14, 1));
}

#[test]
fn herd_compare_exchange_returns_a_bool_and_writes_the_old_value_to_expected() {
    let program = ok("C CAS
{ 0:r1 = 0; x = 1; }
P0 (atomic_int* x) {
  int e = 0;
  int ok = atomic_compare_exchange_strong_explicit(x, &e, 2, memory_order_acq_rel, memory_order_acquire);
  atomic_compare_exchange_weak(x, &e, 3);
}
forall (0:ok=0 \\/ 0:e=1)
");
    let cas =
        |expected: Expr, new: i64, failure, weak, mode, success: Option<&str>| StmtKind::Rmw {
            reg: Some(if weak { "cas#2" } else { "cas#1" }.into()),
            loc: "x".into(),
            op: RmwOp::Cas {
                expected,
                new: Expr::Const(new),
                failure,
                weak,
                success: success.map(Into::into),
            },
            mode,
        };
    assert_eq!(
        program.threads[0].body,
        [
            at(2, 3, assign("r1", Expr::Const(0))),
            at(4, 3, assign("e", Expr::Const(0))),
            at(
                5,
                3,
                cas(reg("e"), 2, Mode::Acquire, false, Mode::AcqRel, Some("ok"))
            ),
            at(5, 3, assign("e", reg("cas#1"))),
            at(
                6,
                3,
                cas(reg("e"), 3, Mode::SeqCst, true, Mode::SeqCst, None)
            ),
            at(6, 3, assign("e", reg("cas#2"))),
        ]
    );
    assert_eq!(program.init, [("x".into(), 1)].into());
    assert_eq!(program.condition.unwrap().quantifier, Quantifier::Forall);
}

#[test]
fn herd_plain_accesses_ifs_rmws_and_every_init_form() {
    let program = ok("C Plain
\"desc\"
Cycle=Rfe PodRW
{ x = 1; [y] = -2; int z = 3; atomic_int w; }
P0 (int* x, int* y, int* z, int* w) {
  int r0;
  r0 = *x;
  *y = r0 + 1;
  if (r0 == 1 && !(r0 != 1)) { int r1 = atomic_fetch_add_explicit(z, 2, memory_order_relaxed); } else { atomic_exchange(w, 5); }
  atomic_fetch_sub_explicit(z, 1, memory_order_release);
  atomic_load_explicit(w, memory_order_relaxed);
}
locations [x; 0:r0; [y];]
exists (x=1 /\\ ~(y=2) \\/ true)
");
    assert_eq!(
        program.init,
        [
            ("x".into(), 1),
            ("y".into(), -2),
            ("z".into(), 3),
            ("w".into(), 0)
        ]
        .into()
    );
    let body = &program.threads[0].body;
    assert_eq!(body[0], at(6, 3, assign("r0", Expr::Const(0))));
    assert_eq!(body[1], at(7, 3, load("r0", "x", Mode::NonAtomic)));
    assert_eq!(
        body[2],
        at(
            8,
            3,
            StmtKind::Store {
                loc: "y".into(),
                value: bin(BinOp::Add, reg("r0"), Expr::Const(1)),
                mode: Mode::NonAtomic
            }
        )
    );
    let StmtKind::If {
        cond,
        then,
        otherwise,
    } = &body[3].kind
    else {
        panic!("{:?}", body[3]);
    };
    let not_ne = Expr::Not(Box::new(bin(BinOp::Ne, reg("r0"), Expr::Const(1))));
    let cond_expected = bin(
        BinOp::LogicalAnd,
        bin(BinOp::Eq, reg("r0"), Expr::Const(1)),
        not_ne,
    );
    assert_eq!(*cond, cond_expected);
    assert!(
        matches!(&then[0].kind, StmtKind::Rmw { reg: Some(r), op: RmwOp::Add(_), mode: Mode::Relaxed, .. } if r == "r1")
    );
    assert!(matches!(
        &otherwise[0].kind,
        StmtKind::Rmw {
            reg: None,
            op: RmwOp::Swap(_),
            mode: Mode::SeqCst,
            ..
        }
    ));
    assert!(matches!(
        &body[4].kind,
        StmtKind::Rmw {
            reg: None,
            op: RmwOp::Sub(_),
            mode: Mode::Release,
            ..
        }
    ));
    // A dropped load still happens; its value goes to a temporary no condition can name.
    assert!(matches!(&body[5].kind, StmtKind::Load { reg, .. } if reg.contains('#')));
    assert_eq!(
        program.observed,
        [Var::Loc("x".into()), r(0, "r0"), Var::Loc("y".into())]
    );
    let Some(Condition {
        prop: Prop::Or(left, right),
        ..
    }) = program.condition
    else {
        panic!("`\\/` binds looser than `/\\`");
    };
    assert_eq!(*right, Prop::True);
    assert_eq!(
        *left,
        and(
            eq(Var::Loc("x".into()), 1),
            Prop::Not(Box::new(eq(Var::Loc("y".into()), 2)))
        )
    );
}

#[test]
fn c_precedence_puts_equality_above_bitwise_and() {
    let program = ok("C P\n{}\nP0 (int* x) { int a = 1; int b = a & 1 == 1; }\n");
    let StmtKind::Assign { value, .. } = &program.threads[0].body[1].kind else {
        panic!()
    };
    let expected = bin(
        BinOp::And,
        reg("a"),
        bin(BinOp::Eq, Expr::Const(1), Expr::Const(1)),
    );
    assert_eq!(*value, expected);
}

// ---- the Rust-flavoured form ----

const RUST_MP: &str = "litmus MP+rel+acq
// comments as in Rust
init x = 0, y = 1;
thread a {
    x.store(1, Relaxed);
    y.store(1, Ordering::Release); // Release: pairs with b's Acquire
}
thread b {
    let r1 = y.load(Acquire); // Acquire: pairs with a's Release
    let r2: u32 = x.load(std::sync::atomic::Ordering::Relaxed); // Relaxed: as above
}
exists (b.r1 == 1 && b.r2 == 0)
";

#[test]
fn rust_message_passing() {
    let expected = Program {
        name: "MP+rel+acq".into(),
        init: [("x".into(), 0), ("y".into(), 1)].into(),
        threads: vec![
            thread(
                "a",
                vec![
                    at(5, 5, store("x", 1, Mode::Relaxed)),
                    at(6, 5, store("y", 1, Mode::Release)),
                ],
            ),
            thread(
                "b",
                vec![
                    at(9, 5, load("r1", "y", Mode::Acquire)),
                    at(10, 5, load("r2", "x", Mode::Relaxed)),
                ],
            ),
        ],
        condition: exists(12, 1, and(eq(r(1, "r1"), 1), eq(r(1, "r2"), 0))),
        observed: vec![],
    };
    assert_eq!(ok(RUST_MP), expected);
}

#[test]
fn rust_fences_rmws_compare_exchange_ifs_aliases_and_plain_accesses() {
    let program = ok("litmus Mixed
thread a {
    let (data, flag) = (&m.x, &m.y);
    let d = &self.payload;
    unsafe { *d = 7 };
    data.store(1, Relaxed);
    atomic::fence(Ordering::Release); // Release: pairs with b's fence
    let old = flag.fetch_add(1, AcqRel);
    s.x.swap(old + 1, SeqCst);
    let ok = flag.compare_exchange(1, 2, AcqRel, Acquire).is_ok();
    let mut seen = flag.compare_exchange_weak(2, 3, Relaxed, Relaxed);
    flag.compare_exchange(3, 4, SeqCst, SeqCst).ok();
    if ok && seen == 2 {
        seen = 5;
    } else if !ok {
        let r = unsafe { *d };
        seen = r;
    } else {
        std::sync::atomic::fence(SeqCst);
    }
    [old, seen]
}
observe payload, a.seen;
!exists (a.ok == true)
");
    let body = &program.threads[0].body;
    let kinds: Vec<&StmtKind> = body.iter().map(|s| &s.kind).collect();
    assert_eq!(
        *kinds[0],
        StmtKind::Store {
            loc: "payload".into(),
            value: Expr::Const(7),
            mode: Mode::NonAtomic
        }
    );
    assert_eq!(*kinds[1], store("x", 1, Mode::Relaxed));
    assert_eq!(
        *kinds[2],
        StmtKind::Fence {
            mode: Mode::Release
        }
    );
    assert_eq!(
        *kinds[3],
        StmtKind::Rmw {
            reg: Some("old".into()),
            loc: "y".into(),
            op: RmwOp::Add(Expr::Const(1)),
            mode: Mode::AcqRel
        }
    );
    assert_eq!(
        *kinds[4],
        StmtKind::Rmw {
            reg: None,
            loc: "x".into(),
            op: RmwOp::Swap(bin(BinOp::Add, reg("old"), Expr::Const(1))),
            mode: Mode::SeqCst
        }
    );
    // `.is_ok()`: whether it succeeded, from the path that took it, into a temporary.
    assert_eq!(
        *kinds[5],
        StmtKind::Rmw {
            reg: None,
            loc: "y".into(),
            op: RmwOp::Cas {
                expected: Expr::Const(1),
                new: Expr::Const(2),
                failure: Mode::Acquire,
                weak: false,
                success: Some("cas#1".into()),
            },
            mode: Mode::AcqRel
        }
    );
    assert_eq!(*kinds[6], assign("ok", reg("cas#1")));
    assert!(matches!(
        kinds[7],
        StmtKind::Rmw { reg: Some(r), op: RmwOp::Cas { weak: true, .. }, .. } if r == "seen"
    ));
    assert!(matches!(
        kinds[8],
        StmtKind::Rmw {
            reg: None,
            op: RmwOp::Cas { .. },
            ..
        }
    ));
    let StmtKind::If {
        cond, otherwise, ..
    } = kinds[9]
    else {
        panic!("{:?}", kinds[9]);
    };
    assert_eq!(
        *cond,
        bin(
            BinOp::LogicalAnd,
            reg("ok"),
            bin(BinOp::Eq, reg("seen"), Expr::Const(2))
        )
    );
    let StmtKind::If {
        then, otherwise, ..
    } = &otherwise[0].kind
    else {
        panic!("else if");
    };
    assert_eq!(then[0].kind, load("r", "payload", Mode::NonAtomic));
    assert_eq!(otherwise[0].kind, StmtKind::Fence { mode: Mode::SeqCst });
    assert_eq!(body.len(), 10, "the returned registers add nothing");
    assert_eq!(program.observed, [Var::Loc("payload".into()), r(0, "seen")]);
    let condition = program.condition.unwrap();
    assert_eq!(condition.quantifier, Quantifier::NotExists);
    assert_eq!(condition.prop, eq(r(0, "ok"), 1));
}

#[test]
fn rust_precedence_puts_bitwise_and_above_equality() {
    let program = ok("litmus P\nthread a { let a = 1; let b = a & 1 == 1; }\n");
    let StmtKind::Assign { value, .. } = &program.threads[0].body[1].kind else {
        panic!()
    };
    let expected = bin(
        BinOp::Eq,
        bin(BinOp::And, reg("a"), Expr::Const(1)),
        Expr::Const(1),
    );
    assert_eq!(*value, expected);
}

#[test]
fn a_rust_condition_may_name_threads_by_index_and_locations_alone() {
    let program = ok("litmus X
init x = 5;
thread w { x.store(1, Relaxed); }
thread r { let v = x.load(Relaxed); }
forall (x == 1 || 1.v != 1 && !(1:v == 0))
");
    assert_eq!(program.name, "X");
    let condition = program.condition.unwrap();
    assert_eq!(condition.quantifier, Quantifier::Forall);
    let not = |p| Prop::Not(Box::new(p));
    let expected = Prop::Or(
        Box::new(eq(Var::Loc("x".into()), 1)),
        Box::new(and(not(eq(r(1, "v"), 1)), not(eq(r(1, "v"), 0)))),
    );
    assert_eq!(condition.prop, expected);
}

#[test]
fn a_rust_file_without_a_name_takes_the_file_stem() {
    let program = parse(
        "dir/corr.litmus",
        "litmus\nthread a { x.store(1, Relaxed); }\n",
    );
    assert_eq!(program.unwrap().name, "corr");
}

// ---- threads taken from real Rust files ----

#[test]
fn threads_read_from_the_litmus_crate() {
    let program = parse_file(&fixture("mp.litmus")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(program.threads[0].name, "a");
    let kinds = |i: usize| -> Vec<StmtKind> {
        program.threads[i]
            .body
            .iter()
            .map(|s| s.kind.clone())
            .collect()
    };
    assert_eq!(
        kinds(0),
        [store("x", 1, Mode::Relaxed), store("y", 1, Mode::Release)]
    );
    assert_eq!(
        kinds(1),
        [
            load("r1", "y", Mode::Acquire),
            load("r2", "x", Mode::Relaxed)
        ]
    );
    // The spans are in mp.rs, where the statements are.
    let mp = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../litmus/src/tests/mp.rs"),
    )
    .unwrap();
    let span = program.threads[1].body[0].span;
    let line = mp.lines().nth(span.line as usize - 1).unwrap();
    assert!(line[span.column as usize - 1..].starts_with("let r1 = flag.load"));
}

#[test]
fn a_value_a_function_ends_in_goes_to_the_register_the_litmus_file_names() {
    let program = parse_file(&fixture("sb_fenced.litmus")).unwrap_or_else(|e| panic!("{e}"));
    let kinds: Vec<&StmtKind> = program.threads[0].body.iter().map(|s| &s.kind).collect();
    assert_eq!(
        kinds,
        [
            &store("x", 1, Mode::Relaxed),
            &StmtKind::Fence { mode: Mode::SeqCst },
            &load("r1", "y", Mode::Relaxed),
        ]
    );
    assert_eq!(
        program.condition.unwrap().prop,
        and(eq(r(0, "r1"), 0), eq(r(1, "r2"), 0))
    );
}

/// A scratch directory for files a test writes.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The names of the functions in `source` that take the litmus lab's `&Memory`: its threads.
fn thread_functions(source: &str) -> Vec<String> {
    source
        .lines()
        .filter_map(|line| line.trim().strip_prefix("pub fn "))
        .filter(|rest| rest.contains("&Memory"))
        .map(|rest| rest.split('(').next().unwrap().to_owned())
        .collect()
}

#[test]
fn every_thread_function_of_the_litmus_crate_parses() {
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("../litmus/src/tests");
    let dir = scratch("every_thread_function");
    let mut count = 0;
    for entry in std::fs::read_dir(&tests).unwrap() {
        let path = entry.unwrap().path().canonicalize().unwrap();
        let source = std::fs::read_to_string(&path).unwrap();
        let functions = thread_functions(&source);
        // Each test file has threads; finding none would mean this scan, not the parser, broke.
        let is_test = !path.ends_with("mod.rs");
        assert!(!is_test || !functions.is_empty(), "{}", path.display());
        for function in functions {
            let litmus = dir.join(format!("{function}.litmus"));
            let text = format!(
                "litmus {function}\nthread t = fn {function} in {:?};\n",
                path.display().to_string()
            );
            std::fs::write(&litmus, text).unwrap();
            let program = parse_file(&litmus)
                .unwrap_or_else(|e| panic!("{function} in {}: {e}", path.display()));
            assert!(!program.threads[0].body.is_empty(), "{function}");
            count += 1;
        }
    }
    assert!(count > 0, "found no thread functions");
}

#[test]
fn an_error_in_a_rust_file_is_reported_in_that_file() {
    let dir = scratch("error_in_rust_file");
    std::fs::write(
        dir.join("threads.rs"),
        "//! Threads.\n\npub fn bad(m: &Memory) {\n    m.x.store(1, Ordering::Acquire); // Acquire: wrong on a store\n}\n",
    )
    .unwrap();
    let litmus = dir.join("t.litmus");
    std::fs::write(&litmus, "litmus T\nthread a = fn bad in \"threads.rs\";\n").unwrap();
    let error = parse_file(&litmus).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}:4:18: Acquire is not allowed on a store: there is no such thing as an acquire \
             store (Rust panics; C leaves it undefined)",
            dir.join("threads.rs").display()
        )
    );

    std::fs::write(
        &litmus,
        "litmus T\nthread a = fn missing in \"threads.rs\";\n",
    )
    .unwrap();
    let error = parse_file(&litmus).unwrap_err();
    assert_eq!(error.span, Span::new(2, 15));
    assert!(error.message.contains("no `fn missing`"), "{error}");
    assert!(error.message.contains("bad"), "{error}");

    std::fs::write(&litmus, "litmus T\nthread a = fn bad in \"nowhere.rs\";\n").unwrap();
    let error = parse_file(&litmus).unwrap_err();
    assert_eq!(error.span, Span::new(2, 22));
    assert!(error.message.starts_with("cannot read "), "{error}");
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_at_its_start() {
    let path = scratch("unreadable").join("missing.litmus");
    let error = parse_file(&path).unwrap_err();
    assert_eq!(error.span, Span::new(1, 1));
    assert!(
        error.to_string().starts_with(&format!(
            "{}:1:1: cannot read {}: ",
            path.display(),
            path.display()
        )),
        "{error}"
    );
}

#[test]
fn parse_without_a_path_cannot_find_rust_files() {
    let message = error("litmus T\nthread a = fn f in \"f.rs\";\n");
    assert!(
        message.starts_with("t.litmus:2:12: ") && message.contains("parse_file"),
        "{message}"
    );
}

// ---- errors: one message at the right place ----

#[test]
fn the_header_must_be_one_of_the_two() {
    assert_eq!(
        error("// nothing\n  MP+x\n"),
        "t.litmus:2:3: expected a litmus header, `C NAME` (herd7's C format) or `litmus NAME` \
         (the Rust-flavoured form), found `MP`"
    );
    assert!(error("").starts_with("t.litmus:1:1: expected a litmus header"));
    assert_eq!(
        error("C\n{}"),
        "t.litmus:1:1: expected the test's name after `C`"
    );
}

#[test]
fn orderings_rust_rejects_are_errors_at_the_ordering() {
    assert_eq!(
        error(
            "litmus T\nthread a {\n    let r = x.load(Ordering::Release); // Release: wrong\n}\n"
        ),
        "t.litmus:3:20: Release is not allowed on a load: there is no such thing as a release \
         load (Rust panics; C leaves it undefined)"
    );
    let cases = [
        ("x.store(1, AcqRel);", "acquire-release store"),
        ("x.load(AcqRel);", "acquire-release load"),
        (
            "x.compare_exchange(0, 1, SeqCst, Release);",
            "release failure ordering",
        ),
        (
            "x.compare_exchange(0, 1, SeqCst, AcqRel);",
            "acquire-release failure ordering",
        ),
        ("fence(Relaxed);", "relaxed fence"),
    ];
    for (statement, reason) in cases {
        let message = error(&format!("litmus T\nthread a {{ {statement} }}\n"));
        assert!(message.contains(reason), "{statement}: {message}");
    }
    assert_eq!(
        error(
            "C T\n{}\nP0 (atomic_int* x) {\n  atomic_store_explicit(x, 1, memory_order_acquire);\n}\n"
        ),
        "t.litmus:4:31: memory_order_acquire is not allowed on a store: there is no such thing \
         as an acquire store (Rust panics; C leaves it undefined)"
    );
    assert_eq!(
        error("C T\n{}\nP0 (atomic_int* x) { atomic_thread_fence(memory_order_relaxed); }\n"),
        "t.litmus:3:42: memory_order_relaxed is not allowed on a fence: there is no such thing \
         as a relaxed fence (Rust panics; in C it does nothing)"
    );
    assert_eq!(
        error(
            "C T\n{}\nP0 (atomic_int* x) { int r = atomic_load_explicit(x, memory_order_consume); }\n"
        ),
        "t.litmus:3:54: consume is not supported; Rust has no Consume — use memory_order_acquire"
    );
}

#[test]
fn the_condition_must_name_what_exists() {
    assert_eq!(
        error(&RUST_MP.replace("b.r2 == 0", "b.r3 == 0")),
        "t.litmus:12:22: thread b never assigns a register `r3` (its registers: r1, r2)"
    );
    assert_eq!(
        error(&RUST_MP.replace("b.r2 == 0", "c.r2 == 0")),
        "t.litmus:12:22: unknown thread `c` (threads: a (0), b (1))"
    );
    assert_eq!(
        error(&RUST_MP.replace("b.r2 == 0", "z == 0")),
        "t.litmus:12:22: unknown location `z`: no thread accesses it and init does not name it \
         (locations: x, y)"
    );
    assert_eq!(
        error(&HERD_MP.replace("1:r1=0", "2:r1=0")),
        "t.litmus:12:19: unknown thread 2 (threads: 0, 1)"
    );
    assert_eq!(
        error(&HERD_MP.replace("1:r1=0", "0:r1=0")),
        "t.litmus:12:19: thread 0 never assigns a register `r1` (its registers: none)"
    );
    assert!(
        error(&HERD_MP.replace("exists", "locations [z;]\nexists"))
            .starts_with("t.litmus:12:12: unknown location `z`")
    );
    assert!(
        error(&HERD_MP.replace("exists", "filter (1:r0=1)\nexists"))
            .starts_with("t.litmus:12:1: `filter` is not supported")
    );
}

#[test]
fn a_register_must_be_assigned_before_it_is_read() {
    assert_eq!(
        error("litmus T\nthread a {\n    x.store(r1, Relaxed);\n}\n"),
        "t.litmus:3:13: unknown register `r1`: not assigned before this point (registers in \
         scope: none)"
    );
    assert_eq!(
        error("litmus T\nthread a {\n    if true { let r = 1; }\n    x.store(r, Relaxed);\n}\n"),
        "t.litmus:4:13: unknown register `r`: not assigned before this point (registers in \
         scope: none)"
    );
    assert_eq!(
        error(
            "C T\n{}\nP0 (int* x) {\n  int a;\n  if (a) { int b = 1; } else { a = 2; }\n  *x = b;\n}\n"
        ),
        "t.litmus:6:8: register `b` is read before P0 assigns it (assigned so far: a)"
    );
    // `int r;` assigns 0, and an init entry assigns a register too.
    ok("C T\n{ 0:s = 1; }\nP0 (int* x) { int r; *x = r + s; }\n");
}

#[test]
fn threads_are_counted_and_named_once() {
    assert_eq!(
        error("litmus T\ninit x = 1;\nexists (x == 1)\n"),
        "t.litmus:3:1: expected a thread: a litmus test needs at least one"
    );
    assert_eq!(
        error("C T\n{}\n"),
        "t.litmus:3:1: expected a thread: a litmus test needs at least one"
    );
    let seven: String = (0..7)
        .map(|i| format!("thread t{i} {{ x.store(1, Relaxed); }}\n"))
        .collect();
    assert_eq!(
        error(&format!("litmus T\n{seven}")),
        "t.litmus:8:8: too many threads: the checker takes at most 6"
    );
    assert_eq!(
        error("litmus T\nthread a { x.store(1, Relaxed); }\nthread a { x.store(2, Relaxed); }\n"),
        "t.litmus:3:8: a second thread named `a`"
    );
    assert_eq!(
        error("C T\n{}\nP0 (int* x) { *x = 1; }\nP2 (int* x) { *x = 1; }\n"),
        "t.litmus:4:1: expected thread `P1`, found `P2`: threads are P0, P1, … in order"
    );
}

#[test]
fn integer_literals_must_fit_in_an_i64() {
    assert_eq!(
        error("litmus T\ninit x = 9223372036854775808;\nthread a { x.store(1, Relaxed); }\n"),
        "t.litmus:2:10: integer literal `9223372036854775808` does not fit in an i64"
    );
    let min = ok(
        "litmus T\ninit x = -9223372036854775808;\nthread a { x.store(-9223372036854775808, Relaxed); }\n",
    );
    assert_eq!(min.init["x"], i64::MIN);
    assert!(
        error("C T\n{ x = 99999999999999999999999999999999999999999; }\nP0 (int* x) { *x = 1; }\n")
            .starts_with("t.litmus:2:7: integer literal")
    );
}

#[test]
fn unknown_statements_are_errors_not_skipped() {
    let message = error("litmus T\nthread a {\n    let s = Arc::clone(&shared);\n}\n");
    assert!(
        message.starts_with(
            "t.litmus:3:5: not understood: `Arc::clone(&shared);`; a thread may use `let r = \
             x.load(o);`"
        ),
        "{message}"
    );
    let message =
        error("litmus T\nthread a {\n    x.store(1, Relaxed);\n    println!(\"hi\");\n}\n");
    assert!(
        message.starts_with("t.litmus:4:5: not understood: `println!(\"hi\");`; a thread may use"),
        "{message}"
    );
    assert!(
        error("litmus T\nthread a { x.fetch_or(1, Relaxed); }\n")
            .starts_with("t.litmus:2:14: `fetch_or` is not supported")
    );
    assert!(
        error("litmus T\nthread a { while true { } }\n")
            .starts_with("t.litmus:2:12: `while` is not supported")
    );
    assert!(
        error("litmus T\nthread a { let r = x.load(Relaxed); r = 2; }\n")
            .starts_with("t.litmus:2:37: cannot assign twice to `r`")
    );
    assert!(
        error("litmus T\nthread a { let r = 1; if r { } }\n")
            .starts_with("t.litmus:2:26: expected a bool")
    );
    assert!(
        error("litmus T\nthread a { let r = x.load(Relaxed); let s = !r; }\n")
            .starts_with("t.litmus:2:45: `!` here may be bitwise")
    );
    assert!(
        error("C T\n{}\nP0 (int* x) { WRITE_ONCE(*x, 1); }\n")
            .starts_with("t.litmus:3:15: `WRITE_ONCE` is the Linux kernel's memory model")
    );
    assert!(
        error("C T\n{}\nP0 (int* x) { int r = atomic_load(y); }\n")
            .starts_with("t.litmus:3:35: `y` is not a parameter of P0; its locations are x")
    );
}

// ---- no input panics ----

/// Valid inputs of every kind, to cut and garble.
fn samples() -> Vec<String> {
    let mut samples = vec![HERD_MP.to_owned(), RUST_MP.to_owned()];
    samples.push(
        "C Full\n{ 0:r0 = 1; [x] = 2; }\nP0 (atomic_int* x) {\n  int e = 0;\n  int ok = \
         atomic_compare_exchange_weak_explicit(x, &e, 1, memory_order_seq_cst, \
         memory_order_relaxed);\n  if (ok) { *x = 3; } else { atomic_thread_fence(memory_order_acq_rel); }\n}\n\
         locations [x;]\nforall (0:ok=1 \\/ ~[x]=2)\n"
            .to_owned(),
    );
    samples.push(
        "litmus Full\ninit x = 1;\nthread a {\n    let (d, f) = (&m.x, &m.y);\n    let ok = \
         f.compare_exchange(0, 1, AcqRel, Acquire).is_err();\n    if !ok { unsafe { *d = 2 } } \
         else { fence(SeqCst); }\n    let v = d.fetch_sub(1, Relaxed);\n    [v]\n}\n\
         observe x;\n~exists (a.ok == false || 0:v != 1)\n"
            .to_owned(),
    );
    samples
}

fn char_boundaries(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices().map(|(i, _)| i).chain([text.len()])
}

#[test]
fn no_prefix_of_a_valid_file_panics() {
    for sample in samples() {
        ok(&sample);
        for end in char_boundaries(&sample) {
            let _ = parse("t.litmus", &sample[..end]);
        }
    }
}

#[test]
fn no_garbled_file_panics() {
    // A fixed pseudo-random sequence, so any failure reproduces.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut random = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let inserts = [
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ";",
        ",",
        "-",
        "!",
        "~",
        "*",
        "&",
        "\"",
        "'",
        "(*",
        "/*",
        "//",
        "0",
        "99999999999999999999",
        "x",
        "r0",
        ".",
        "::",
        "=",
        "==",
        "é",
        "\u{0}",
    ];
    for sample in samples() {
        let cuts: Vec<usize> = char_boundaries(&sample).collect();
        // Every single-character deletion.
        for pair in cuts.windows(2) {
            let garbled = format!("{}{}", &sample[..pair[0]], &sample[pair[1]..]);
            let _ = parse("t.litmus", &garbled);
        }
        // Random insertions, several at a time.
        for _ in 0..2000 {
            let mut garbled = sample.clone();
            for _ in 0..3 {
                let cuts: Vec<usize> = char_boundaries(&garbled).collect();
                let at = cuts[random(cuts.len())];
                garbled.insert_str(at, inserts[random(inserts.len())]);
            }
            let _ = parse("t.litmus", &garbled);
        }
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "(".repeat(100_000);
    let message = error(&format!("litmus T\nthread a {{ let r = {deep}1; }}\n"));
    assert!(message.contains("nested more than"), "{message}");
    let message = error(&format!(
        "C T\n{{}}\nP0 (int* x) {{ *x = 1; }}\nexists {deep}"
    ));
    assert!(message.contains("nested more than"), "{message}");
    let blocks = "if true { ".repeat(10_000);
    let message = error(&format!("litmus T\nthread a {{ {blocks} }}\n"));
    assert!(message.contains("nested more than"), "{message}");
}

// ---- more of what published tests and real code write ----

#[test]
fn herd_tests_as_herd_itself_writes_them() {
    // Types the model ignores, a condition without parentheses, `!=`, spaces in `0: r1`.
    let program = ok("C Herdish
(* a comment before the initial state *)
{ __int128 y; _Atomic __int128 x = 0 }
P0(atomic_int *x, volatile __int128* y) {
  unsigned long r1 = atomic_load_explicit(x, memory_order_relaxed);
  __int128 r2 = (r1^r1)+r1;
  atomic_store_explicit(x, r2, memory_order_relaxed);
}
locations [0: r2;]
exists 0: r1 != 0
");
    assert_eq!(program.init, [("x".into(), 0), ("y".into(), 0)].into());
    assert_eq!(program.observed, [r(0, "r2")]);
    assert_eq!(
        program.condition.unwrap().prop,
        Prop::Not(Box::new(eq(r(0, "r1"), 0)))
    );
    assert_eq!(
        error("C LKMM\n{}\nP0 (int* x) { int r0 = READ_ONCE(*x); }\n"),
        "t.litmus:3:24: `READ_ONCE` is the Linux kernel's memory model (LKMM), not C11; this \
         checker reads C11 atomics (`atomic_load_explicit`, …)"
    );
}

#[test]
fn a_header_alone_reports_the_missing_thread_at_its_end() {
    assert_eq!(
        error("litmus T"),
        "t.litmus:1:9: expected a thread: a litmus test needs at least one"
    );
}

#[test]
fn rust_bodies_are_checked_as_rustc_would() {
    // (body, where the error is: the start of this text in the body, the message's start)
    let cases = [
        (
            "let r = x.load(Relaxed); if true { let r = 2; }",
            "r = 2",
            "`r` shadows a register of an enclosing block",
        ),
        (
            "let ok = x.compare_exchange(0, 1, SeqCst, SeqCst).ok();",
            "let",
            "`.ok()` gives an Option",
        ),
        (
            "let r = x.compare_exchange(0, 1, SeqCst, SeqCst).unwrap_or_else(|a| b);",
            "b)",
            "only `.unwrap_or_else(|v| v)` is understood",
        ),
        (
            "let d = &m.x; let r = d + 1;",
            "d +",
            "`d` refers to location `x`",
        ),
        (
            "let r = x.load(Relaxed); r.store(1, Relaxed);",
            "r.store",
            "`r` is a register here",
        ),
        (
            "let r = x.store(1, Relaxed);",
            "let",
            "a store returns `()`",
        ),
        (
            "let r = 1 == 2 == 3;",
            "== 3",
            "comparison operators cannot be chained",
        ),
        ("let r = true + 1;", "+", "arithmetic needs integers"),
        ("let r = 1 && true;", "&&", "`&&` and `||` need bools"),
        (
            "x.load(Relaxed) let s = 1;",
            "let s",
            "expected `;` after the statement",
        ),
        (
            "compiler_fence(SeqCst);",
            "compiler_fence",
            "`compiler_fence` is not supported",
        ),
        // Ordering:: in a test input: not an ordering of this crate's code.
        (
            "x.store(1, Ordering::Consume);",
            "Consume",
            "Rust has no Consume ordering",
        ),
        (
            "x.store(1, Cmp::Relaxed);",
            "Relaxed",
            "expected an ordering",
        ),
        ("let r = 1; if r { }", "r {", "expected a bool"),
    ];
    for (body, needle, start) in cases {
        let text = format!("litmus T\nthread a {{ {body} }}\n");
        let column = "thread a { ".len() + body.find(needle).unwrap() + 1;
        let message = error(&text);
        let expected = format!("t.litmus:2:{column}: {start}");
        assert!(message.starts_with(&expected), "{body}: {message}");
    }
}

#[test]
fn a_named_return_needs_one_value() {
    let dir = scratch("named_return");
    std::fs::write(
        dir.join("f.rs"),
        "fn none(m: &M) { m.x.store(1, Relaxed); }\nfn two(m: &M) -> [u32; 2] { let a = m.x.load(Relaxed); [a, a] }\n",
    )
    .unwrap();
    let litmus = dir.join("t.litmus");
    std::fs::write(&litmus, "litmus T\nthread a = fn none in \"f.rs\" -> r;\n").unwrap();
    let error = parse_file(&litmus).unwrap_err();
    assert_eq!(error.span, Span::new(2, 33));
    assert!(error.message.contains("returns no value"), "{error}");
    std::fs::write(&litmus, "litmus T\nthread a = fn two in \"f.rs\" -> r;\n").unwrap();
    let error = parse_file(&litmus).unwrap_err();
    // In f.rs, at the returned array.
    assert_eq!(error.file, dir.join("f.rs").display().to_string());
    assert_eq!(error.span, Span::new(2, 56));
    assert!(error.message.contains("returns 2 values"), "{error}");
}

#[test]
fn rust_spawn_and_join_name_threads_declared_anywhere() {
    let program = model::parse(
        "t.litmus",
        "litmus StopFlag
thread main {
    spawn(worker);
    stop.store(1, Relaxed);
    join(worker);
    let n = *report;
}
thread worker {
    let s = stop.load(Relaxed);
    *report = 1;
}
exists (main.n == 0)
",
    )
    .unwrap();
    assert_eq!(
        program.threads[0].body[0].kind,
        StmtKind::Spawn { thread: 1 }
    );
    assert_eq!(
        program.threads[0].body[2].kind,
        StmtKind::Join { thread: 1 }
    );
    let verdict = model::check(&program, model::Model::Cpp20).unwrap();
    assert!(verdict.races.is_empty(), "the join orders the report");
    assert!(!verdict.allowed(), "the join hands over the report");
    let error = model::parse("t.litmus", "litmus T\nthread a {\n    join(b);\n}\n").unwrap_err();
    assert_eq!(
        error.to_string(),
        "t.litmus:3:10: no thread named `b`: the threads are a"
    );
}
