//! `cargo xtask serve`: mdBook's own server and live reload, with the pass over the pages
//! (pages.rs) after every rebuild, so that an author previews the pages `build` deploys.
//!
//! How the pass runs: on a change, `mdbook serve` runs every renderer of the book and only then
//! tells the open pages to reload. `serve` adds one renderer for its run, this same program,
//! which rewrites book/html (mdBook reads `MDBOOK_OUTPUT__<NAME>` from the environment as an
//! `[output.<name>]` table). mdBook runs the renderers in the order of their names, so this one
//! comes after `html`, and the reload that follows it shows the rewritten pages. (A watcher of
//! book/html would race that reload instead.)

use super::{build_highlight, html_dir, log_rewritten, mdbook, pages};
use crate::toolchain as tools;
use crate::util::{Result, run};
use anyhow::anyhow;
use std::path::Path;
use std::{env, io};

/// The added renderer's name. mdBook 0.5.4 runs renderers in the order of their names (its
/// `Config::outputs` is a `BTreeMap`): this one must sort after every `[output.*]` of book.toml.
const RENDERER: &str = "xtask-pages";

/// `cargo xtask serve [--open] [--port N]`: installs the tools if needed, then serves the
/// book on http://localhost:3000 (or port N) and rebuilds on change.
pub fn serve(flags: crate::flags::Serve) -> Result {
    tools::ensure_book_tools()?;
    build_highlight()?;
    crate::tasks::explorer::build()?;
    let exe = env::current_exe()
        .map_err(|e| anyhow!("cannot find this program to run it after each rebuild: {e}"))?;
    let (key, value) = renderer_env(&exe)?;
    let mut serve = mdbook();
    serve.arg("serve").env(key, value);
    if flags.open {
        serve.arg("--open");
    }
    if let Some(port) = flags.port {
        serve.args(["--port", &port.to_string()]);
    }
    run(&mut serve)
}

/// The environment variable that adds the renderer, and its value (an `[output.xtask-pages]`
/// table as JSON, whose `command` runs `exe pages-pass`, a command `--help` does not list).
fn renderer_env(exe: &Path) -> Result<(String, String)> {
    // mdBook splits the command like a POSIX shell: the path goes in single quotes.
    let exe = exe
        .to_str()
        .filter(|exe| !exe.contains('\''))
        .ok_or_else(|| {
            anyhow!(
                "{}: a path mdBook cannot run (not UTF-8, or has a ')",
                exe.display()
            )
        })?;
    let command = format!("'{exe}' pages-pass");
    let key = format!(
        "MDBOOK_OUTPUT__{}",
        RENDERER.to_uppercase().replace('-', "_")
    );
    Ok((key, serde_json::json!({ "command": command }).to_string()))
}

/// `pages-pass`, the added renderer's work: the same pass as `cargo xtask build`, on book/html.
pub fn rewrite_after_rebuild() -> Result {
    // mdBook writes the whole book as JSON to a renderer's stdin, and warns if the renderer
    // exits before reading it.
    io::copy(&mut io::stdin().lock(), &mut io::sink())?;
    log_rewritten(&pages::rewrite(&html_dir())?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::root;

    #[test]
    fn the_pass_is_added_as_the_last_renderer() {
        let (key, value) = renderer_env(Path::new("/repo/target/debug/xtask")).unwrap();
        // mdBook's rule for these variables: drop MDBOOK_, lower-case, `__` → `.`, `_` → `-`.
        let config_key = key["MDBOOK_".len()..]
            .to_lowercase()
            .replace("__", ".")
            .replace('_', "-");
        assert_eq!(config_key, format!("output.{RENDERER}"));
        let table: serde_json::Value = serde_json::from_str(&value).unwrap();
        assert_eq!(table["command"], "'/repo/target/debug/xtask' pages-pass");
        let book = std::fs::read_to_string(root().join("book.toml")).unwrap();
        let outputs: Vec<&str> = book
            .lines()
            .filter_map(|line| {
                line.trim()
                    .strip_prefix("[output.")?
                    .split(['.', ']'])
                    .next()
            })
            .collect();
        assert!(outputs.contains(&"html"), "book.toml has no [output.html]?");
        for output in outputs {
            assert!(
                RENDERER > output,
                "`{RENDERER}` would run before `{output}`"
            );
        }
        assert!(renderer_env(Path::new("/it's/xtask")).is_err());
    }
}
