//! The book's Rust-flavoured litmus form:
//!
//! ```text
//! litmus MP+rel+acq
//! init x = 0, y = 1;
//! thread a {
//!     x.store(1, Relaxed);
//!     y.store(1, Ordering::Release);
//! }
//! thread b = fn release_acquire_b in "../../litmus/src/tests/mp.rs";
//! observe x, a.r1;
//! exists (b.r1 == 1 && b.r2 == 0)
//! ```
//!
//! A thread's body is real Rust ([`super::rust_body`]), written inline or taken from a
//! function in a Rust file, so the book's page, its loom test and the model read one source.

use super::cursor::Cursor;
use super::lexer::{self, Dialect, Kind, Token};
use super::prop;
use super::rust_body;
use super::rust_fn;
use super::validate::{self, Places};
use crate::error::{Error, Span};
use crate::program::{Condition, Loc, Program, Quantifier, Stmt, StmtKind, Thread, Value, Var};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Rust files read so far, by path: their text and tokens.
type Sources = HashMap<PathBuf, (String, Vec<Token>)>;

/// Parses the tokens after the `litmus NAME` line. `dir` is the litmus file's directory, which
/// `in "PATH"` is relative to; `None` when parsing text with no file.
pub fn parse(mut cur: Cursor, name: String, dir: Option<&Path>) -> Result<Program, Error> {
    let mut init = BTreeMap::new();
    let mut threads = Vec::new();
    let mut places = Places {
        threads: Vec::new(),
        vars: Vec::new(),
        end: Span::default(),
    };
    let mut sources = Sources::new();
    let mut named = Vec::new();
    loop {
        if cur.eat_ident("init").is_some() {
            init_line(&mut cur, &mut init)?;
        } else if cur.eat_ident("thread").is_some() {
            let name = cur.expect_ident("the thread's name")?;
            places.threads.push(name.span);
            let body = if cur.at_punct("{") || cur.at_punct("->") {
                inline_body(&mut cur, &mut named)?
            } else if cur.at_punct("=") {
                borrowed_body(&mut cur, dir, &mut sources)?
            } else {
                return Err(
                    cur.unexpected("`{` to open the thread's body, or `= fn NAME in \"FILE\";`")
                );
            };
            threads.push(Thread {
                name: name.text,
                body,
            });
        } else {
            break;
        }
    }
    places.end = cur.peek().span;
    resolve_threads(&cur, &mut threads, &named)?;
    let mut program = Program {
        name,
        init,
        threads,
        condition: None,
        observed: Vec::new(),
    };
    if cur.eat_ident("observe").is_some() {
        loop {
            let (var, span) = var(&mut cur, &program)?;
            places.vars.push((var.clone(), span));
            program.observed.push(var);
            if cur.eat_punct(",").is_none() {
                break;
            }
        }
        cur.expect_punct(";", "after the observed variables")?;
    }
    if cur.peek().kind != Kind::Eof {
        program.condition = Some(condition(&mut cur, &program, &mut places.vars)?);
    }
    if cur.peek().kind != Kind::Eof {
        return Err(cur.unexpected("the end of the file after the final condition"));
    }
    validate::program(&cur.file, &program, &places)?;
    Ok(program)
}

/// Replaces the placeholder in each `spawn(t)` and `join(t)` (an index into `named`) with
/// the index of the thread called `t`.
fn resolve_threads(
    cur: &Cursor,
    threads: &mut [Thread],
    named: &[(String, Span)],
) -> Result<(), Error> {
    let names: Vec<String> = threads.iter().map(|t| t.name.clone()).collect();
    fn walk(
        stmts: &mut [Stmt],
        resolve: &dyn Fn(usize) -> Result<usize, Error>,
    ) -> Result<(), Error> {
        for stmt in stmts {
            match &mut stmt.kind {
                StmtKind::Spawn { thread } | StmtKind::Join { thread } => {
                    *thread = resolve(*thread)?;
                }
                StmtKind::If {
                    then, otherwise, ..
                } => {
                    walk(then, resolve)?;
                    walk(otherwise, resolve)?;
                }
                _ => {}
            }
        }
        Ok(())
    }
    let resolve = |i: usize| {
        let (name, span) = &named[i];
        names.iter().position(|n| n == name).ok_or_else(|| {
            cur.error(
                *span,
                format!(
                    "no thread named `{name}`: the threads are {}",
                    names.join(", ")
                ),
            )
        })
    };
    for thread in threads {
        walk(&mut thread.body, &resolve)?;
    }
    Ok(())
}

/// `{ … }` or `-> REG { … }` (after the thread's name): a body written in the litmus file.
/// `-> REG` names the register the body's final value goes to, as it does after
/// `= fn NAME in "FILE"`, so that a borrowed body can be written out inline unchanged
/// ([`super::self_contained`]).
fn inline_body(cur: &mut Cursor, named: &mut Vec<(String, Span)>) -> Result<Vec<Stmt>, Error> {
    let returns = match cur.eat_punct("->") {
        Some(_) => Some(cur.expect_ident("the register the thread's value goes to")?),
        None => None,
    };
    if !cur.at_punct("{") {
        return Err(cur.unexpected("`{` to open the thread's body"));
    }
    let wanted = returns.as_ref().map(|r| r.text.as_str());
    let (body, returned) = rust_body::body_with_threads(cur, wanted, named)?;
    if let Some(reg) = returns.filter(|_| !returned) {
        return Err(cur.error(
            reg.span,
            format!(
                "the thread's body returns no value for `-> {}` to name",
                reg.text
            ),
        ));
    }
    Ok(body)
}

