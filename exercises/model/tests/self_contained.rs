//! Every litmus program of the book, written out as one self-contained text (the form the
//! book's explorer runs in the reader's browser), has the outcomes of the file it comes from.

use model::{Model, Verdict, check, parse, parse::self_contained, parse_file};
use std::path::{Path, PathBuf};

/// The book's litmus files: each chapter crate's `litmus/`, the litmus lab's `model/`, and
/// the checker's own examples.
fn book_programs() -> Vec<PathBuf> {
    let exercises = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = vec![
        exercises.join("litmus/model"),
        exercises.join("model/examples"),
    ];
    for entry in std::fs::read_dir(&exercises).unwrap() {
        dirs.push(entry.unwrap().path().join("litmus"));
    }
    let mut files = Vec::new();
    for dir in dirs.into_iter().filter(|d| d.is_dir()) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "litmus") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// What a verdict says, without positions (the inlined text has other line numbers).
fn summary(v: &Verdict) -> String {
    let races: Vec<String> = v
        .races
        .iter()
        .map(|r| {
            format!(
                "{} {} ~ {} {}",
                r.first.thread, r.first.text, r.second.thread, r.second.text
            )
        })
        .collect();
    format!(
        "{:?}\nforbidden {:?}\nraces {races:?}\n{} {} {}",
        v.states,
        v.forbidden.keys().collect::<Vec<_>>(),
        v.candidates,
        v.positive,
        v.negative
    )
}

#[test]
fn every_book_program_inlined_has_the_same_outcomes() {
    let files = book_programs();
    assert!(files.len() > 60, "found only {} litmus files", files.len());
    let mut inlined = 0;
    for file in &files {
        let text = self_contained(file).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            !text.contains("= fn "),
            "{}: a borrowed body is left:\n{text}",
            file.display()
        );
        inlined += usize::from(text != std::fs::read_to_string(file).unwrap());
        let from_file = parse_file(file).unwrap();
        let from_text =
            parse(&file.display().to_string(), &text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        for model in Model::ALL {
            let (a, b) = (
                check(&from_file, model).unwrap(),
                check(&from_text, model).unwrap(),
            );
            assert_eq!(
                summary(&a),
                summary(&b),
                "{} under {model}:\n{text}",
                file.display()
            );
        }
    }
    assert!(inlined >= 20, "only {inlined} files had a borrowed body");
}

#[test]
fn a_returning_inline_thread_names_its_register() {
    let text = "litmus R\nthread a -> r { x.store(1, Relaxed); x.load(Relaxed) }\n\
                exists (a.r == 1)";
    let verdict = check(&parse("r", text).unwrap(), Model::Cpp20).unwrap();
    assert!(verdict.allowed());
    let error = parse("r", "litmus R\nthread a -> r { x.store(1, Relaxed); }\n").unwrap_err();
    assert!(
        error.to_string().contains("returns no value for `-> r`"),
        "{error}"
    );
}

#[test]
fn forbidden_states_come_with_the_axioms_they_break() {
    let file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../litmus/model/mp-release-acquire.litmus");
    let text = self_contained(&file).unwrap();
    let program = parse("mp", &text).unwrap();
    let verdict = check(&program, Model::Cpp20).unwrap();
    assert!(!verdict.forbidden.is_empty());
    for (state, axioms) in &verdict.forbidden {
        assert!(!verdict.states.contains_key(state));
        assert!(!axioms.is_empty(), "{state}");
    }
}
