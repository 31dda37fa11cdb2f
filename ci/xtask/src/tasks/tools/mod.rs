//! `cargo xtask tools [--check | --hardware]`: the Tools appendix's table, from the tests that
//! back it.
//!
//! Every cell of the table "what each tool sees" is a claim in
//! `src/appendix/tools/claims.toml` (the content's own data: this module holds only the
//! logic), and every claim names the one test that proves it. `cargo xtask tools` runs each
//! claim's test the way its tool runs (a std test, a loom model, the crate's Miri or TSan
//! checks), fails if any of them fails, and only then writes `src/appendix/tools/table.md`,
//! which the appendix includes. So a cell cannot say something that its test does not show,
//! and the table cannot be edited by hand: `--check` (part of `cargo xtask test`) fails if the
//! committed table is not what the claims render, or if a claim's test could escape CI
//! (missing, `#[ignore]`d for a std or loom claim, or absent from the crate's Miri or TSan
//! table).
//!
//! Claims about arm64 hardware cannot run on an x86-64 machine: they are run by the arm64 CI
//! job (`cargo xtask tools --hardware`, which runs only the claims about this machine's
//! processor), and the x86-64 claims the same way on x86-64.
//!
//! - [`claims`]: what makes a claim stand (its test exists and CI runs it), and running them.
//! - [`table`]: the Markdown the appendix includes.

mod claims;
mod table;

use crate::generated::{Mode, all_fresh, write_or_check};
use crate::util::{Result, anyhow, relative, root, step};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The claims, relative to the repository root.
const CLAIMS: &str = "src/appendix/tools/claims.toml";
/// The generated table, which `src/appendix/tools.md` includes.
const TABLE: &str = "src/appendix/tools/table.md";

/// The table's columns, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum Tool {
    #[serde(rename = "loom")]
    Loom,
    #[serde(rename = "miri")]
    Miri,
    #[serde(rename = "tsan")]
    Tsan,
    /// A test on real threads, on an x86-64 machine.
    #[serde(rename = "x86-64")]
    X86,
    /// A test on real threads, on an arm64 machine.
    #[serde(rename = "arm64")]
    Arm,
}

const TOOLS: [Tool; 5] = [Tool::Loom, Tool::Miri, Tool::Tsan, Tool::X86, Tool::Arm];

impl Tool {
    fn heading(self) -> &'static str {
        match self {
            Tool::Loom => "loom",
            Tool::Miri => "Miri",
            Tool::Tsan => "ThreadSanitizer",
            Tool::X86 => "real threads, x86-64",
            Tool::Arm => "real threads, arm64",
        }
    }

    /// The processor a hardware claim must run on (`std::env::consts::ARCH`).
    fn arch(self) -> Option<&'static str> {
        match self {
            Tool::X86 => Some("x86_64"),
            Tool::Arm => Some("aarch64"),
            _ => None,
        }
    }
}

/// What the tool does with the program. The first word of every cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Broken code, and the tool reports the bug.
    Caught,
    /// Broken code, and the tool reports nothing: a blind spot.
    Missed,
    /// Correct code (or an outcome the model forbids), and the tool reports a bug anyway.
    FalseAlarm,
    /// Correct code, and the tool passes it.
    Passes,
    /// A litmus outcome the model allows, and the tool produces it.
    Produces,
    /// A litmus outcome the model allows, and the tool never produces it: a blind spot.
    NeverProduces,
    /// A litmus outcome the model forbids, and the tool never produces it.
    Never,
}

impl Verdict {
    fn word(self) -> &'static str {
        match self {
            Verdict::Caught => "caught",
            Verdict::Missed => "missed",
            Verdict::FalseAlarm => "false alarm",
            Verdict::Passes => "passes",
            Verdict::Produces => "produced",
            Verdict::NeverProduces => "never produced",
            Verdict::Never => "never",
        }
    }

    /// Whether the tool's run ends in a report, which Miri's and TSan's tables must expect.
    fn reports(self) -> bool {
        matches!(self, Verdict::Caught | Verdict::FalseAlarm)
    }
}

/// The whole file: one table per group.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
}

/// One table of the appendix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub heading: String,
    #[serde(rename = "row")]
    pub rows: Vec<Row>,
}

/// One row: a program from the book, and its filled cells.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    /// Markdown: the program, with a link to the page that teaches it.
    pub program: String,
    #[serde(rename = "claim", default)]
    pub claims: Vec<Claim>,
}

/// One cell: what `tool` does with the row's program, and the test that shows it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub tool: Tool,
    pub verdict: Verdict,
    /// The rest of the cell, after the verdict: the message, the outcome, the reason.
    #[serde(default)]
    pub detail: String,
    pub test: TestRef,
}

