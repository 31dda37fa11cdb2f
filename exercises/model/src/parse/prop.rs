//! The final condition's proposition, one grammar for both formats: they differ only in how
//! they spell the operators and the variables.

use super::cursor::Cursor;
use crate::error::{Error, Span};
use crate::program::{Program, Prop, Value, Var};

/// Reads a variable of the condition, with its place.
pub type ReadVar = fn(&mut Cursor, &Program) -> Result<(Var, Span), Error>;

/// How a format spells a proposition.
pub struct Syntax {
    pub or: &'static str,
    pub and: &'static str,
    pub not: &'static str,
    pub eq: &'static str,
    /// What `expect_punct` says when the equality is missing.
    pub eq_hint: &'static str,
    pub var: ReadVar,
    pub value: fn(&mut Cursor) -> Result<Value, Error>,
}

/// herd7: `~(0:r0=1 /\ x=2) \/ 1:r1!=0`.
pub const HERD: Syntax = Syntax {
    or: "\\/",
    and: "/\\",
    not: "~",
    eq: "=",
    eq_hint: "and a value, like `1:r0=1`",
    var: super::herd::var,
    value: super::herd::value,
};

/// The Rust form: `!(a.r0 == 1 && x == 2) || b.r1 != 0`.
pub const RUST: Syntax = Syntax {
    or: "||",
    and: "&&",
    not: "!",
    eq: "==",
    eq_hint: "or `!=` and a value, like `b.r1 == 1`",
    var: super::rust::var,
    value: super::rust::value,
};

/// Parses a proposition; each variable it names goes into `vars` with its place.
pub fn parse(
    cur: &mut Cursor,
    syntax: &Syntax,
    program: &Program,
    vars: &mut Vec<(Var, Span)>,
) -> Result<Prop, Error> {
    Parser {
        syntax,
        program,
        vars,
    }
    .or(cur)
}

struct Parser<'a> {
    syntax: &'a Syntax,
    program: &'a Program,
    vars: &'a mut Vec<(Var, Span)>,
}

impl Parser<'_> {
    /// `P or P`, loosest.
    fn or(&mut self, cur: &mut Cursor) -> Result<Prop, Error> {
        let mut prop = self.and(cur)?;
        while cur.eat_punct(self.syntax.or).is_some() {
            prop = Prop::Or(Box::new(prop), Box::new(self.and(cur)?));
        }
        Ok(prop)
    }

    /// `P and P`.
    fn and(&mut self, cur: &mut Cursor) -> Result<Prop, Error> {
        let mut prop = self.not(cur)?;
        while cur.eat_punct(self.syntax.and).is_some() {
            prop = Prop::And(Box::new(prop), Box::new(self.not(cur)?));
        }
        Ok(prop)
    }

    /// `not P`, `(P)`, `true`, `false`, `var = value` or `var != value`.
    fn not(&mut self, cur: &mut Cursor) -> Result<Prop, Error> {
        let token = cur.peek().clone();
        cur.enter(token.span)?;
        let prop = if cur.eat_punct(self.syntax.not).is_some() {
            Prop::Not(Box::new(self.not(cur)?))
        } else if cur.eat_punct("(").is_some() {
            let inner = self.or(cur)?;
            cur.expect_punct(")", "to close the parenthesis")?;
            inner
        } else if cur.eat_ident("true").is_some() {
            Prop::True
        } else if cur.eat_ident("false").is_some() {
            Prop::Not(Box::new(Prop::True))
        } else {
            let (var, span) = (self.syntax.var)(cur, self.program)?;
            self.vars.push((var.clone(), span));
            let negated = if cur.eat_punct("!=").is_some() {
                true
            } else {
                cur.expect_punct(self.syntax.eq, self.syntax.eq_hint)?;
                false
            };
            let eq = Prop::Eq(var, (self.syntax.value)(cur)?);
            if negated { Prop::Not(Box::new(eq)) } else { eq }
        };
        cur.leave();
        Ok(prop)
    }
}
