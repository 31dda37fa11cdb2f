//! The command line as a reader meets it: herd7's report on a good file; one
//! `file:line:column: message` line and exit status 2 on a bad one, never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

fn model(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_model"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the model binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A litmus file in a fresh temporary folder.
fn file(name: &str, contents: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("model-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn a_good_file_gets_herd7s_report_and_the_weak_states() {
    let out = model(&["corpus/SB.litmus", "corpus/SB+sc.litmus"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Test SB Allowed\nStates 4\n"), "{stdout}");
    assert!(
        stdout.contains("Observation SB Sometimes 1 3\n"),
        "{stdout}"
    );
    assert!(stdout.contains("Weak 0:r0=0; 1:r0=0;\n"), "{stdout}");
    assert!(stdout.contains("Observation SB+sc Never 0 3\n"), "{stdout}");
    assert!(
        stdout.contains("Executions 4 candidates, 3 consistent"),
        "{stdout}"
    );
}

#[test]
fn the_models_differ_on_load_buffering() {
    let cpp = text(&model(&["corpus/LB.litmus"]).stdout);
    let rc11 = text(&model(&["--model", "rc11", "corpus/LB.litmus"]).stdout);
    assert!(cpp.contains("Observation LB Sometimes"), "{cpp}");
    assert!(cpp.contains("(load buffering: a cycle in sb ∪ rf, which rc11 forbids)"));
    assert!(rc11.contains("Observation LB Never"), "{rc11}");
}

#[test]
fn races_are_reported_with_their_places() {
    let racy = file(
        "race.litmus",
        "litmus MP+na\nthread a {\n    *d = 1;\n    f.store(1, Relaxed);\n}\nthread b {\n    let r = f.load(Relaxed);\n    let v = *d;\n}\nexists (b.r == 1 && b.v == 0)\n",
    );
    let out = model(&[racy.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Race thread 0 (3:5) W d=1 na ~ thread 1 (8:5) R d="),
        "{stdout}"
    );
    assert!(stdout.contains("Undefined"), "{stdout}");
}

/// Runs the checker on `contents` and returns its one line of complaint.
fn rejected(name: &str, contents: &str) -> String {
    let path = file(name, contents);
    let out = model(&[path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "one message: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
        .trim_end()
        .strip_prefix(&format!("{}:", path.display()))
        .unwrap_or_else(|| panic!("names the file: {stderr}"))
        .to_owned()
}

#[test]
fn bad_input_is_one_located_message_and_status_2() {
    assert_eq!(
        rejected(
            "syntax.litmus",
            "litmus T\nthread a {\n    x.store(1 Relaxed);\n}\n"
        ),
        "3:15: expected `,` before the ordering, found `Relaxed`"
    );
    let release_load = rejected(
        "load.litmus",
        "litmus T\nthread a {\n    let r = x.load(Release);\n}\n",
    );
    assert!(release_load.starts_with("3:20: "), "{release_load}");
    assert!(release_load.contains("there is no such thing as a release load"));
    let unknown = rejected(
        "reg.litmus",
        "litmus T\nthread a {\n    let r = x.load(Relaxed);\n}\nexists (a.q == 1)\n",
    );
    assert!(unknown.starts_with("5:9: "), "{unknown}");
    assert!(unknown.contains("its registers: r"), "{unknown}");
    let mut seven = String::from("litmus T\n");
    for t in 0..7 {
        seven.push_str(&format!("thread t{t} {{\n    x.store({t}, Relaxed);\n}}\n"));
    }
    let too_many = rejected("seven.litmus", &seven);
    assert!(too_many.contains("at most 6"), "{too_many}");
}

#[test]
fn a_program_too_big_to_check_is_refused_instead_of_running_for_hours() {
    let mut text = String::from("litmus Big\n");
    for (t, first) in [("a", 1), ("b", 6)] {
        text.push_str(&format!("thread {t} {{\n"));
        for v in first..first + 5 {
            text.push_str(&format!("    x.store({v}, Relaxed);\n"));
        }
        text.push_str("}\n");
    }
    text.push_str("thread c {\n");
    for r in 1..=4 {
        text.push_str(&format!("    let r{r} = x.load(Relaxed);\n"));
    }
    text.push_str("}\n");
    let refused = rejected("big.litmus", &text);
    assert!(
        refused.starts_with("3:5: stopped after 200000 search steps"),
        "{refused}"
    );
    assert!(refused.contains("too many executions"), "{refused}");
}

#[test]
fn bad_arguments_say_what_is_valid() {
    let out = model(&["--model", "tso", "corpus/SB.litmus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the models are c++20, rc11"));
    let out = model(&["no/such/file.litmus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("no/such/file.litmus:1:1: "));
}
