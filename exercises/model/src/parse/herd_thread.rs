//! A thread of herd7's C format, `Pi (params) { body }`: C11's atomic functions on the
//! pointer parameters, plain `*x` accesses, `int` registers and `if`. Calls desugar to the
//! model's statements (a compare-exchange into three; see [`CThread::compare_exchange`]).

use super::cursor::Cursor;
use super::expr::{self, Names, Ty};
use super::herd::RegisterInit;
use super::lexer::{Dialect, Kind, Token};
use super::validate::{self, Access};
use crate::error::{Error, Span};
use crate::program::{Expr, Loc, Mode, Reg, RmwOp, Stmt, StmtKind, Thread};
use std::collections::BTreeSet;

/// Words that begin a register declaration (`int r0 = …;`) even when no name follows, so
/// that `int = 1;` is reported as a declaration missing its name. Other types (`__int128 r`)
/// are recognised by the name after them.
const C_TYPES: [&str; 8] = [
    "int", "long", "short", "char", "unsigned", "signed", "bool", "_Bool",
];

/// C's words for the orderings the model has, weakest first. `memory_order_consume` is not
/// one: the model has no dependency ordering, so the parser refuses it.
pub const C_ORDERS: [(&str, Mode); 5] = [
    ("memory_order_relaxed", Mode::Relaxed),
    ("memory_order_acquire", Mode::Acquire),
    ("memory_order_release", Mode::Release),
    ("memory_order_acq_rel", Mode::AcqRel),
    ("memory_order_seq_cst", Mode::SeqCst),
];

/// The mode a C ordering word names, if the model has it.
pub fn c_mode(word: &str) -> Option<Mode> {
    C_ORDERS.iter().find(|(w, _)| *w == word).map(|(_, m)| *m)
}

/// C keywords for control flow a litmus thread may not use.
const LOOPS: [&str; 8] = [
    "while", "for", "do", "goto", "switch", "return", "break", "continue",
];

/// One thread `Pi (params) { body }`.
pub fn thread<'i>(
    cur: &mut Cursor,
    index: usize,
    inits: impl Iterator<Item = &'i RegisterInit>,
) -> Result<Thread, Error> {
    let name = cur.next();
    let expected = format!("P{index}");
    if name.text != expected {
        return Err(cur.error(
            name.span,
            format!(
                "expected thread `{expected}`, found `{}`: threads are P0, P1, … in order",
                name.text
            ),
        ));
    }
    let mut state = CThread {
        name: expected,
        params: params(cur)?,
        assigned: BTreeSet::new(),
        temps: 0,
    };
    let mut body = Vec::new();
    for init in inits {
        state.assigned.insert(init.reg.clone());
        body.push(Stmt {
            kind: StmtKind::Assign {
                reg: init.reg.clone(),
                value: Expr::Const(init.value),
            },
            span: init.span,
        });
    }
    state.block(cur, &mut body)?;
    Ok(Thread {
        name: index.to_string(),
        body,
    })
}

/// `(atomic_int* x, volatile int *y)`: the names, each the last word of its parameter.
fn params(cur: &mut Cursor) -> Result<Vec<String>, Error> {
    cur.expect_punct("(", "to open the thread's parameters")?;
    let mut names = Vec::new();
    while cur.eat_punct(")").is_none() {
        let mut last = None;
        while let Kind::Ident | Kind::Punct = cur.peek().kind {
            if cur.at_punct(",") || cur.at_punct(")") {
                break;
            }
            if !cur.at_punct("*") && cur.peek().kind != Kind::Ident {
                return Err(cur.unexpected("a parameter like `atomic_int* x`"));
            }
            last = Some(cur.next());
        }
        match last {
            Some(token) if token.kind == Kind::Ident => names.push(token.text),
            _ => return Err(cur.unexpected("a parameter like `atomic_int* x`")),
        }
        if !cur.at_punct(")") {
            cur.expect_punct(",", "between parameters")?;
        }
    }
    Ok(names)
}

