//! The atomic operations a Rust thread calls (`load`, `store`, `fetch_add`, `fetch_sub`,
//! `swap`, `compare_exchange` and `_weak`) and the statements each becomes once it is known
//! where its value goes.

use super::cursor::Cursor;
use super::expr::Ty;
use super::lexer::Token;
use super::rust_body::{RustThread, STATEMENTS};
use super::rust_syntax::{CasResult, cas_result, ordering};
use super::validate::Access;
use crate::error::{Error, Span};
use crate::program::{Expr, Loc, Mode, Reg, RmwOp, Stmt, StmtKind};

/// An atomic operation parsed, before it is known where its value goes.
pub enum Op {
    Load {
        loc: Loc,
        mode: Mode,
    },
    Store {
        loc: Loc,
        value: Expr,
        mode: Mode,
    },
    Rmw {
        loc: Loc,
        op: RmwOp,
        mode: Mode,
    },
    Cas {
        loc: Loc,
        op: RmwOp,
        mode: Mode,
        result: CasResult,
    },
}

impl Op {
    pub fn yields_unit(&self) -> bool {
        matches!(self, Op::Store { .. })
    }
}

impl RustThread {
    /// The method call at the cursor (its path and name already read): its arguments and, for
    /// a compare-exchange, what its result is turned into.
    pub fn operation(&mut self, cur: &mut Cursor, path: &[Token]) -> Result<Op, Error> {
        let method = &path[path.len() - 1];
        let target = &path[..path.len() - 1];
        let name = method.text.as_str();
        let supported = [
            "load",
            "store",
            "fetch_add",
            "fetch_sub",
            "swap",
            "compare_exchange",
            "compare_exchange_weak",
        ];
        if !supported.contains(&name) {
            let message = if name.starts_with("fetch_") || name == "compare_and_swap" {
                format!(
                    "`{name}` is not supported; the model has load, store, fetch_add, fetch_sub, \
                     swap, compare_exchange and compare_exchange_weak"
                )
            } else {
                format!(
                    "not understood: {}; a thread may use {STATEMENTS}",
                    cur.quote(&path[0])
                )
            };
            return Err(cur.error(method.span, message));
        }
        let loc = self.location(cur, target)?;
        cur.expect_punct("(", "after the method name")?;
        let op = match name {
            "load" => Op::Load {
                loc,
                mode: ordering(cur, Some(Access::Load))?,
            },
            "store" => {
                let value = self.value(cur)?;
                cur.expect_punct(",", "before the ordering")?;
                let mode = ordering(cur, Some(Access::Store))?;
                Op::Store { loc, value, mode }
            }
            "fetch_add" | "fetch_sub" | "swap" => {
                let operand = self.value(cur)?;
                cur.expect_punct(",", "before the ordering")?;
                let mode = ordering(cur, None)?;
                let op = match name {
                    "fetch_add" => RmwOp::Add(operand),
                    "fetch_sub" => RmwOp::Sub(operand),
                    _ => RmwOp::Swap(operand),
                };
                Op::Rmw { loc, op, mode }
            }
            _ => {
                let expected = self.value(cur)?;
                cur.expect_punct(",", "before the new value")?;
                let new = self.value(cur)?;
                cur.expect_punct(",", "before the success ordering")?;
                let mode = ordering(cur, None)?;
                cur.expect_punct(",", "before the failure ordering")?;
                let failure = ordering(cur, Some(Access::CasFailure))?;
                let weak = name.ends_with("_weak");
                cur.eat_punct(",");
                cur.expect_punct(")", "to close the call")?;
                let result = cas_result(cur)?;
                let op = RmwOp::Cas {
                    expected,
                    new,
                    failure,
                    weak,
                    success: None,
                };
                return Ok(Op::Cas {
                    loc,
                    op,
                    mode,
                    result,
                });
            }
        };
        cur.eat_punct(",");
        cur.expect_punct(")", "to close the call")?;
        Ok(op)
    }

    /// Appends the statements for `op` with its value going to `dest`; returns its type.
    pub fn emit(
        &mut self,
        cur: &Cursor,
        op: Op,
        dest: Option<Reg>,
        span: Span,
        out: &mut Vec<Stmt>,
    ) -> Result<Ty, Error> {
        let mut push = |kind| out.push(Stmt { kind, span });
        match op {
            Op::Load { loc, mode } => {
                let reg = dest.unwrap_or_else(|| self.temp("load"));
                push(StmtKind::Load { reg, loc, mode });
                Ok(Ty::Any)
            }
            Op::Store { .. } if dest.is_some() => {
                Err(cur.error(span, "a store returns `()`: there is no value to bind"))
            }
            Op::Store { loc, value, mode } => {
                push(StmtKind::Store { loc, value, mode });
                Ok(Ty::Any)
            }
            Op::Rmw { loc, op, mode } => {
                push(StmtKind::Rmw {
                    reg: dest,
                    loc,
                    op,
                    mode,
                });
                Ok(Ty::Any)
            }
            Op::Cas {
                result: CasResult::Ok,
                ..
            } if dest.is_some() => Err(cur.error(
                span,
                "`.ok()` gives an Option, which a register cannot hold; use `.is_ok()`, or \
                 `.unwrap_or_else(|v| v)` for the value read",
            )),
            Op::Cas {
                loc,
                op,
                mode,

                result,
            } => match (dest, result) {
                (Some(reg), CasResult::IsOk | CasResult::IsErr) => {
                    // The success register, set by the path that succeeded: comparing the
                    // old value with `expected` would call a spurious failure a success.
                    let ok = self.temp("cas");
                    let op = match op {
                        RmwOp::Cas {
                            expected,
                            new,
                            failure,
                            weak,
                            ..
                        } => RmwOp::Cas {
                            expected,
                            new,
                            failure,
                            weak,
                            success: Some(ok.clone()),
                        },
                        other => other,
                    };
                    push(StmtKind::Rmw {
                        reg: None,
                        loc,
                        op,
                        mode,
                    });
                    let value = if result == CasResult::IsOk {
                        Expr::Reg(ok)
                    } else {
                        Expr::Not(Box::new(Expr::Reg(ok)))
                    };
                    push(StmtKind::Assign { reg, value });
                    Ok(Ty::Bool)
                }
                (reg, _) => {
                    push(StmtKind::Rmw { reg, loc, op, mode });
                    Ok(Ty::Any)
                }
            },
        }
    }
}
