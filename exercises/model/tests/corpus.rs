//! The corpus: classic litmus tests with the verdicts the literature gives them, checked under
//! both models. The verdicts were derived by hand from the axioms and the papers each file
//! cites, never by running a tool, so this test is an oracle independent of the checker.
//!
//! Each `corpus/*.litmus` file carries its expectations in comments at its top, before the
//! initial state:
//!
//! ```text
//! // expect c++20: Never            herd7's Observation under Model::Cpp20
//! // expect rc11: Sometimes         and under Model::Rc11
//! // expect race: no                optional (required when the test has a plain access)
//! // expect race c++20: yes         or one line per model when the models differ
//! // source: <paper, section, URL>  required
//! ```

use model::program::{Mode, Program, Prop, Stmt, StmtKind};
use model::verdict::{Observation, State, Verdict};
use model::{Model, check, parse_file};
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The corpus must keep at least this many tests.
const MIN_FILES: usize = 40;

/// What one file says it should produce.
#[derive(Debug, Default)]
struct Expectations {
    /// Indexed like `Model::ALL`.
    observation: [Option<Observation>; 2],
    race: [Option<bool>; 2],
    source: Option<String>,
}

fn model_index(model: Model) -> usize {
    Model::ALL
        .iter()
        .position(|m| *m == model)
        .expect("every model is in Model::ALL")
}

fn parse_observation(value: &str) -> Result<Observation, String> {
    match value {
        "Never" => Ok(Observation::Never),
        "Sometimes" => Ok(Observation::Sometimes),
        "Always" => Ok(Observation::Always),
        _ => Err(format!(
            "`{value}` is not an observation (Never, Sometimes or Always)"
        )),
    }
}

fn parse_race(value: &str) -> Result<bool, String> {
    match value {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err(format!("`{value}` is not a race expectation (yes or no)")),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, what: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("`{what}` is given twice"));
    }
    *slot = Some(value);
    Ok(())
}

/// Reads the `// expect ...` and `// source:` lines of the header (everything before the line
/// that opens the initial state).
fn parse_expectations(text: &str) -> Result<Expectations, String> {
    let mut exp = Expectations::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('{') {
            break;
        }
        let Some(comment) = line.strip_prefix("//") else {
            continue;
        };
        let comment = comment.trim();
        let at = |e: String| format!("line {}: {e}", index + 1);
        if let Some(rest) = comment.strip_prefix("source:") {
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(at("`// source:` is empty".into()));
            }
            set_once(&mut exp.source, rest.to_owned(), "source").map_err(at)?;
            continue;
        }
        let Some(rest) = comment.strip_prefix("expect") else {
            continue;
        };
        let Some((key, value)) = rest.split_once(':') else {
            return Err(at(format!("`// expect{rest}` has no `:`")));
        };
        let (key, value) = (key.trim(), value.trim());
        let words: Vec<&str> = key.split_whitespace().collect();
        match words.as_slice() {
            ["race"] => {
                let race = parse_race(value).map_err(at)?;
                for model in Model::ALL {
                    set_once(&mut exp.race[model_index(model)], race, "expect race").map_err(at)?;
                }
            }
            ["race", name] => {
                let model: Model = name.parse().map_err(at)?;
                let race = parse_race(value).map_err(at)?;
                set_once(&mut exp.race[model_index(model)], race, key).map_err(at)?;
            }
            [name] => {
                let model: Model = name.parse().map_err(at)?;
                let observation = parse_observation(value).map_err(at)?;
                set_once(
                    &mut exp.observation[model_index(model)],
                    observation,
                    &format!("expect {key}"),
                )
                .map_err(at)?;
            }
            _ => return Err(at(format!("unknown expectation `expect {key}`"))),
        }
    }
    for model in Model::ALL {
        if exp.observation[model_index(model)].is_none() {
            return Err(format!("no `// expect {model}:` line"));
        }
    }
    if exp.source.is_none() {
        return Err("no `// source:` line".into());
    }
    Ok(exp)
}

fn has_plain_access(body: &[Stmt]) -> bool {
    body.iter().any(|stmt| match &stmt.kind {
        StmtKind::Load { mode, .. } | StmtKind::Store { mode, .. } => *mode == Mode::NonAtomic,
        StmtKind::If {
            then, otherwise, ..
        } => has_plain_access(then) || has_plain_access(otherwise),
        _ => false,
    })
}

fn holds(prop: &Prop, state: &State) -> bool {
    match prop {
        Prop::True => true,
        Prop::Eq(var, value) => state.get(var) == Some(*value),
        Prop::Not(p) => !holds(p, state),
        Prop::And(a, b) => holds(a, state) && holds(b, state),
        Prop::Or(a, b) => holds(a, state) || holds(b, state),
    }
}

/// The final states, one a line; `*` marks those that satisfy the condition.
fn describe_states(program: &Program, verdict: &Verdict) -> String {
    let mut out = String::new();
    for (state, info) in &verdict.states {
        let mark = match &program.condition {
            Some(c) if holds(&c.prop, state) => "*",
            _ => " ",
        };
        let _ = writeln!(
            out,
            "        {mark} {state}  ({} executions{}{}{})",
            info.executions,
            if info.under_sc { ", SC" } else { ", weak" },
            if info.thin_air { ", thin air" } else { "" },
            if info.racy { ", racy" } else { "" },
        );
    }
    out
}

