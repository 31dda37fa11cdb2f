//! A thread body in real Rust: the statements of a litmus thread, written so that the body of
//! a function in a crate (the book's page, its loom test) reads unchanged. Anything else is an
//! error at its position, never skipped: a model that silently dropped a statement would
//! answer for a different program.
//!
//! A location is the last field before the method (`m.flag.store(…)` is `flag`) or a name
//! bound to one (`let data = &m.x;`). Registers are `let` bindings, scoped as Rust scopes them.

use super::cursor::Cursor;
use super::expr::{self, Names, Ty, Typed};
use super::lexer::{Dialect, Kind, Token};
use super::rust_syntax::{
    end_of_unit, fence_call, method_call, ordering, path, runs_to_block_end, skip_type,
};
use super::validate::{self, Access};
use crate::error::{Error, Span};
use crate::program::{Expr, Loc, Mode, Reg, Stmt, StmtKind};

/// The register a body's value goes to when it ends in one (`m.y.load(…)` with no `;`) and
/// the litmus file does not name it.
pub const DEFAULT_RETURN: &str = "ret";

/// What the statements a thread may use are, for "not understood" messages.
pub const STATEMENTS: &str = "`let r = x.load(o);`, `x.store(v, o);`, `x.fetch_add(v, o)` \
    (`fetch_sub`, `swap`), `x.compare_exchange(e, n, s, f)` (`_weak`, `.is_ok()`), \
    `fence(o);`, `*x = v;`, `let r = *x;`, `let r = expr;`, `r = …;` (on a `let mut`), \
    `let a = &s.x;`, `let (a, b) = (&s.x, &s.y);`, `if c { … } else { … }`, `unsafe { … }`, \
    `spawn(t);` and `join(t);` (in a litmus file), and a final value (`[r1, r2]` or a load)";

/// Parses the block at the cursor (`{` to its `}`) as a thread body. A value the body ends in
/// goes to register `returns` (default [`DEFAULT_RETURN`]); a tail of registers only
/// (`[r1, r2]`, `(r1, r2)`, `r1`) just returns them and is ignored unless `returns` is
/// given. Also says whether the body ended in a value.
pub fn body(cur: &mut Cursor, returns: Option<&str>) -> Result<(Vec<Stmt>, bool), Error> {
    body_with_threads(cur, returns, &mut Vec::new())
}

/// [`body`], also accepting `spawn(t);` and `join(t);` (litmus files only: real Rust spawns
/// with closures). Each names a thread that may be declared later, so the statement holds an
/// index into `threads`, where the name and its place are pushed; the caller replaces it with
/// the thread's index once every thread is known.
pub fn body_with_threads(
    cur: &mut Cursor,
    returns: Option<&str>,
    threads: &mut Vec<(String, Span)>,
) -> Result<(Vec<Stmt>, bool), Error> {
    let mut thread = RustThread {
        scopes: Vec::new(),
        temps: 0,
        returns: returns.map(str::to_owned),
        returned: false,
        threads: std::mem::take(threads),
    };
    let mut out = Vec::new();
    let result = thread.block(cur, &mut out, true);
    *threads = thread.threads;
    result?;
    Ok((out, thread.returned))
}

/// What a name means where it is used.
#[derive(Clone, Debug)]
enum Binding {
    Register {
        mutable: bool,
        ty: Ty,
    },
    /// `let data = &m.x;`: the name stands for location `x`.
    Alias(Loc),
}

pub struct RustThread {
    /// The bindings in scope, innermost block last; later bindings shadow earlier ones.
    scopes: Vec<Vec<(String, Binding)>>,
    temps: usize,
    returns: Option<Reg>,
    returned: bool,
    /// The threads `spawn(t)` and `join(t)` name, in the order they appear.
    threads: Vec<(String, Span)>,
}

impl Names for RustThread {
    fn register(&self, cur: &Cursor, token: &Token) -> Result<Ty, Error> {
        match self.lookup(&token.text) {
            Some(Binding::Register { ty, .. }) => Ok(*ty),
            Some(Binding::Alias(loc)) => Err(cur.error(
                token.span,
                format!(
                    "`{}` refers to location `{loc}`; load it (`{0}.load(…)`) and use the \
                     register",
                    token.text
                ),
            )),
            None => Err(cur.error(
                token.span,
                format!(
                    "unknown register `{}`: not assigned before this point (registers in scope: \
                     {})",
                    token.text,
                    self.registers_in_scope()
                ),
            )),
        }
    }
}

