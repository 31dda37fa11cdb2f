//! The guide's ```console blocks, read as commands, so the end-to-end tests run what the page
//! shows and compare what it prints with the output the page shows under it.

use crate::util::{Result, anyhow};

/// One `$ …` line of a ```console block (with its `\` continuation lines), and the lines the
/// page shows under it as its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The page's line number of the `$`, for messages.
    pub line: usize,
    /// The leading `NAME=value` words.
    pub env: Vec<(String, String)>,
    pub program: String,
    pub args: Vec<String>,
    pub output: Vec<String>,
}

impl Shown {
    /// The value the command line gives `name`, if any.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.env
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The command as the page shows it (for messages).
    pub fn text(&self) -> String {
        let env = self.env.iter().map(|(key, value)| format!("{key}={value}"));
        let words: Vec<String> = env
            .chain(std::iter::once(self.program.clone()))
            .chain(self.args.iter().cloned())
            .collect();
        words.join(" ")
    }
}

/// Every command of every ```console block of `page`, in order.
pub fn commands(page: &str) -> Result<Vec<Shown>> {
    let mut found: Vec<Shown> = Vec::new();
    // `Some(first command of the block)` inside a console block.
    let mut block: Option<usize> = None;
    // A command whose line ended in `\`: where it started, and its text so far.
    let mut pending: Option<(usize, String)> = None;
    for (index, line) in page.lines().enumerate() {
        let number = index + 1;
        let Some(first) = block else {
            if line.trim() == "```console" {
                block = Some(found.len());
            }
            continue;
        };
        if line.trim() == "```" {
            if let Some((start, _)) = pending {
                return Err(anyhow!(
                    "line {start}: the command's last line ends in `\\`"
                ));
            }
            block = None;
            continue;
        }
        let (start, text) = match (pending.take(), line.strip_prefix("$ ")) {
            (Some((start, text)), _) => (start, format!("{text} {}", line.trim())),
            (None, Some(command)) => (number, command.trim().to_owned()),
            (None, None) => {
                let in_block = found.len() > first;
                match found.last_mut().filter(|_| in_block) {
                    Some(command) => command.output.push(line.to_owned()),
                    None => {
                        return Err(anyhow!(
                            "line {number}: output in a console block before any `$ ` command"
                        ));
                    }
                }
                continue;
            }
        };
        match text.strip_suffix('\\') {
            Some(head) => pending = Some((start, head.trim_end().to_owned())),
            None => found.push(parse(start, &text)?),
        }
    }
    Ok(found)
}

/// A command line: leading `NAME=value` words, the program, its arguments.
fn parse(line: usize, text: &str) -> Result<Shown> {
    let mut words = words(text)
        .map_err(|e| anyhow!("line {line}: {e}"))?
        .into_iter();
    let mut env = Vec::new();
    for word in words.by_ref() {
        let assignment = word.split_once('=').filter(|(name, _)| {
            !name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        });
        match assignment {
            Some((name, value)) => env.push((name.to_owned(), value.to_owned())),
            None => {
                return Ok(Shown {
                    line,
                    env,
                    program: word,
                    args: words.collect(),
                    output: Vec::new(),
                });
            }
        }
    }
    Err(anyhow!("line {line}: `{text}` runs no program"))
}

/// Splits a command line into words as a shell does for the quoting this page uses: spaces
/// separate words, except inside '…' or "…", and the quotes themselves go.
fn words(text: &str) -> Result<Vec<String>> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut quote: Option<char> = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), c) => word.get_or_insert_with(String::new).push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                word.get_or_insert_with(String::new);
            }
            (None, c) if c.is_whitespace() => words.extend(word.take()),
            (None, c) => word.get_or_insert_with(String::new).push(c),
        }
    }
    if quote.is_some() {
        return Err(anyhow!("an unclosed quote in `{text}`"));
    }
    words.extend(word);
    Ok(words)
}

/// The lines of `shown` that no line of `output` matches. A shown line matches a real one
/// that contains its parts in order, the parts being what lies between the `…` the page puts
/// where a run prints something of its own (a pid, an address, a temporary path).
pub fn unmatched<'a>(shown: &'a [String], output: &str) -> Vec<&'a str> {
    shown
        .iter()
        .map(String::as_str)
        .filter(|line| !output.lines().any(|real| matches(line, real)))
        .collect()
}

fn matches(shown: &str, real: &str) -> bool {
    let mut rest = real;
    shown
        .split('…')
        .filter(|part| !part.is_empty())
        .all(|part| match rest.find(part) {
            Some(at) => {
                rest = &rest[at + part.len()..];
                true
            }
            None => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "text\n\n```console\n$ A=\"x y\" B=2 cargo +n test \\\n    --test t \
                        -- --exact\nout one\n  out … two\n$ rustup show\n```\n\n```toml\n\
                        $ not = a command\n```\n";

    #[test]
    fn reads_commands_their_environment_continuations_and_output() {
        let found = commands(PAGE).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].line, 4);
        assert_eq!(found[0].var("A"), Some("x y"));
        assert_eq!(found[0].var("B"), Some("2"));
        assert_eq!(found[0].program, "cargo");
        assert_eq!(
            found[0].args,
            ["+n", "test", "--test", "t", "--", "--exact"]
        );
        assert_eq!(found[0].output, ["out one", "  out … two"]);
        assert_eq!(found[1].program, "rustup");
        assert!(found[1].output.is_empty());
        assert_eq!(found[1].text(), "rustup show");
    }

    #[test]
    fn a_broken_block_is_an_error() {
        let error = commands("```console\n$ cargo \\\n```\n").unwrap_err();
        assert!(error.to_string().contains("ends in `\\`"), "{error}");
        let error = commands("```console\nout\n```\n").unwrap_err();
        assert!(error.to_string().contains("before any `$ `"), "{error}");
        let error = commands("```console\n$ A=\"x cargo\n```\n").unwrap_err();
        assert!(error.to_string().contains("unclosed quote"), "{error}");
        let error = commands("```console\n$ A=1\n```\n").unwrap_err();
        assert!(error.to_string().contains("runs no program"), "{error}");
    }

    #[test]
    fn a_shown_line_matches_a_real_one_with_its_parts_in_order() {
        let shown = [
            "WARNING: data race (pid=…)".to_owned(),
            "  #0 pop …/src/broken.rs:47:33".to_owned(),
            "b … a".to_owned(),
        ];
        let real =
            "WARNING: data race (pid=4526)\n  #0 pop /tmp/x/src/broken.rs:47:33 (+0x1)\na b\n";
        assert_eq!(unmatched(&shown, real), ["b … a"]);
        assert!(unmatched(&shown[..2], real).is_empty());
    }
}
