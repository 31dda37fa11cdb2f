//! herd7's C litmus format, the subset that published C11 tests use, so they run unchanged:
//!
//! ```text
//! C MP+rel+acq
//! "optional description"
//! { x = 0; y = 0; }
//! P0 (atomic_int* x, atomic_int* y) {
//!   atomic_store_explicit(x, 1, memory_order_relaxed);
//!   atomic_store_explicit(y, 1, memory_order_release);
//! }
//! P1 (atomic_int* x, atomic_int* y) {
//!   int r0 = atomic_load_explicit(y, memory_order_acquire);
//!   int r1 = atomic_load_explicit(x, memory_order_relaxed);
//! }
//! exists (1:r0=1 /\ 1:r1=0)
//! ```
//!
//! A thread reaches locations only through its pointer parameters; the access form, not the
//! parameter's type, decides whether an access is atomic.

use super::cursor::Cursor;
use super::herd_thread::thread;
use super::lexer::{Kind, Token};
use super::prop;
use super::validate::{self, Places};
use crate::error::{Error, Span};
use crate::program::{Condition, Loc, Program, Quantifier, Reg, Value, Var};
use std::collections::BTreeMap;

/// Parses the tokens after the `C NAME` line.
pub fn parse(mut cur: Cursor, name: String) -> Result<Program, Error> {
    skip_preamble(&mut cur);
    let (init, register_inits) = init(&mut cur)?;
    let mut threads = Vec::new();
    let mut places = Places {
        threads: Vec::new(),
        vars: Vec::new(),
        end: Span::default(),
    };
    // A thread is `Pi (`; anything else with a `(` after it is one misnamed, except the
    // condition's keywords.
    let keywords = ["exists", "forall", "locations", "filter"];
    while cur.peek().kind == Kind::Ident
        && cur.peek_at(1).is_punct("(")
        && !keywords.contains(&cur.peek().text.as_str())
    {
        let index = threads.len();
        let inits = register_inits.iter().filter(|i| i.thread == index);
        places.threads.push(cur.peek().span);
        threads.push(thread(&mut cur, index, inits)?);
    }
    places.end = cur.peek().span;
    if let Some(orphan) = register_inits.iter().find(|i| i.thread >= threads.len()) {
        return Err(cur.error(
            orphan.span,
            format!(
                "init sets a register of thread {}, but there are only {} threads",
                orphan.thread,
                threads.len()
            ),
        ));
    }
    let mut program = Program {
        name,
        init,
        threads,
        condition: None,
        observed: Vec::new(),
    };
    if cur.eat_ident("locations").is_some() {
        cur.expect_punct("[", "after `locations`")?;
        while cur.eat_punct("]").is_none() {
            let (var, span) = var(&mut cur, &program)?;
            places.vars.push((var.clone(), span));
            program.observed.push(var);
            if !cur.at_punct("]") {
                cur.expect_punct(";", "between the locations")?;
            }
        }
    }
    if let Some(filter) = cur.eat_ident("filter") {
        return Err(cur.error(
            filter.span,
            "`filter` is not supported; put what it requires into the final condition",
        ));
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

/// Skips the optional quoted description and diy's `Key=value` lines (`Cycle=…`,
/// `Generator=…`) that sit between the name and the initial state.
fn skip_preamble(cur: &mut Cursor) {
    if cur.peek().kind == Kind::Str {
        cur.next();
    }
    while cur.peek().kind == Kind::Ident && cur.peek_at(1).is_punct("=") {
        let line = cur.peek().span.line;
        while cur.peek().kind != Kind::Eof && cur.peek().span.line == line {
            cur.next();
        }
    }
}

/// `0:r0 = 1;` in the initial state: a register's starting value.
pub struct RegisterInit {
    pub thread: usize,
    pub reg: Reg,
    pub value: Value,
    pub span: Span,
}

/// The initial state `{ x = 1; [y] = 2; int z = 0; w; 0:r0 = 1; }`.
fn init(cur: &mut Cursor) -> Result<(BTreeMap<Loc, Value>, Vec<RegisterInit>), Error> {
    cur.expect_punct("{", "to open the initial state")?;
    let mut locations = BTreeMap::new();
    let mut registers = Vec::new();
    while cur.eat_punct("}").is_none() {
        if cur.eat_punct(";").is_some() {
            continue;
        }
        let first = cur.peek().clone();
        if first.kind == Kind::Int && cur.peek_at(1).is_punct(":") {
            cur.next();
            cur.next();
            let thread = thread_number(cur, &first)?;
            let reg = cur.expect_ident("a register name after `:`")?.text;
            cur.expect_punct("=", "and the register's initial value")?;
            let value = value(cur)?;
            registers.push(RegisterInit {
                thread,
                reg,
                value,
                span: first.span,
            });
        } else {
            let name = init_location(cur)?;
            let value = if cur.eat_punct("=").is_some() {
                value(cur)?
            } else {
                0
            };
            if locations.insert(name.text.clone(), value).is_some() {
                return Err(cur.error(name.span, format!("`{}` is initialised twice", name.text)));
            }
        }
        if !cur.at_punct("}") {
            cur.expect_punct(";", "after an initial value")?;
        }
    }
    Ok((locations, registers))
}

/// The location an init entry names: `x`, `[x]`, or `x` after type words (`atomic_int x`).
fn init_location(cur: &mut Cursor) -> Result<Token, Error> {
    if cur.eat_punct("[").is_some() {
        let name = cur.expect_ident("a location name")?;
        cur.expect_punct("]", "after the location")?;
        return Ok(name);
    }
    let mut name = cur.expect_ident("a location, like `x = 0;`")?;
    while cur.peek().kind == Kind::Ident {
        name = cur.next();
    }
    if let Some(star) = cur.eat_punct("*") {
        return Err(cur.error(
            star.span,
            "pointer-valued locations are not supported; locations hold integers",
        ));
    }
    Ok(name)
}

pub fn thread_number(cur: &Cursor, token: &Token) -> Result<usize, Error> {
    token.text.parse().map_err(|_| {
        cur.error(
            token.span,
            format!("`{}` is not a thread number", token.text),
        )
    })
}

/// An integer, possibly negative.
pub(super) fn value(cur: &mut Cursor) -> Result<Value, Error> {
    let negative = cur.eat_punct("-").is_some();
    let token = cur.peek().clone();
    match token.kind {
        Kind::Int => {
            cur.next();
            cur.int(&token, negative)
        }
        Kind::Ident => Err(cur.error(
            token.span,
            format!(
                "only integer values are supported, not `{}` (pointers are not)",
                token.text
            ),
        )),
        _ => Err(cur.unexpected("an integer")),
    }
}

/// `exists (…)`, `~exists (…)` or `forall (…)`.
fn condition(
    cur: &mut Cursor,
    program: &Program,
    vars: &mut Vec<(Var, Span)>,
) -> Result<Condition, Error> {
    let start = cur.peek().span;
    let negated = cur.eat_punct("~").is_some();
    let keyword = cur.peek().clone();
    let quantifier = match keyword.text.as_str() {
        "exists" if keyword.kind == Kind::Ident => {
            if negated {
                Quantifier::NotExists
            } else {
                Quantifier::Exists
            }
        }
        "forall" if keyword.kind == Kind::Ident && !negated => Quantifier::Forall,
        _ => {
            return Err(cur.unexpected(if negated {
                "`exists` after `~`"
            } else {
                "the final condition (`exists`, `~exists` or `forall`) or `locations`"
            }));
        }
    };
    cur.next();
    let prop = prop::parse(cur, &prop::HERD, program, vars)?;
    Ok(Condition {
        quantifier,
        prop,
        span: start,
    })
}

/// `1:r0` (thread 1's register), `x` or `[x]` (a location).
pub(super) fn var(cur: &mut Cursor, program: &Program) -> Result<(Var, Span), Error> {
    let token = cur.peek().clone();
    if token.kind == Kind::Int {
        cur.next();
        cur.expect_punct(":", "between the thread number and the register")?;
        let thread = thread_number(cur, &token)?;
        if thread >= program.threads.len() {
            return Err(cur.error(
                token.span,
                format!(
                    "unknown thread {thread} (threads: {})",
                    validate::thread_list(program)
                ),
            ));
        }
        let reg = cur.expect_ident("a register name")?.text;
        return Ok((Var::Reg { thread, reg }, token.span));
    }
    if cur.eat_punct("[").is_some() {
        let loc = cur.expect_ident("a location name")?;
        cur.expect_punct("]", "after the location")?;
        return Ok((Var::Loc(loc.text), token.span));
    }
    let loc = cur.expect_ident("`N:reg`, a location, `true` or `(`")?;
    Ok((Var::Loc(loc.text), token.span))
}