impl RustThread {
    fn lookup(&self, name: &str) -> Option<&Binding> {
        self.scopes
            .iter()
            .rev()
            .flat_map(|scope| scope.iter().rev())
            .find(|(n, _)| n == name)
            .map(|(_, binding)| binding)
    }

    fn registers_in_scope(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for (name, binding) in self.scopes.iter().flatten() {
            if matches!(binding, Binding::Register { .. }) && !names.contains(name) {
                names.push(name.clone());
            }
        }
        validate::list(names.iter())
    }

    /// Binds `name` in the innermost scope. A register may not shadow one of an enclosing
    /// block: the model's registers are one set per thread, so the outer one's value would be
    /// overwritten.
    fn bind(&mut self, cur: &Cursor, token: &Token, binding: Binding) -> Result<(), Error> {
        let depth = self.scopes.len();
        let outer = self.scopes[..depth - 1]
            .iter()
            .flatten()
            .any(|(n, b)| *n == token.text && matches!(b, Binding::Register { .. }));
        if outer && matches!(binding, Binding::Register { .. }) {
            return Err(cur.error(
                token.span,
                format!(
                    "`{}` shadows a register of an enclosing block; the model's registers are \
                     one set per thread, so give it another name",
                    token.text
                ),
            ));
        }
        self.scopes[depth - 1].push((token.text.clone(), binding));
        Ok(())
    }

    pub fn temp(&mut self, kind: &str) -> Reg {
        self.temps += 1;
        format!("{kind}#{}", self.temps)
    }

    /// `{ statements }` appended to `out`, in a scope of its own. `outermost`: the thread's
    /// body, whose final expression is its return value.
    fn block(
        &mut self,
        cur: &mut Cursor,
        out: &mut Vec<Stmt>,
        outermost: bool,
    ) -> Result<(), Error> {
        let open = cur.expect_punct("{", "to open a block")?;
        cur.enter(open.span)?;
        self.scopes.push(Vec::new());
        while cur.eat_punct("}").is_none() {
            if cur.peek().kind == Kind::Eof {
                return Err(cur.unexpected("`}` to close the block"));
            }
            self.statement(cur, out, outermost)?;
        }
        self.scopes.pop();
        cur.leave();
        Ok(())
    }

