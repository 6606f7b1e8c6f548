//! The sorted set value: members with scores, ordered by (score, member), in one of
//! two encodings as redis-server keeps them:
//!
//! - [`packed`] (redis's listpack) for small sets: one buffer, scanned;
//! - [`tree`] (redis's skiplist) for larger ones: a treap with a hash index, O(log n)
//!   rank and range operations and O(1) score lookups.
//!
//! A packed set becomes a tree when it would hold more than
//! `zset-max-listpack-entries` members or a member longer than
//! `zset-max-listpack-value` bytes (the limits it was created with). Like
//! redis-server, a set never goes back on its own; results built by commands
//! (ZUNIONSTORE, ZRANGESTORE, ...) are packed again by [`ZSet::compact`] when small.
//! Scores are never NaN; `-0.0` and `0.0` compare equal; ties order by member bytes.

mod packed;
mod tree;

use crate::fieldmap::PackLimits;
use packed::Packed;
use tree::{Tree, TreeIter};

#[derive(Debug, Clone)]
enum Repr {
    Packed(Packed),
    /// Boxed: a small set should not pay for the tree's bookkeeping.
    Tree(Box<Tree>),
}

/// A sorted set. Members are unique; order is by score, then by member bytes.
#[derive(Debug, Clone)]
pub struct ZSet {
    repr: Repr,
    limits: PackLimits,
}

impl Default for ZSet {
    fn default() -> ZSet {
        ZSet::new()
    }
}

impl ZSet {
    /// An empty set with redis-server's default listpack limits.
    pub fn new() -> ZSet {
        ZSet::with_limits(PackLimits::default())
    }

    /// An empty set that stays packed within `limits`.
    pub fn with_limits(limits: PackLimits) -> ZSet {
        let repr = if limits.max_entries == 0 {
            Repr::Tree(Box::default())
        } else {
            Repr::Packed(Packed::default())
        };
        ZSet { repr, limits }
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.len(),
            Repr::Tree(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `listpack` or `skiplist`, as OBJECT ENCODING names them.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Packed(_) => "listpack",
            Repr::Tree(_) => "skiplist",
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Packed(p) => p.score(member),
            Repr::Tree(t) => t.score(member),
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.score(member).is_some()
    }

    fn convert_to_tree(&mut self) {
        if let Repr::Packed(p) = &self.repr {
            let mut tree = Tree::new();
            for (member, score) in p.entries() {
                tree.insert(member, score);
            }
            self.repr = Repr::Tree(Box::new(tree));
        }
    }

    /// Sets `member`'s score (must not be NaN), adding the member if new. Returns the
    /// previous score.
    pub fn insert(&mut self, member: &[u8], score: f64) -> Option<f64> {
        debug_assert!(!score.is_nan());
        if let Repr::Packed(p) = &self.repr {
            let grows = member.len() > self.limits.max_value as usize
                || (p.len() + 1 > self.limits.max_entries as usize && p.score(member).is_none());
            if grows {
                self.convert_to_tree();
            }
        }
        match &mut self.repr {
            Repr::Packed(p) => p.insert(member, score),
            Repr::Tree(t) => t.insert(member, score),
        }
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match &mut self.repr {
            Repr::Packed(p) => p.remove(member),
            Repr::Tree(t) => t.remove(member),
        }
    }

    /// The 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        match &self.repr {
            Repr::Packed(p) => p.rank(member),
            Repr::Tree(t) => t.rank(member),
        }
    }

    /// The member and score at ascending rank `rank`.
    pub fn get_by_rank(&self, rank: usize) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Packed(p) => p.get_by_rank(rank),
            Repr::Tree(t) => t.get_by_rank(rank),
        }
    }

    /// The number of elements, in ascending order, for which `pred(score, member)`
    /// holds before it first fails; `pred` must hold on a prefix of the order (as
    /// `slice::partition_point`). With `|s, _| s < min` it is the rank of the first
    /// score at least `min`.
    pub fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.partition_point(pred),
            Repr::Tree(t) => t.partition_point(pred),
        }
    }

    /// Elements from ascending rank `rank` on: upward in order, or downward (toward
    /// rank 0) when `rev`. Empty when `rank` is out of range.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        match &self.repr {
            Repr::Packed(p) => Iter::Packed(p.entries_from_rank(rank, rev).into_iter()),
            Repr::Tree(t) => Iter::Tree(t.iter_from(rank, rev)),
        }
    }

    /// Every element in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0, false)
    }

    /// Removes the elements of ascending ranks `start..end` (clamped to the set) and
    /// returns them in ascending order.
    pub fn drain_ranks(&mut self, start: usize, end: usize) -> Vec<(Vec<u8>, f64)> {
        match &mut self.repr {
            Repr::Packed(p) => p.drain_ranks(start, end),
            Repr::Tree(t) => t.drain_ranks(start, end),
        }
    }

    /// Packs the set again when it fits `limits` (a result a command just built), and
    /// adopts `limits` for later growth.
    pub fn compact(&mut self, limits: PackLimits) {
        self.limits = limits;
        let Repr::Tree(t) = &self.repr else {
            return;
        };
        let fits = t.len() <= limits.max_entries as usize
            && t.iter().all(|(m, _)| m.len() <= limits.max_value as usize);
        if fits {
            let mut packed = Packed::default();
            for (member, score) in t.iter() {
                packed.push_ordered(member, score);
            }
            self.repr = Repr::Packed(packed);
        }
    }
}

