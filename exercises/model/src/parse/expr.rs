//! Pure expressions over a thread's registers: literals, registers, `+ - ^ & | == != && || !`
//! and parentheses, with C's precedence or Rust's (they differ: C's `a & b == c` is
//! `a & (b == c)`, Rust's is `(a & b) == c`). Rust's expressions are also type-checked
//! (integers versus bools) so that a body the model accepts is one rustc would accept with the
//! same meaning; in particular `!` must be logical, which on an integer it is not in Rust.

use super::cursor::{Cursor, describe};
use super::lexer::{Dialect, Kind, Token};
use crate::error::{Error, Span};
use crate::program::{BinOp, Expr};

/// What an expression computes, as far as the parser knows. A loaded value is `Any`: an
/// `AtomicBool`'s load is a bool, an `AtomicU32`'s an integer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Int,
    Bool,
    Any,
}

/// An expression with its type and where it starts.
#[derive(Clone, Debug)]
pub struct Typed {
    pub expr: Expr,
    pub ty: Ty,
    pub span: Span,
}

/// What a name in an expression means, answered by the thread being parsed.
pub trait Names {
    /// The type of the register `token` names, or an error at it: an unknown name, a register
    /// not assigned yet, a location.
    fn register(&self, cur: &Cursor, token: &Token) -> Result<Ty, Error>;
}

/// Parses an expression; stops at the first token that cannot continue it.
pub fn expr(cur: &mut Cursor, dialect: Dialect, names: &dyn Names) -> Result<Typed, Error> {
    binary(cur, dialect, names, 0)
}

/// The binary operator `token` is, and how tightly it binds.
fn operator(token: &Token, dialect: Dialect) -> Option<(BinOp, u8)> {
    if token.kind != Kind::Punct {
        return None;
    }
    let op = match token.text.as_str() {
        "+" => BinOp::Add,
        "-" => BinOp::Sub,
        "^" => BinOp::Xor,
        "&" => BinOp::And,
        "|" => BinOp::Or,
        "==" => BinOp::Eq,
        "!=" => BinOp::Ne,
        "&&" => BinOp::LogicalAnd,
        "||" => BinOp::LogicalOr,
        _ => return None,
    };
    let power = match (op, dialect) {
        (BinOp::LogicalOr, _) => 1,
        (BinOp::LogicalAnd, _) => 2,
        (BinOp::Eq | BinOp::Ne, Dialect::Rust) => 3,
        (BinOp::Or, Dialect::Rust) => 4,
        (BinOp::Xor, Dialect::Rust) => 5,
        (BinOp::And, Dialect::Rust) => 6,
        (BinOp::Or, Dialect::Herd) => 3,
        (BinOp::Xor, Dialect::Herd) => 4,
        (BinOp::And, Dialect::Herd) => 5,
        (BinOp::Eq | BinOp::Ne, Dialect::Herd) => 6,
        (BinOp::Add | BinOp::Sub, _) => 7,
    };
    Some((op, power))
}

fn is_comparison(op: BinOp) -> bool {
    matches!(op, BinOp::Eq | BinOp::Ne)
}

/// Operators binding tighter than `min`, left-associative.
fn binary(cur: &mut Cursor, dialect: Dialect, names: &dyn Names, min: u8) -> Result<Typed, Error> {
    let mut lhs = unary(cur, dialect, names)?;
    let mut after_comparison = false;
    while let Some((op, power)) = operator(cur.peek(), dialect) {
        if power <= min {
            break;
        }
        let token = cur.next();
        if dialect == Dialect::Rust && after_comparison && is_comparison(op) {
            return Err(cur.error(
                token.span,
                "comparison operators cannot be chained in Rust; use parentheses",
            ));
        }
        let rhs = binary(cur, dialect, names, power)?;
        let ty = match dialect {
            Dialect::Rust => {
                rust_type(op, lhs.ty, rhs.ty).map_err(|message| cur.error(token.span, message))?
            }
            Dialect::Herd => Ty::Any,
        };
        after_comparison = is_comparison(op);
        lhs = Typed {
            expr: Expr::Binary(op, Box::new(lhs.expr), Box::new(rhs.expr)),
            ty,
            span: lhs.span,
        };
    }
    Ok(lhs)
}