    fn statement(
        &mut self,
        cur: &mut Cursor,
        out: &mut Vec<Stmt>,
        outermost: bool,
    ) -> Result<(), Error> {
        let first = cur.peek().clone();
        let span = first.span;
        if cur.eat_punct(";").is_some() {
            return Ok(());
        }
        if cur.at_punct("{") {
            return self.block(cur, out, false);
        }
        if cur.at_ident("unsafe") && cur.peek_at(1).is_punct("{") {
            cur.next();
            return self.block(cur, out, false);
        }
        if cur.at_ident("let") {
            return self.let_statement(cur, out);
        }
        if cur.at_ident("if") {
            return self.if_statement(cur, out);
        }
        if (cur.at_ident("spawn") || cur.at_ident("join"))
            && cur.peek_at(1).is_punct("(")
            && cur.peek_at(2).kind == Kind::Ident
            && cur.peek_at(3).is_punct(")")
        {
            let verb = cur.next();
            cur.next();
            let name = cur.next();
            cur.next();
            let thread = self.threads.len();
            self.threads.push((name.text, name.span));
            let kind = if verb.text == "spawn" {
                StmtKind::Spawn { thread }
            } else {
                StmtKind::Join { thread }
            };
            out.push(Stmt { kind, span });
            return end_of_unit(cur);
        }
        if first.kind == Kind::Ident
            && [
                "while", "for", "loop", "match", "return", "break", "continue",
            ]
            .contains(&first.text.as_str())
        {
            return Err(cur.error(
                span,
                format!(
                    "`{}` is not supported: a thread is straight-line code with `if`s",
                    first.text
                ),
            ));
        }
        if cur.eat_punct("*").is_some() {
            let loc = self.plain_location(cur)?;
            cur.expect_punct("=", "in a plain store `*x = value`")?;
            let value = self.value(cur)?;
            out.push(Stmt {
                kind: StmtKind::Store {
                    loc,
                    value,
                    mode: Mode::NonAtomic,
                },
                span,
            });
            return end_of_unit(cur);
        }
        if first.kind == Kind::Ident && cur.peek_at(1).is_punct("=") {
            cur.next();
            cur.next();
            let reg = self.assignable(cur, &first)?;
            let ty = self.right_side(cur, Some(reg.clone()), span, out)?;
            if let Some(Binding::Register { ty: old, .. }) = self.lookup(&reg)
                && ty != *old
                && ty != Ty::Any
                && *old != Ty::Any
            {
                return Err(cur.error(span, format!("mismatched types assigning to `{reg}`")));
            }
            return cur.expect_punct(";", "after the assignment").map(drop);
        }
        if fence_call(cur)? {
            let mode = ordering(cur, Some(Access::Fence))?;
            cur.eat_punct(",");
            cur.expect_punct(")", "to close `fence(…)`")?;
            out.push(Stmt {
                kind: StmtKind::Fence { mode },
                span,
            });
            return end_of_unit(cur);
        }
        if let Some(path) = method_call(cur) {
            let op = self.operation(cur, &path)?;
            if cur.eat_punct(";").is_some() {
                return self.emit(cur, op, None, span, out).map(drop);
            }
            if cur.at_punct("}") {
                if op.yields_unit() {
                    return self.emit(cur, op, None, span, out).map(drop);
                }
                if outermost {
                    let reg = self.return_register();
                    self.returned = true;
                    return self.emit(cur, op, Some(reg), span, out).map(drop);
                }
                return Err(cur.error(
                    span,
                    "this value has nowhere to go: end the statement with `;` or bind it with \
                     `let`",
                ));
            }
            return Err(cur.unexpected("`;` after the statement"));
        }
        if outermost && runs_to_block_end(cur) {
            return self.tail(cur, out);
        }
        Err(cur.error(
            span,
            format!(
                "not understood: {}; a thread may use {STATEMENTS}",
                cur.quote(&first)
            ),
        ))
    }

    fn return_register(&self) -> Reg {
        self.returns
            .clone()
            .unwrap_or_else(|| DEFAULT_RETURN.to_owned())
    }

    /// The body's final expression (the cursor is at it, and it runs to the closing `}`):
    /// registers it returns, or a value that goes to the return register.
    fn tail(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let start = cur.position();
        let first = cur.peek().clone();
        let close = match first.text.as_str() {
            "[" => "]",
            _ => ")",
        };
        let mut values = Vec::new();
        if first.is_punct("[") || first.is_punct("(") {
            cur.next();
            let mut comma = false;
            while cur.eat_punct(close).is_none() {
                values.push(expr::expr(cur, Dialect::Rust, self)?);
                comma = cur.eat_punct(",").is_some();
                if !comma && !cur.at_punct(close) {
                    return Err(cur.unexpected(&format!("`,` or `{close}`")));
                }
            }
            if first.is_punct("(") && values.len() == 1 && !comma {
                // `(expr)` is a parenthesised value, not a tuple.
                cur.seek(start);
                values.clear();
            } else if let Some(v) = values.iter().find(|v| !matches!(v.expr, Expr::Reg(_))) {
                return Err(cur.error(v.span, "a returned array or tuple may hold only registers"));
            }
        }
        let single = values.is_empty() && cur.position() == start;
        if single {
            values.push(expr::expr(cur, Dialect::Rust, self)?);
        }
        if !cur.at_punct("}") {
            return Err(cur.unexpected("`}`: a returned value ends the body"));
        }
        if !single {
            if let Some(named) = &self.returns {
                return Err(cur.error(
                    first.span,
                    format!(
                        "the body returns {} values, but the litmus file names one register \
                         (`-> {named}`) for it",
                        values.len()
                    ),
                ));
            }
            return Ok(());
        }
        let value = values.remove(0).expr;
        let reg = self.return_register();
        self.returned = true;
        let already = matches!(&value, Expr::Reg(r) if *r == reg);
        let just_a_register = matches!(value, Expr::Reg(_)) && self.returns.is_none();
        if !already && !just_a_register {
            out.push(Stmt {
                kind: StmtKind::Assign { reg, value },
                span: first.span,
            });
        }
        Ok(())
    }