/// The thread being parsed: what its names mean, and which registers hold a value so far.
struct CThread {
    name: String,
    params: Vec<String>,
    /// Registers certainly assigned at this point (`int r;` assigns 0).
    assigned: BTreeSet<Reg>,
    /// Temporaries made so far, to number the next one.
    temps: usize,
}

impl Names for CThread {
    fn register(&self, cur: &Cursor, token: &Token) -> Result<Ty, Error> {
        if self.params.contains(&token.text) {
            return Err(cur.error(
                token.span,
                format!(
                    "`{}` is a location; read it with `*{0}` or `atomic_load_explicit({0}, …)`",
                    token.text
                ),
            ));
        }
        if !self.assigned.contains(&token.text) {
            return Err(cur.error(
                token.span,
                format!(
                    "register `{}` is read before {} assigns it (assigned so far: {})",
                    token.text,
                    self.name,
                    validate::list(self.assigned.iter())
                ),
            ));
        }
        Ok(Ty::Any)
    }
}

impl CThread {
    fn temp(&mut self, kind: &str) -> Reg {
        self.temps += 1;
        format!("{kind}#{}", self.temps)
    }

    /// `{ statements }`, appended to `out`.
    fn block(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let open = cur.expect_punct("{", "to open a block")?;
        cur.enter(open.span)?;
        while cur.eat_punct("}").is_none() {
            if cur.peek().kind == Kind::Eof {
                return Err(cur.unexpected("`}` to close the block"));
            }
            self.statement(cur, out)?;
        }
        cur.leave();
        Ok(())
    }

    fn statement(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let first = cur.peek().clone();
        let span = first.span;
        let push = |out: &mut Vec<Stmt>, kind| out.push(Stmt { kind, span });
        if cur.eat_punct(";").is_some() {
            return Ok(());
        }
        if cur.at_punct("{") {
            return self.block(cur, out);
        }
        if cur.at_ident("if") {
            return self.if_statement(cur, out);
        }
        if first.kind == Kind::Ident && LOOPS.contains(&first.text.as_str()) {
            return Err(cur.error(
                span,
                format!(
                    "`{}` is not supported: a thread is straight-line code with `if`s",
                    first.text
                ),
            ));
        }
        // `int r`, `unsigned long r`, `__int128 r`: words followed by a name.
        let next = cur.peek_at(1);
        let declares = next.kind == Kind::Ident || next.is_punct("*");
        if first.kind == Kind::Ident && (C_TYPES.contains(&first.text.as_str()) || declares) {
            return self.declaration(cur, out);
        }
        if cur.eat_punct("*").is_some() {
            let loc = self.location(cur)?;
            cur.expect_punct("=", "in a plain store `*x = value;`")?;
            let value = expr::expr(cur, Dialect::Herd, self)?.expr;
            cur.expect_punct(";", "after the statement")?;
            push(
                out,
                StmtKind::Store {
                    loc,
                    value,
                    mode: Mode::NonAtomic,
                },
            );
            return Ok(());
        }
        if first.kind == Kind::Ident && cur.peek_at(1).is_punct("(") {
            self.call(cur, None, out)?;
            cur.expect_punct(";", "after the statement")?;
            return Ok(());
        }
        if first.kind == Kind::Ident && cur.peek_at(1).is_punct("=") {
            cur.next();
            cur.next();
            self.assignment(cur, &first, span, out)?;
            return cur.expect_punct(";", "after the statement").map(drop);
        }
        Err(cur.error(
            span,
            format!(
                "not understood: {}; a thread may use `int r = …;`, `r = …;`, `*x = v;`, \
                 `atomic_load_explicit`, `atomic_store_explicit`, `atomic_fetch_add_explicit`, \
                 `atomic_fetch_sub_explicit`, `atomic_exchange_explicit`, \
                 `atomic_compare_exchange_strong_explicit` (and `_weak`, and the forms \
                 without `_explicit`), `atomic_thread_fence` and `if (…) {{ … }} else {{ … }}`",
                cur.quote(&first)
            ),
        ))
    }