/// A walk over a [`ZSet`] in rank order (see [`ZSet::iter_from`]).
pub enum Iter<'a> {
    Packed(std::vec::IntoIter<(&'a [u8], f64)>),
    Tree(TreeIter<'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Packed(entries) => entries.next(),
            Iter::Tree(walk) => walk.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{Rng, SeedableRng};

    /// The model: a Vec sorted by (score, member).
    fn model_sorted(model: &[(Vec<u8>, f64)]) -> Vec<(Vec<u8>, f64)> {
        let mut v = model.to_vec();
        v.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap().then_with(|| a.0.cmp(&b.0)));
        v
    }

    fn check(z: &ZSet, model: &[(Vec<u8>, f64)]) {
        let sorted = model_sorted(model);
        assert_eq!(z.len(), sorted.len());
        let got: Vec<(Vec<u8>, f64)> = z.iter().map(|(m, s)| (m.to_vec(), s)).collect();
        assert_eq!(got, sorted);
        let back: Vec<(Vec<u8>, f64)> = z
            .iter_from(sorted.len().wrapping_sub(1), true)
            .map(|(m, s)| (m.to_vec(), s))
            .collect();
        let mut rev = sorted.clone();
        rev.reverse();
        assert_eq!(back, rev);
        if let Repr::Tree(t) = &z.repr {
            assert_eq!(t.len(), sorted.len());
        }
        for (rank, (m, s)) in sorted.iter().enumerate() {
            assert_eq!(z.score(m), Some(*s));
            assert_eq!(z.rank(m), Some(rank));
            assert_eq!(z.get_by_rank(rank), Some((m.as_slice(), *s)));
        }
        assert_eq!(z.get_by_rank(sorted.len()), None);
    }

    /// Default limits, always a tree, and packed sets that convert early.
    fn encodings() -> [PackLimits; 3] {
        [
            PackLimits::default(),
            PackLimits {
                max_entries: 0,
                max_value: 0,
            },
            PackLimits {
                max_entries: 8,
                max_value: 3,
            },
        ]
    }

    #[test]
    fn basics() {
        for limits in encodings() {
            basics_with(ZSet::with_limits(limits));
        }
    }

    fn basics_with(mut z: ZSet) {
        assert_eq!(z.insert(b"b", 2.0), None);
        assert_eq!(z.insert(b"a", 2.0), None);
        assert_eq!(z.insert(b"c", 1.0), None);
        assert_eq!(z.insert(b"c", 3.0), Some(1.0));
        let all: Vec<_> = z.iter().collect();
        assert_eq!(
            all,
            vec![(&b"a"[..], 2.0), (&b"b"[..], 2.0), (&b"c"[..], 3.0)]
        );
        assert_eq!(z.rank(b"c"), Some(2));
        assert_eq!(z.partition_point(|s, _| s < 2.5), 2);
        assert_eq!(z.partition_point(|_, m| m < &b"b"[..]), 1);
        assert_eq!(z.remove(b"a"), Some(2.0));
        assert_eq!(z.remove(b"a"), None);
        assert_eq!(z.len(), 2);
        assert!(z.iter_from(5, false).next().is_none());
        assert_eq!(
            z.drain_ranks(0, 10),
            vec![(b"b".to_vec(), 2.0), (b"c".to_vec(), 3.0)]
        );
        assert!(z.is_empty());
    }

    #[test]
    fn infinities_and_zero() {
        for limits in encodings() {
            infinities_and_zero_with(ZSet::with_limits(limits));
        }
    }

    fn infinities_and_zero_with(mut z: ZSet) {
        z.insert(b"x", f64::INFINITY);
        z.insert(b"y", f64::NEG_INFINITY);
        z.insert(b"z", -0.0);
        z.insert(b"w", 0.0);
        let order: Vec<&[u8]> = z.iter().map(|(m, _)| m).collect();
        assert_eq!(order, vec![&b"y"[..], b"w", b"z", b"x"]);
        z.insert(b"z", 0.0);
        assert!(z.score(b"z").unwrap().is_sign_positive());
    }

    #[test]
    fn randomized_against_model() {
        let mut rng = SmallRng::seed_from_u64(7);
        for round in 0..12 {
            let mut z = ZSet::with_limits(encodings()[round % 3]);
            let mut model: Vec<(Vec<u8>, f64)> = Vec::new();
            let universe = [20, 200, 2000, 50][round / 3];
            for step in 0..6000 {
                let member = format!("m{}", rng.gen_range(0..universe)).into_bytes();
                let score = rng.gen_range(0..20) as f64 / 2.0;
                match rng.gen_range(0..10) {
                    0..=5 => {
                        let old = z.insert(&member, score);
                        let pos = model.iter().position(|(m, _)| *m == member);
                        assert_eq!(old, pos.map(|p| model[p].1));
                        match pos {
                            Some(p) => model[p].1 = score,
                            None => model.push((member, score)),
                        }
                    }
                    6..=7 => {
                        let old = z.remove(&member);
                        let pos = model.iter().position(|(m, _)| *m == member);
                        assert_eq!(old, pos.map(|p| model[p].1));
                        if let Some(p) = pos {
                            model.remove(p);
                        }
                    }
                    8 => {
                        let sorted = model_sorted(&model);
                        let a = rng.gen_range(0..=sorted.len() + 2);
                        let b = rng.gen_range(0..=sorted.len() + 2);
                        let (start, end) = (a.min(b), a.max(b));
                        let drained = z.drain_ranks(start, end);
                        let end = end.min(sorted.len());
                        let expect: Vec<_> = if start < end {
                            sorted[start..end].to_vec()
                        } else {
                            vec![]
                        };
                        assert_eq!(drained, expect);
                        model.retain(|e| !expect.contains(e));
                    }
                    _ => {
                        let sorted = model_sorted(&model);
                        let bound = rng.gen_range(0..22) as f64 / 2.0;
                        assert_eq!(
                            z.partition_point(|s, _| s < bound),
                            sorted.iter().filter(|e| e.1 < bound).count()
                        );
                        assert_eq!(
                            z.partition_point(|s, _| s <= bound),
                            sorted.iter().filter(|e| e.1 <= bound).count()
                        );
                        let rank = rng.gen_range(0..=sorted.len());
                        let take = rng.gen_range(0..5);
                        let up: Vec<_> = z
                            .iter_from(rank, false)
                            .take(take)
                            .map(|(m, s)| (m.to_vec(), s))
                            .collect();
                        let expect: Vec<_> = sorted.iter().skip(rank).take(take).cloned().collect();
                        assert_eq!(up, expect);
                        let down: Vec<_> = z
                            .iter_from(rank, true)
                            .take(take)
                            .map(|(m, s)| (m.to_vec(), s))
                            .collect();
                        let expect: Vec<_> = if rank < sorted.len() {
                            sorted[..=rank].iter().rev().take(take).cloned().collect()
                        } else {
                            vec![]
                        };
                        assert_eq!(down, expect);
                    }
                }
                if step % 500 == 0 {
                    check(&z, &model);
                }
            }
            check(&z, &model);
            let clone = z.clone();
            check(&clone, &model);
        }
    }

    #[test]
    fn small_sets_are_packed_and_results_pack_again() {
        let mut z = ZSet::new();
        for i in 0..128 {
            z.insert(format!("m{i}").as_bytes(), i as f64);
        }
        assert_eq!(z.encoding(), "listpack");
        z.insert(b"one-more", 0.0);
        assert_eq!(z.encoding(), "skiplist");
        z.remove(b"one-more");
        assert_eq!(z.encoding(), "skiplist", "never converts back by itself");
        z.compact(PackLimits::default());
        assert_eq!(z.encoding(), "listpack");
        assert_eq!(z.get_by_rank(127), Some((&b"m127"[..], 127.0)));
        z.insert(&[b'x'; 65], 1.0);
        assert_eq!(z.encoding(), "skiplist");
    }
}