    /// `r` in `r = …;`: a register in scope declared `let mut`.
    fn assignable(&self, cur: &Cursor, token: &Token) -> Result<Reg, Error> {
        match self.lookup(&token.text) {
            Some(Binding::Register { mutable: true, .. }) => Ok(token.text.clone()),
            Some(Binding::Register { mutable: false, .. }) => Err(cur.error(
                token.span,
                format!(
                    "cannot assign twice to `{}`: declare it `let mut {0}`",
                    token.text
                ),
            )),
            Some(Binding::Alias(loc)) => Err(cur.error(
                token.span,
                format!(
                    "`{}` refers to location `{loc}`; write it with `{0}.store(…)`",
                    token.text
                ),
            )),
            None => Err(cur.error(
                token.span,
                format!(
                    "unknown register `{}`: declare it with `let mut`",
                    token.text
                ),
            )),
        }
    }

    /// `let PATTERN (: TYPE)? = RIGHT;`.
    fn let_statement(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let keyword = cur.next();
        let span = keyword.span;
        if cur.at_punct("(") {
            return self.let_aliases(cur);
        }
        let mutable = cur.eat_ident("mut").is_some();
        let name = cur.expect_ident("a name after `let`")?;
        skip_type(cur)?;
        if !cur.at_punct("=") {
            return Err(cur.unexpected("`=`: a register is declared with its value"));
        }
        cur.next();
        let discard = name.text == "_";
        if cur.at_punct("&") {
            if discard || mutable {
                return Err(cur.unexpected("a value"));
            }
            let loc = self.reference(cur)?;
            cur.expect_punct(";", "after the statement")?;
            return self.bind(cur, &name, Binding::Alias(loc));
        }
        let dest = (!discard).then(|| name.text.clone());
        let ty = self.right_side(cur, dest, span, out)?;
        cur.expect_punct(";", "after the statement")?;
        if discard {
            return Ok(());
        }
        self.bind(cur, &name, Binding::Register { mutable, ty })
    }

    /// `let (data, flag) = (&m.x, &m.y);`: names for locations.
    fn let_aliases(&mut self, cur: &mut Cursor) -> Result<(), Error> {
        let open = cur.next();
        let mut names = Vec::new();
        while cur.eat_punct(")").is_none() {
            names.push(cur.expect_ident("a name")?);
            if !cur.at_punct(")") {
                cur.expect_punct(",", "between the names")?;
            }
        }
        skip_type(cur)?;
        cur.expect_punct("=", "after the pattern")?;
        let tuple = cur.peek().clone();
        let only_locations = |cur: &Cursor| {
            cur.error(
                open.span,
                "a tuple pattern may only name locations: `let (a, b) = (&m.x, &m.y);`",
            )
        };
        if !tuple.is_punct("(") {
            return Err(only_locations(cur));
        }
        cur.next();
        let mut locations = Vec::new();
        while cur.eat_punct(")").is_none() {
            if !cur.at_punct("&") {
                return Err(only_locations(cur));
            }
            locations.push(self.reference(cur)?);
            if !cur.at_punct(")") {
                cur.expect_punct(",", "between the references")?;
            }
        }
        if names.len() != locations.len() {
            return Err(cur.error(
                tuple.span,
                format!("{} names but {} references", names.len(), locations.len()),
            ));
        }
        cur.expect_punct(";", "after the statement")?;
        for (name, loc) in names.iter().zip(locations) {
            self.bind(cur, name, Binding::Alias(loc))?;
        }
        Ok(())
    }

    /// `&m.x` or `&data`: the location referred to.
    fn reference(&self, cur: &mut Cursor) -> Result<Loc, Error> {
        cur.expect_punct("&", "before the location")?;
        let path = path(cur)?;
        self.location(cur, &path)
    }