fn describe_races(verdict: &Verdict) -> String {
    let mut out = String::new();
    for race in &verdict.races {
        let _ = writeln!(out, "        race: {race}");
    }
    out
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic)".into()
    }
}

fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "litmus"))
        .collect();
    files.sort();
    files
}

/// Everything that went wrong with one file under one model (or with the file itself).
fn check_file(path: &Path, failures: &mut Vec<String>, slowest: &mut Option<(Duration, String)>) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            failures.push(format!("{name}: cannot read: {e}"));
            return;
        }
    };
    let expected = match parse_expectations(&text) {
        Ok(exp) => exp,
        Err(e) => {
            failures.push(format!("{name}: bad expectations: {e}"));
            return;
        }
    };
    let program = match catch_unwind(|| parse_file(path)) {
        Ok(Ok(program)) => program,
        Ok(Err(e)) => {
            failures.push(format!("{name}: does not parse: {e}"));
            return;
        }
        Err(payload) => {
            failures.push(format!(
                "{name}: the parser panicked: {}",
                panic_message(payload.as_ref())
            ));
            return;
        }
    };
    let plain = program.threads.iter().any(|t| has_plain_access(&t.body));
    if plain && expected.race.iter().any(Option::is_none) {
        failures.push(format!(
            "{name}: has plain accesses, so it needs `// expect race: yes|no` \
             (or one `// expect race MODEL:` line per model)"
        ));
    }
    for model in Model::ALL {
        let i = model_index(model);
        let verdict = match catch_unwind(AssertUnwindSafe(|| check(&program, model))) {
            Ok(Ok(verdict)) => verdict,
            Ok(Err(e)) => {
                failures.push(format!("{name} [{model}]: the checker refused it: {e}"));
                continue;
            }
            Err(payload) => {
                failures.push(format!(
                    "{name} [{model}]: the checker panicked: {}",
                    panic_message(payload.as_ref())
                ));
                continue;
            }
        };
        if slowest.as_ref().is_none_or(|(t, _)| verdict.elapsed > *t) {
            *slowest = Some((verdict.elapsed, format!("{name} [{model}]")));
        }
        let got = verdict.observation();
        let want = expected.observation[i].expect("checked by parse_expectations");
        let mut problems = Vec::new();
        if got != want {
            problems.push(format!("expected {want}, got {got}"));
        }
        let racy = !verdict.races.is_empty();
        if let Some(want_race) = expected.race[i]
            && racy != want_race
        {
            let word = |b: bool| if b { "yes" } else { "no" };
            problems.push(format!(
                "expected race: {}, got race: {}",
                word(want_race),
                word(racy)
            ));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{name} [{model}]: {} (positive {}, negative {}, {} consistent of {} candidates)\n{}{}",
                problems.join("; "),
                verdict.positive,
                verdict.negative,
                verdict.consistent,
                verdict.candidates,
                describe_states(&program, &verdict),
                describe_races(&verdict),
            ));
        }
    }
}

#[test]
fn corpus_verdicts_match_the_literature() {
    let files = corpus_files();
    assert!(
        files.len() >= MIN_FILES,
        "the corpus has {} tests, fewer than {MIN_FILES}",
        files.len()
    );
    let mut failures = Vec::new();
    let mut slowest = None;
    for path in &files {
        check_file(path, &mut failures, &mut slowest);
    }
    if let Some((elapsed, what)) = &slowest {
        println!(
            "corpus: {} tests under {} models; slowest: {what} in {elapsed:?}",
            files.len(),
            Model::ALL.len()
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatch(es) against the corpus (`*` marks states satisfying the condition):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn expectation_lines_are_strict() {
    let good = "C T\n\"d\"\n// expect c++20: Never\n// expect rc11: Sometimes\n\
                // expect race c++20: yes\n// expect race rc11: no\n// source: x\n{ x = 0; }\n\
                // expect c++20: Always\n";
    let exp = parse_expectations(good).unwrap();
    assert_eq!(
        exp.observation[model_index(Model::Cpp20)],
        Some(Observation::Never)
    );
    assert_eq!(
        exp.observation[model_index(Model::Rc11)],
        Some(Observation::Sometimes)
    );
    assert_eq!(exp.race[model_index(Model::Cpp20)], Some(true));
    assert_eq!(exp.race[model_index(Model::Rc11)], Some(false));

    for bad in [
        "// expect c++20: Never\n// source: x\n",
        "// expect c++20: Never\n// expect rc11: Never\n",
        "// expect c++20: never\n// expect rc11: Never\n// source: x\n",
        "// expect c++20: Never\n// expect rc11: Never\n// expect rc11: Never\n// source: x\n",
        "// expect c++20: Never\n// expect rc11: Never\n// expect race: maybe\n// source: x\n",
        "// expect c++20: Never\n// expect rc11: Never\n// expect race: no\n\
         // expect race rc11: no\n// source: x\n",
        "// expect c++17: Never\n// expect rc11: Never\n// source: x\n",
        "// expect c++20 Never\n// expect rc11: Never\n// source: x\n",
    ] {
        assert!(parse_expectations(bad).is_err(), "accepted:\n{bad}");
    }
}
