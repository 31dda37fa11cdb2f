//! Sets of events and binary relations over them, as bit matrices, with the operators a
//! memory model is written in: `;` ([`Rel::seq`]), `∪`, `∩`, `\`, `⁻¹`, `?`, `+`, `*`, and the
//! `[S]` identity on a set. An execution has at most [`crate::MAX_EVENTS`] = 64 events, so
//! one `u64` holds a set and one row of a relation.

/// A set of events: bit `e` stands for event `e`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Set(pub u64);

impl Set {
    pub const EMPTY: Set = Set(0);

    /// Every event of an execution with `n` events.
    pub fn all(n: usize) -> Set {
        Set(if n >= 64 { u64::MAX } else { (1u64 << n) - 1 })
    }

    pub fn single(e: usize) -> Set {
        Set(1 << e)
    }

    pub fn contains(self, e: usize) -> bool {
        self.0 >> e & 1 == 1
    }

    pub fn insert(&mut self, e: usize) {
        self.0 |= 1 << e;
    }

    pub fn union(self, other: Set) -> Set {
        Set(self.0 | other.0)
    }

    pub fn inter(self, other: Set) -> Set {
        Set(self.0 & other.0)
    }

    pub fn minus(self, other: Set) -> Set {
        Set(self.0 & !other.0)
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The events in the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let e = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                e
            })
        })
    }
}

/// A binary relation over the `n` events of one execution: row `a` is the set of `b` with
/// `a → b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rel {
    n: usize,
    rows: [Set; 64],
}

impl Rel {
    /// The empty relation over `n` events.
    pub fn empty(n: usize) -> Rel {
        assert!(n <= 64, "an execution has at most 64 events");
        Rel {
            n,
            rows: [Set::EMPTY; 64],
        }
    }

    /// `[S]`: the identity restricted to `set`.
    pub fn id(n: usize, set: Set) -> Rel {
        let mut r = Rel::empty(n);
        for e in set.iter() {
            r.rows[e].insert(e);
        }
        r
    }

    /// `S × T`: every pair from `from` to `to`.
    pub fn product(n: usize, from: Set, to: Set) -> Rel {
        let mut r = Rel::empty(n);
        for e in from.iter() {
            r.rows[e] = to;
        }
        r
    }

    /// The relation holding exactly `pairs`.
    pub fn from_pairs(n: usize, pairs: impl IntoIterator<Item = (usize, usize)>) -> Rel {
        let mut r = Rel::empty(n);
        for (a, b) in pairs {
            r.add(a, b);
        }
        r
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.rows[..self.n].iter().all(|row| row.is_empty())
    }

    pub fn add(&mut self, a: usize, b: usize) {
        self.rows[a].insert(b);
    }

    pub fn contains(&self, a: usize, b: usize) -> bool {
        self.rows[a].contains(b)
    }

    /// The events `a` relates to.
    pub fn successors(&self, a: usize) -> Set {
        self.rows[a]
    }

    /// Every pair, row by row.
    pub fn pairs(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        (0..self.n).flat_map(move |a| self.rows[a].iter().map(move |b| (a, b)))
    }

    fn zip(&self, other: &Rel, f: impl Fn(Set, Set) -> Set) -> Rel {
        let mut r = Rel::empty(self.n);
        for a in 0..self.n {
            r.rows[a] = f(self.rows[a], other.rows[a]);
        }
        r
    }

    /// `r ∪ s`
    pub fn union(&self, other: &Rel) -> Rel {
        self.zip(other, Set::union)
    }

    /// `r ∩ s`
    pub fn inter(&self, other: &Rel) -> Rel {
        self.zip(other, Set::inter)
    }

    /// `r \ s`
    pub fn minus(&self, other: &Rel) -> Rel {
        self.zip(other, Set::minus)
    }

    /// `r ; s`: a → c when a →r b →s c for some b.
    pub fn seq(&self, other: &Rel) -> Rel {
        let mut r = Rel::empty(self.n);
        for a in 0..self.n {
            for b in self.rows[a].iter() {
                r.rows[a] = r.rows[a].union(other.rows[b]);
            }
        }
        r
    }

    /// `r⁻¹`
    pub fn inverse(&self) -> Rel {
        let mut r = Rel::empty(self.n);
        for (a, b) in self.pairs() {
            r.add(b, a);
        }
        r
    }

    /// `r?`: `r ∪ id`.
    pub fn opt(&self) -> Rel {
        self.union(&Rel::id(self.n, Set::all(self.n)))
    }

    /// `r⁺`: the transitive closure (Warshall).
    pub fn plus(&self) -> Rel {
        let mut r = *self;
        for k in 0..self.n {
            let via = r.rows[k];
            for a in 0..self.n {
                if r.rows[a].contains(k) {
                    r.rows[a] = r.rows[a].union(via);
                }
            }
        }
        r
    }

    /// `r*`: `r⁺ ∪ id`.
    pub fn star(&self) -> Rel {
        self.plus().opt()
    }

    /// No `a → a`.
    pub fn is_irreflexive(&self) -> bool {
        (0..self.n).all(|a| !self.rows[a].contains(a))
    }

    /// No cycle: `r⁺` is irreflexive.
    pub fn is_acyclic(&self) -> bool {
        self.plus().is_irreflexive()
    }

    /// Some `a → a`, if there is one.
    pub fn reflexive_point(&self) -> Option<usize> {
        (0..self.n).find(|&a| self.rows[a].contains(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_and_cycles() {
        let r = Rel::from_pairs(3, [(0, 1), (1, 2)]);
        assert!(r.plus().contains(0, 2));
        assert!(r.is_acyclic());
        let cyclic = r.union(&Rel::from_pairs(3, [(2, 0)]));
        assert!(!cyclic.is_acyclic());
        assert!(r.star().contains(1, 1));
    }

    #[test]
    fn composition_inverse_and_identity() {
        let r = Rel::from_pairs(3, [(0, 1)]);
        let s = Rel::from_pairs(3, [(1, 2)]);
        assert_eq!(r.seq(&s), Rel::from_pairs(3, [(0, 2)]));
        assert_eq!(r.inverse(), Rel::from_pairs(3, [(1, 0)]));
        let only_1 = Rel::id(3, Set::single(1));
        assert_eq!(r.seq(&only_1), r);
        assert!(only_1.seq(&r).is_empty());
    }

    #[test]
    fn sets() {
        let s = Set::single(3).union(Set::single(0));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![0, 3]);
        assert_eq!(Set::all(64), Set(u64::MAX));
        assert_eq!(Set::all(2), Set(0b11));
    }
}