    /// `int r0;`, `int r0 = …;`, `int r0 = 1, r1;`.
    fn declaration(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let start = cur.peek().span;
        let mut first = true;
        // Every word but the last is the type (which the model ignores: registers hold
        // integers).
        while cur.peek().kind == Kind::Ident
            && (cur.peek_at(1).kind == Kind::Ident || cur.peek_at(1).is_punct("*"))
        {
            cur.next();
        }
        if let Some(star) = cur.eat_punct("*") {
            return Err(cur.error(
                star.span,
                "pointer registers are not supported; registers hold integers",
            ));
        }
        loop {
            let reg = cur.expect_ident("a register name")?;
            // The first declarator starts at the type; later ones at their name.
            let span = if first { start } else { reg.span };
            first = false;
            if cur.eat_punct("=").is_some() {
                self.assignment(cur, &reg, span, out)?;
            } else {
                self.check_register_name(cur, &reg)?;
                out.push(Stmt {
                    kind: StmtKind::Assign {
                        reg: reg.text.clone(),
                        value: Expr::Const(0),
                    },
                    span,
                });
                self.assigned.insert(reg.text);
            }
            if cur.eat_punct(",").is_none() {
                break;
            }
        }
        cur.expect_punct(";", "after the declaration").map(drop)
    }

    fn check_register_name(&self, cur: &Cursor, reg: &Token) -> Result<(), Error> {
        if self.params.contains(&reg.text) {
            return Err(cur.error(
                reg.span,
                format!(
                    "`{}` is a location; write it with `*{0} = …` or `atomic_store_explicit`",
                    reg.text
                ),
            ));
        }
        Ok(())
    }

    /// The right-hand side of `reg = …` (after the `=`): a plain load `*x`, an atomic call, or
    /// a pure expression.
    fn assignment(
        &mut self,
        cur: &mut Cursor,
        reg: &Token,
        span: Span,
        out: &mut Vec<Stmt>,
    ) -> Result<(), Error> {
        self.check_register_name(cur, reg)?;
        if cur.eat_punct("*").is_some() {
            let loc = self.location(cur)?;
            out.push(Stmt {
                kind: StmtKind::Load {
                    reg: reg.text.clone(),
                    loc,
                    mode: Mode::NonAtomic,
                },
                span,
            });
        } else if cur.peek().kind == Kind::Ident && cur.peek_at(1).is_punct("(") {
            self.call(cur, Some((reg, span)), out)?;
        } else {
            let value = expr::expr(cur, Dialect::Herd, self)?.expr;
            out.push(Stmt {
                kind: StmtKind::Assign {
                    reg: reg.text.clone(),
                    value,
                },
                span,
            });
        }
        self.assigned.insert(reg.text.clone());
        Ok(())
    }

    /// A location argument: one of the thread's parameters.
    fn location(&self, cur: &mut Cursor) -> Result<Loc, Error> {
        let token = cur.expect_ident("a location (one of the thread's parameters)")?;
        if !self.params.contains(&token.text) {
            return Err(cur.error(
                token.span,
                format!(
                    "`{}` is not a parameter of {}; its locations are {}",
                    token.text,
                    self.name,
                    validate::list(self.params.iter())
                ),
            ));
        }
        Ok(token.text)
    }

    /// `memory_order_…`, checked against what `access` allows.
    fn mode(&self, cur: &mut Cursor, access: Option<Access>) -> Result<Mode, Error> {
        let token = cur.expect_ident("a memory order like `memory_order_acquire`")?;
        let mode = match (c_mode(&token.text), token.text.as_str()) {
            (Some(mode), _) => mode,
            (None, "memory_order_consume") => {
                return Err(cur.error(
                    token.span,
                    "consume is not supported; Rust has no Consume — use memory_order_acquire",
                ));
            }
            _ => {
                return Err(cur.error(
                    token.span,
                    format!(
                        "expected a memory order (memory_order_relaxed, _acquire, _release, \
                         _acq_rel or _seq_cst), found `{}`",
                        token.text
                    ),
                ));
            }
        };
        if let Some(reason) = access.and_then(|a| validate::forbidden(a, mode)) {
            let access = access.unwrap_or(Access::Load);
            return Err(cur.error(
                token.span,
                validate::forbidden_message(access, &token.text, reason),
            ));
        }
        Ok(mode)
    }