    /// The right side of `let r = …` or `r = …`: an atomic operation, a plain load `*x`, or a
    /// pure expression; its value goes to `dest` (dropped if `None`). Returns its type.
    fn right_side(
        &mut self,
        cur: &mut Cursor,
        dest: Option<Reg>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) -> Result<Ty, Error> {
        if cur.at_ident("unsafe") && cur.peek_at(1).is_punct("{") {
            cur.next();
            let open = cur.next();
            cur.enter(open.span)?;
            let ty = self.right_side(cur, dest, span, out)?;
            cur.expect_punct("}", "to close the `unsafe` block")?;
            cur.leave();
            return Ok(ty);
        }
        if cur.eat_punct("*").is_some() {
            let loc = self.plain_location(cur)?;
            let reg = dest.unwrap_or_else(|| self.temp("load"));
            out.push(Stmt {
                kind: StmtKind::Load {
                    reg,
                    loc,
                    mode: Mode::NonAtomic,
                },
                span,
            });
            return Ok(Ty::Any);
        }
        if let Some(path) = method_call(cur) {
            let op = self.operation(cur, &path)?;
            return self.emit(cur, op, dest, span, out);
        }
        let first = cur.peek();
        let after = cur.peek_at(1);
        if first.kind == Kind::Ident
            && (after.is_punct("(") || after.is_punct("::") || after.is_punct("!"))
        {
            // A call of something else (`Arc::clone(&s)`, `f(x)`, `vec![…]`).
            return Err(cur.error(
                span,
                format!(
                    "not understood: {}; a thread may use {STATEMENTS}",
                    cur.quote(first)
                ),
            ));
        }
        let value = expr::expr(cur, Dialect::Rust, self)?;
        if let Some(reg) = dest {
            out.push(Stmt {
                kind: StmtKind::Assign {
                    reg,
                    value: value.expr,
                },
                span,
            });
        }
        Ok(value.ty)
    }

    /// A pure expression (a value to store, an operand).
    pub fn value(&mut self, cur: &mut Cursor) -> Result<Expr, Error> {
        Ok(expr::expr(cur, Dialect::Rust, self)?.expr)
    }

    /// The location of `*path`, a plain access.
    fn plain_location(&self, cur: &mut Cursor) -> Result<Loc, Error> {
        let path = path(cur)?;
        self.location(cur, &path)
    }

    /// The location a path names: its last field (`m.x` is `x`), or what a name bound with
    /// `let data = &m.x;` refers to; a lone unbound name is the location of that name.
    pub fn location(&self, cur: &Cursor, path: &[Token]) -> Result<Loc, Error> {
        let last = &path[path.len() - 1];
        if path.len() > 1 {
            return Ok(last.text.clone());
        }
        match self.lookup(&last.text) {
            Some(Binding::Alias(loc)) => Ok(loc.clone()),
            Some(Binding::Register { .. }) => Err(cur.error(
                last.span,
                format!("`{}` is a register here, not a location", last.text),
            )),
            None => Ok(last.text.clone()),
        }
    }

    /// `if cond { … } else if … { … } else { … }`.
    fn if_statement(&mut self, cur: &mut Cursor, out: &mut Vec<Stmt>) -> Result<(), Error> {
        let keyword = cur.next();
        cur.enter(keyword.span)?;
        if cur.at_ident("let") {
            return Err(cur.error(cur.peek().span, "`if let` is not supported"));
        }
        let cond: Typed = expr::expr(cur, Dialect::Rust, self)?;
        if cond.ty == Ty::Int {
            return Err(cur.error(
                cond.span,
                "expected a bool: Rust's `if` takes a bool, not an integer; write `r != 0`",
            ));
        }
        let mut then = Vec::new();
        self.block(cur, &mut then, false)?;
        let mut otherwise = Vec::new();
        if cur.eat_ident("else").is_some() {
            if cur.at_ident("if") {
                self.if_statement(cur, &mut otherwise)?;
            } else {
                self.block(cur, &mut otherwise, false)?;
            }
        }
        cur.leave();
        out.push(Stmt {
            kind: StmtKind::If {
                cond: cond.expr,
                then,
                otherwise,
            },
            span: keyword.span,
        });
        Ok(())
    }
}