/// The type of `l op r` in Rust, or why rustc would reject it.
fn rust_type(op: BinOp, l: Ty, r: Ty) -> Result<Ty, &'static str> {
    let bool_and_int = matches!((l, r), (Ty::Bool, Ty::Int) | (Ty::Int, Ty::Bool));
    let either = |t| l == t || r == t;
    match op {
        BinOp::Add | BinOp::Sub if either(Ty::Bool) => Err("arithmetic needs integers, not bools"),
        BinOp::Add | BinOp::Sub => Ok(Ty::Int),
        BinOp::LogicalAnd | BinOp::LogicalOr if either(Ty::Int) => {
            Err("`&&` and `||` need bools; compare the integer first (`r == 1`)")
        }
        BinOp::LogicalAnd | BinOp::LogicalOr => Ok(Ty::Bool),
        _ if bool_and_int => Err("mismatched types: an integer and a bool"),
        BinOp::Eq | BinOp::Ne => Ok(Ty::Bool),
        BinOp::And | BinOp::Or | BinOp::Xor if either(Ty::Bool) => Ok(Ty::Bool),
        BinOp::And | BinOp::Or | BinOp::Xor if either(Ty::Int) => Ok(Ty::Int),
        BinOp::And | BinOp::Or | BinOp::Xor => Ok(Ty::Any),
    }
}

fn unary(cur: &mut Cursor, dialect: Dialect, names: &dyn Names) -> Result<Typed, Error> {
    let token = cur.peek().clone();
    cur.enter(token.span)?;
    let result = unary_inner(cur, dialect, names, &token);
    cur.leave();
    result
}

fn unary_inner(
    cur: &mut Cursor,
    dialect: Dialect,
    names: &dyn Names,
    token: &Token,
) -> Result<Typed, Error> {
    let typed = |expr, ty| Typed {
        expr,
        ty,
        span: token.span,
    };
    match token.kind {
        Kind::Int => {
            cur.next();
            Ok(typed(Expr::Const(cur.int(token, false)?), Ty::Int))
        }
        Kind::Punct if token.text == "-" => {
            cur.next();
            if cur.peek().kind == Kind::Int {
                let literal = cur.next();
                return Ok(typed(Expr::Const(cur.int(&literal, true)?), Ty::Int));
            }
            let operand = unary(cur, dialect, names)?;
            if dialect == Dialect::Rust && operand.ty == Ty::Bool {
                return Err(cur.error(token.span, "cannot negate a bool"));
            }
            let zero = Box::new(Expr::Const(0));
            Ok(typed(
                Expr::Binary(BinOp::Sub, zero, Box::new(operand.expr)),
                Ty::Int,
            ))
        }
        Kind::Punct if token.text == "!" => {
            cur.next();
            let operand = unary(cur, dialect, names)?;
            if dialect == Dialect::Rust && operand.ty != Ty::Bool {
                return Err(cur.error(
                    token.span,
                    "`!` here may be bitwise: in Rust it is logical only on a bool, and the \
                     model has only the logical not; compare instead (`r == 0`)",
                ));
            }
            Ok(typed(Expr::Not(Box::new(operand.expr)), Ty::Bool))
        }
        Kind::Punct if token.text == "(" => {
            cur.next();
            let inner = expr(cur, dialect, names)?;
            cur.expect_punct(")", "to close the parenthesis")?;
            Ok(typed(inner.expr, inner.ty))
        }
        Kind::Punct if token.text == "*" => Err(cur.error(
            token.span,
            "a memory access cannot be part of an expression; give it a statement of its own \
             and use its register",
        )),
        Kind::Punct if token.text == "~" => Err(cur.error(
            token.span,
            "bitwise not (`~`) is not supported; the expressions may use + - ^ & | == != && || !",
        )),
        Kind::Ident if token.text == "true" || token.text == "false" => {
            cur.next();
            let value = i64::from(token.text == "true");
            Ok(typed(Expr::Const(value), Ty::Bool))
        }
        Kind::Ident => {
            let after = cur.peek_at(1);
            if after.is_punct("(") || after.is_punct(".") || after.is_punct("::") {
                return Err(cur.error(
                    token.span,
                    "a memory access or call cannot be part of an expression; give it a \
                     statement of its own and use its register",
                ));
            }
            let ty = names.register(cur, token)?;
            cur.next();
            Ok(typed(Expr::Reg(token.text.clone()), ty))
        }
        _ => Err(cur.error(
            token.span,
            format!("expected an expression, found {}", describe(token)),
        )),
    }
}