/// `init x = 0, y = 1;` (after `init`).
fn init_line(cur: &mut Cursor, init: &mut BTreeMap<Loc, Value>) -> Result<(), Error> {
    loop {
        let name = cur.expect_ident("a location")?;
        cur.expect_punct("=", "and its initial value")?;
        let value = value(cur)?;
        if init.insert(name.text.clone(), value).is_some() {
            return Err(cur.error(name.span, format!("`{}` is initialised twice", name.text)));
        }
        if cur.eat_punct(",").is_none() {
            break;
        }
    }
    cur.expect_punct(";", "after the initial values").map(drop)
}

/// `= fn NAME in "PATH" (-> REG)?;` (at the `=`): the body of a function in a Rust file.
fn borrowed_body(
    cur: &mut Cursor,
    dir: Option<&Path>,
    sources: &mut Sources,
) -> Result<Vec<Stmt>, Error> {
    cur.next();
    let keyword = cur.expect_keyword("fn", "after `=`: `= fn NAME in \"FILE\";`")?;
    let function = cur.expect_ident("the function's name")?;
    cur.expect_keyword("in", "and the file it is in: `in \"path/to/file.rs\"`")?;
    if cur.peek().kind != Kind::Str {
        return Err(cur.unexpected("the file's path as a string"));
    }
    let file = cur.next();
    let returns = match cur.eat_punct("->") {
        Some(_) => Some(cur.expect_ident("the register the function's value goes to")?),
        None => None,
    };
    cur.expect_punct(";", "after the thread")?;
    let Some(dir) = dir else {
        return Err(cur.error(
            keyword.span,
            "this thread's body is in a Rust file, which is found relative to the litmus \
             file: parse it with parse_file (from a path), not parse (from text)",
        ));
    };
    let path = dir.join(&file.text);
    let shown = path.display().to_string();
    if !sources.contains_key(&path) {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| cur.error(file.span, format!("cannot read {shown}: {e}")))?;
        let tokens = lexer::tokenize(&shown, &text, 0, 1, 1, Dialect::Rust)?;
        sources.insert(path.clone(), (text, tokens));
    }
    let (text, tokens) = &sources[&path];
    let open = rust_fn::find(tokens, &function.text).map_err(|names| {
        cur.error(
            function.span,
            format!(
                "no `fn {}` with a body in {shown} (its functions: {})",
                function.text,
                validate::list(names.iter())
            ),
        )
    })?;
    let mut source = Cursor::new(&shown, text, tokens.clone());
    source.seek(open);
    let named = returns.as_ref().map(|r| r.text.as_str());
    let (body, returned) = rust_body::body(&mut source, named)?;
    if let Some(reg) = returns.filter(|_| !returned) {
        return Err(cur.error(
            reg.span,
            format!(
                "`fn {}` returns no value for `-> {}` to name",
                function.text, reg.text
            ),
        ));
    }
    Ok(body)
}

/// An integer, possibly negative, or `true` (1) or `false` (0).
pub(super) fn value(cur: &mut Cursor) -> Result<Value, Error> {
    if cur.eat_ident("true").is_some() {
        return Ok(1);
    }
    if cur.eat_ident("false").is_some() {
        return Ok(0);
    }
    let negative = cur.eat_punct("-").is_some();
    if cur.peek().kind != Kind::Int {
        return Err(cur.unexpected("an integer"));
    }
    let token = cur.next();
    cur.int(&token, negative)
}

/// `exists (…)`, `~exists (…)` or `!exists (…)`, `forall (…)`.
fn condition(
    cur: &mut Cursor,
    program: &Program,
    vars: &mut Vec<(Var, Span)>,
) -> Result<Condition, Error> {
    let start = cur.peek().span;
    let negated = cur.eat_punct("~").is_some() || cur.eat_punct("!").is_some();
    let quantifier = if cur.eat_ident("exists").is_some() {
        if negated {
            Quantifier::NotExists
        } else {
            Quantifier::Exists
        }
    } else if !negated && cur.eat_ident("forall").is_some() {
        Quantifier::Forall
    } else {
        return Err(cur.unexpected(if negated {
            "`exists` after the negation"
        } else {
            "`thread`, `init`, `observe` or the final condition (`exists`, `~exists`, `forall`)"
        }));
    };
    let prop = prop::parse(cur, &prop::RUST, program, vars)?;
    Ok(Condition {
        quantifier,
        prop,
        span: start,
    })
}

/// `a.r1` or `0.r1` or `0:r1` (a thread's register), or `x` (a location).
pub(super) fn var(cur: &mut Cursor, program: &Program) -> Result<(Var, Span), Error> {
    let token = cur.peek().clone();
    let thread = match token.kind {
        Kind::Int if cur.peek_at(1).is_punct(".") || cur.peek_at(1).is_punct(":") => {
            let index = token.text.parse::<usize>().ok();
            index.filter(|&i| i < program.threads.len())
        }
        Kind::Ident if cur.peek_at(1).is_punct(".") => {
            program.threads.iter().position(|t| t.name == token.text)
        }
        Kind::Ident => {
            cur.next();
            return Ok((Var::Loc(token.text), token.span));
        }
        _ => return Err(cur.unexpected("`THREAD.register`, a location, `true` or `(`")),
    };
    let Some(thread) = thread else {
        return Err(cur.error(
            token.span,
            format!(
                "unknown thread `{}` (threads: {})",
                token.text,
                validate::thread_list(program)
            ),
        ));
    };
    cur.next();
    cur.next();
    let reg = cur.expect_ident("a register name")?;
    Ok((
        Var::Reg {
            thread,
            reg: reg.text,
        },
        token.span,
    ))
}