    /// `, memory_order_…` for an `_explicit` function; seq_cst for the others.
    fn trailing_mode(
        &self,
        cur: &mut Cursor,
        explicit: bool,
        access: Option<Access>,
    ) -> Result<Mode, Error> {
        if !explicit {
            return Ok(Mode::SeqCst);
        }
        cur.expect_punct(",", "before the memory order")?;
        self.mode(cur, access)
    }

    /// A call to one of C11's atomic functions; `result` is the register its value goes to.
    fn call(
        &mut self,
        cur: &mut Cursor,
        result: Option<(&Token, Span)>,
        out: &mut Vec<Stmt>,
    ) -> Result<(), Error> {
        let function = cur.next();
        let span = result.map_or(function.span, |(_, span)| span);
        let result = result.map(|(reg, _)| reg);
        let name = function.text.as_str();
        let explicit = name.ends_with("_explicit");
        let base = name.strip_suffix("_explicit").unwrap_or(name);
        let returns_nothing =
            |cur: &Cursor| cur.error(function.span, format!("`{name}` returns nothing to assign"));
        cur.expect_punct("(", "after the function name")?;
        let kind = match base {
            "atomic_load" => {
                let loc = self.location(cur)?;
                let mode = self.trailing_mode(cur, explicit, Some(Access::Load))?;
                let reg = match result {
                    Some(r) => r.text.clone(),
                    None => self.temp("load"),
                };
                StmtKind::Load { reg, loc, mode }
            }
            "atomic_store" => {
                let loc = self.location(cur)?;
                cur.expect_punct(",", "before the value to store")?;
                let value = expr::expr(cur, Dialect::Herd, self)?.expr;
                let mode = self.trailing_mode(cur, explicit, Some(Access::Store))?;
                if result.is_some() {
                    return Err(returns_nothing(cur));
                }
                StmtKind::Store { loc, value, mode }
            }
            "atomic_fetch_add" | "atomic_fetch_sub" | "atomic_exchange" => {
                let loc = self.location(cur)?;
                cur.expect_punct(",", "before the operand")?;
                let operand = expr::expr(cur, Dialect::Herd, self)?.expr;
                let mode = self.trailing_mode(cur, explicit, None)?;
                let op = match base {
                    "atomic_fetch_add" => RmwOp::Add(operand),
                    "atomic_fetch_sub" => RmwOp::Sub(operand),
                    _ => RmwOp::Swap(operand),
                };
                let reg = result.map(|r| r.text.clone());
                StmtKind::Rmw { reg, loc, op, mode }
            }
            "atomic_compare_exchange_strong" | "atomic_compare_exchange_weak" => {
                let weak = base.ends_with("weak");
                return self.compare_exchange(cur, span, result, explicit, weak, out);
            }
            "atomic_thread_fence" => {
                let mode = self.mode(cur, Some(Access::Fence))?;
                if result.is_some() {
                    return Err(returns_nothing(cur));
                }
                StmtKind::Fence { mode }
            }
            _ => return Err(unsupported_function(cur, &function)),
        };
        cur.expect_punct(")", "to close the call")?;
        out.push(Stmt { kind, span });
        Ok(())
    }