/// `<crate>/tests/<file>.rs::<function>`: one test function of a chapter crate.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct TestRef {
    pub krate: String,
    /// The test target: `tests/<file>.rs`.
    pub file: String,
    pub function: String,
}

impl TryFrom<String> for TestRef {
    type Error = String;

    fn try_from(text: String) -> std::result::Result<Self, String> {
        let parsed = text.split_once("::").and_then(|(path, function)| {
            let (krate, file) = path.split_once("/tests/")?;
            let file = file.strip_suffix(".rs")?;
            let ok = |s: &str| !s.is_empty() && !s.contains(['/', ':', ' ']);
            (ok(krate) && ok(file) && ok(function)).then(|| TestRef {
                krate: krate.to_owned(),
                file: file.to_owned(),
                function: function.to_owned(),
            })
        });
        parsed.ok_or_else(|| {
            format!("`{text}`: a test is named `<crate>/tests/<file>.rs::<function>`")
        })
    }
}

impl std::fmt::Display for TestRef {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{}/tests/{}.rs::{}",
            self.krate, self.file, self.function
        )
    }
}

impl Claims {
    /// Parses the claims file's text; `path` names it in errors (with line and column).
    pub fn parse(text: &str, path: &Path) -> Result<Claims> {
        toml::from_str(text).map_err(|e| anyhow!("{}: {e}", relative(path)))
    }

    /// Every filled cell with its row, in the table's order.
    pub fn cells(&self) -> impl Iterator<Item = (&Row, &Claim)> {
        self.groups
            .iter()
            .flat_map(|g| &g.rows)
            .flat_map(|row| row.claims.iter().map(move |claim| (row, claim)))
    }
}

fn path(relative_path: &str) -> PathBuf {
    root().join(relative_path)
}

/// The claims as committed.
fn load() -> Result<Claims> {
    let path = path(CLAIMS);
    let text =
        std::fs::read_to_string(&path).map_err(|e| anyhow!("reading {}: {e}", relative(&path)))?;
    Claims::parse(&text, &path)
}

pub fn run(flags: crate::flags::Tools) -> Result {
    #[derive(PartialEq)]
    enum Run {
        All,
        Check,
        Hardware,
    }
    let how = match flags {
        crate::flags::Tools { check: true, .. } => Run::Check,
        crate::flags::Tools { hardware: true, .. } => Run::Hardware,
        _ => Run::All,
    };
    let claims = load()?;
    let problems = claims::problems(&claims)?;
    if !problems.is_empty() {
        return Err(anyhow!("{CLAIMS}:\n{}", problems.join("\n")));
    }
    match how {
        Run::Hardware => claims::run_all(&claims, true),
        Run::Check => {
            let stale = write_or_check(Mode::Check, &path(TABLE), &table::render(&claims))?;
            all_fresh(stale.into_iter().collect())?;
            step("the Tools table matches its claims, and every claim's test runs in CI");
            Ok(())
        }
        Run::All => {
            claims::run_all(&claims, false)?;
            write_or_check(Mode::Write, &path(TABLE), &table::render(&claims))?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_test_is_named_by_crate_file_and_function() {
        let t = TestRef::try_from("once-init/tests/loom.rs::fixed_publishes".to_owned()).unwrap();
        assert_eq!((t.krate.as_str(), t.file.as_str()), ("once-init", "loom"));
        assert_eq!(t.function, "fixed_publishes");
        assert_eq!(t.to_string(), "once-init/tests/loom.rs::fixed_publishes");
        for bad in [
            "counter/loom.rs::t",
            "counter/tests/loom::t",
            "counter/tests/loom.rs",
        ] {
            let error = TestRef::try_from(bad.to_owned()).unwrap_err();
            assert!(
                error.contains("<crate>/tests/<file>.rs::<function>"),
                "{error}"
            );
        }
    }

    #[test]
    fn a_mistake_in_the_file_names_the_file_line_and_column() {
        let text = "[[group]]\nheading = \"h\"\n[[group.row]]\nprogram = \"p\"\n\
                    [[group.row.claim]]\ntool = \"loom\"\nverdict = \"cought\"\n\
                    test = \"k/tests/loom.rs::t\"\n";
        let error = Claims::parse(text, Path::new("claims.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("claims.toml: TOML parse error at line 7"),
            "{error}"
        );
        assert!(
            error.contains("caught"),
            "the valid verdicts are listed: {error}"
        );
    }

    #[test]
    fn the_committed_claims_parse_and_every_cell_has_at_most_one_claim() {
        let claims = load().unwrap();
        assert!(claims.cells().count() > 50);
        for row in claims.groups.iter().flat_map(|g| &g.rows) {
            for claim in &row.claims {
                let same = row.claims.iter().filter(|c| c.tool == claim.tool).count();
                assert_eq!(same, 1, "{}: {claim:?}", row.program);
            }
        }
    }
}
