//! Programs built directly, without the parser: for tests of the checker alone and for the
//! property tests' generator.

#![allow(dead_code)]

use model::Span;
use model::program::{
    Condition, Expr, Mode, Program, Prop, Quantifier, RmwOp, Stmt, StmtKind, Thread, Var,
};
use std::collections::BTreeMap;

pub fn stmt(kind: StmtKind) -> Stmt {
    Stmt {
        kind,
        span: Span::new(1, 1),
    }
}

pub fn load(reg: &str, loc: &str, mode: Mode) -> Stmt {
    stmt(StmtKind::Load {
        reg: reg.into(),
        loc: loc.into(),
        mode,
    })
}

pub fn store(loc: &str, value: i64, mode: Mode) -> Stmt {
    stmt(StmtKind::Store {
        loc: loc.into(),
        value: Expr::Const(value),
        mode,
    })
}

pub fn store_reg(loc: &str, reg: &str, mode: Mode) -> Stmt {
    stmt(StmtKind::Store {
        loc: loc.into(),
        value: Expr::Reg(reg.into()),
        mode,
    })
}

pub fn fetch_add(reg: &str, loc: &str, value: i64, mode: Mode) -> Stmt {
    stmt(StmtKind::Rmw {
        reg: Some(reg.into()),
        loc: loc.into(),
        op: RmwOp::Add(Expr::Const(value)),
        mode,
    })
}

pub fn cas(reg: &str, loc: &str, expected: i64, new: i64, mode: Mode, failure: Mode) -> Stmt {
    stmt(StmtKind::Rmw {
        reg: Some(reg.into()),
        loc: loc.into(),
        op: RmwOp::Cas {
            expected: Expr::Const(expected),
            new: Expr::Const(new),
            failure,
            weak: false,
            success: None,
        },
        mode,
    })
}

pub fn fence(mode: Mode) -> Stmt {
    stmt(StmtKind::Fence { mode })
}

pub fn reg(thread: usize, name: &str) -> Var {
    Var::Reg {
        thread,
        reg: name.into(),
    }
}

/// `exists (v1 = x1 /\ v2 = x2 /\ …)`
pub fn exists(eqs: &[(Var, i64)]) -> Condition {
    let prop = eqs
        .iter()
        .map(|(var, v)| Prop::Eq(var.clone(), *v))
        .reduce(|a, b| Prop::And(Box::new(a), Box::new(b)))
        .unwrap_or(Prop::True);
    Condition {
        quantifier: Quantifier::Exists,
        prop,
        span: Span::new(1, 1),
    }
}

pub fn program(name: &str, threads: Vec<Vec<Stmt>>, condition: Option<Condition>) -> Program {
    Program {
        name: name.into(),
        init: BTreeMap::new(),
        threads: threads
            .into_iter()
            .enumerate()
            .map(|(i, body)| Thread {
                name: i.to_string(),
                body,
            })
            .collect(),
        condition,
        observed: Vec::new(),
    }
}

pub fn spawn(thread: usize) -> Stmt {
    stmt(StmtKind::Spawn { thread })
}

pub fn join(thread: usize) -> Stmt {
    stmt(StmtKind::Join { thread })
}