    /// `atomic_compare_exchange_strong_explicit(x, &e, desired, success, failure)`. C returns
    /// whether it succeeded and, on failure, writes the value it read into `e`; either way `e`
    /// ends equal to the value read. So: read-modify-write into a temporary, the result in
    /// the compare-exchange's success register, then `e = temporary`.
    fn compare_exchange(
        &mut self,
        cur: &mut Cursor,
        span: Span,
        result: Option<&Token>,
        explicit: bool,
        weak: bool,
        out: &mut Vec<Stmt>,
    ) -> Result<(), Error> {
        let loc = self.location(cur)?;
        cur.expect_punct(",", "before `&expected`")?;
        cur.expect_punct(
            "&",
            "before the expected-value register (C passes its address)",
        )?;
        let expected = cur.expect_ident("the register holding the expected value")?;
        self.register(cur, &expected)?;
        cur.expect_punct(",", "before the desired value")?;
        let new = expr::expr(cur, Dialect::Herd, self)?.expr;
        let (mode, failure) = if explicit {
            cur.expect_punct(",", "before the success memory order")?;
            let success = self.mode(cur, None)?;
            cur.expect_punct(",", "before the failure memory order")?;
            (success, self.mode(cur, Some(Access::CasFailure))?)
        } else {
            (Mode::SeqCst, Mode::SeqCst)
        };
        cur.expect_punct(")", "to close the call")?;
        let old = self.temp("cas");
        let e = expected.text;
        let read = || Box::new(Expr::Reg(old.clone()));
        let mut push = |kind| out.push(Stmt { kind, span });
        push(StmtKind::Rmw {
            reg: Some(old.clone()),
            loc,
            op: RmwOp::Cas {
                expected: Expr::Reg(e.clone()),
                new,
                failure,
                weak,
                // The path knows whether it succeeded; the old value alone cannot tell a
                // weak compare-exchange's spurious failure from a success.
                success: result.map(|r| r.text.clone()),
            },
            mode,
        });
        // `e = cas(…)` keeps the boolean: C's assignment happens after the call's write.
        if result.is_none_or(|r| r.text != e) {
            push(StmtKind::Assign {
                reg: e,
                value: *read(),
            });
        }
        Ok(())
    }

    /// `if (cond) … else …`; a branch is a block or one statement. A register is assigned
    /// after the `if` only if both branches assign it.
    fn if_statement(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let keyword = cur.next();
        cur.enter(keyword.span)?;
        cur.expect_punct("(", "after `if`")?;
        let cond = expr::expr(cur, Dialect::Herd, self)?.expr;
        cur.expect_punct(")", "to close the condition")?;
        let before = self.assigned.clone();
        let mut then = Vec::new();
        self.statement(cur, &mut then)?;
        let after_then = std::mem::replace(&mut self.assigned, before);
        let mut otherwise = Vec::new();
        if cur.eat_ident("else").is_some() {
            self.statement(cur, &mut otherwise)?;
        }
        self.assigned = self.assigned.intersection(&after_then).cloned().collect();
        cur.leave();
        out.push(Stmt {
            kind: StmtKind::If {
                cond,
                then,
                otherwise,
            },
            span: keyword.span,
        });
        Ok(())
    }
}

/// The error for a call that is not one of the supported atomic functions.
fn unsupported_function(cur: &Cursor, function: &Token) -> Error {
    let name = function.text.as_str();
    let lkmm = [
        "READ_ONCE",
        "WRITE_ONCE",
        "smp_load_acquire",
        "smp_store_release",
        "smp_mb",
        "smp_rmb",
        "smp_wmb",
        "xchg",
        "cmpxchg",
        "atomic_read",
        "atomic_set",
        "spin_lock",
        "spin_unlock",
        "rcu_read_lock",
        "rcu_read_unlock",
        "synchronize_rcu",
    ];
    let message = if lkmm.contains(&name) || name.starts_with("smp_") {
        format!(
            "`{name}` is the Linux kernel's memory model (LKMM), not C11; this checker reads \
             C11 atomics (`atomic_load_explicit`, …)"
        )
    } else if name.starts_with("atomic_") {
        format!(
            "`{name}` is not supported; the atomic operations are load, store, fetch_add, \
             fetch_sub, exchange, compare_exchange_strong/_weak and thread_fence"
        )
    } else {
        format!("unknown function `{name}`; a thread may call C11's atomic functions only")
    };
    cur.error(function.span, message)
}
