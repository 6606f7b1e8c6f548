//! The large sorted set encoding (redis's skiplist): a treap with a hash index.
//!
//! ```text
//!  index: HashTable<u32> ──member──▶ nodes[i] { member, score, left, right, size, prio }
//!                                         ▲
//!  root ── treap over nodes, in-order = ascending (score, member), size = subtree count
//! ```
//!
//! - Each member is stored once, in its node of an arena (`nodes`); the hash index
//!   maps a member to its node, so a score lookup is O(1).
//! - The nodes form a treap: a binary search tree by (score, member) that is a heap by
//!   `prio`. Priorities come from the member's hash under a per-set random seed, so
//!   the tree is balanced in expectation whatever the insertion order: every
//!   operation below is O(log n) expected, and range walks O(log n + k).
//! - `size` (nodes in the subtree) makes rank and access by rank O(log n).
//! - Scores are never NaN; `-0.0` and `0.0` compare equal. Ties order by member bytes.
//! - Freed nodes are reused; when most of the arena is free it is compacted.

use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

const NIL: u32 = u32::MAX;

#[derive(Debug, Clone)]
struct Node {
    member: Box<[u8]>,
    score: f64,
    left: u32,
    right: u32,
    /// Nodes in this subtree, this one included.
    size: u32,
    prio: u32,
}

/// A sorted set as a treap. Members are unique; order is by score, then member bytes.
#[derive(Debug, Clone)]
pub struct Tree {
    nodes: Vec<Node>,
    /// Free slots of `nodes`.
    free: Vec<u32>,
    root: u32,
    index: HashTable<u32>,
    hasher: RandomState,
}

impl Default for Tree {
    fn default() -> Tree {
        Tree::new()
    }
}

/// (score, member) strictly before (score2, member2)?
pub(super) fn before(score: f64, member: &[u8], score2: f64, member2: &[u8]) -> bool {
    score < score2 || (score == score2 && member < member2)
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            nodes: Vec::new(),
            free: Vec::new(),
            root: NIL,
            index: HashTable::new(),
            hasher: RandomState::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn find(&self, member: &[u8]) -> Option<u32> {
        let hash = self.hasher.hash_one(member);
        let nodes = &self.nodes;
        self.index
            .find(hash, |&i| &*nodes[i as usize].member == member)
            .copied()
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|i| self.nodes[i as usize].score)
    }

    /// Sets `member`'s score (must not be NaN), adding the member if new. Returns the
    /// previous score.
    pub fn insert(&mut self, member: &[u8], score: f64) -> Option<f64> {
        debug_assert!(!score.is_nan());
        if let Some(i) = self.find(member) {
            let old = self.nodes[i as usize].score;
            if old != score || old.is_sign_negative() != score.is_sign_negative() {
                self.detach(i);
                self.nodes[i as usize].score = score;
                self.attach(i);
            }
            return Some(old);
        }
        let hash = self.hasher.hash_one(member);
        let node = Node {
            member: member.into(),
            score,
            left: NIL,
            right: NIL,
            size: 1,
            prio: (hash >> 32) as u32,
        };
        let i = match self.free.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
        };
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        self.index
            .insert_unique(hash, i, |&j| hasher.hash_one(&*nodes[j as usize].member));
        self.attach(i);
        None
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let i = self.find(member)?;
        self.detach(i);
        let score = self.nodes[i as usize].score;
        self.forget(i);
        self.maybe_compact();
        Some(score)
    }

    /// The 0-based rank of `member` in ascending order.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let i = self.find(member)?;
        let (score, member) = (
            self.nodes[i as usize].score,
            &*self.nodes[i as usize].member,
        );
        Some(self.partition_point(|s, m| before(s, m, score, member)))
    }

    /// The member and score at ascending rank `rank`.
    pub fn get_by_rank(&self, rank: usize) -> Option<(&[u8], f64)> {
        let i = self.at_rank(rank)?;
        let node = &self.nodes[i as usize];
        Some((&node.member, node.score))
    }

    /// The number of elements, in ascending order, for which `pred(score, member)`
    /// holds before it first fails; `pred` must hold on a prefix of the order (as
    /// `slice::partition_point`). With `|s, _| s < min` it is the rank of the first
    /// score at least `min`.
    pub fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut count = 0;
        let mut t = self.root;
        while t != NIL {
            let node = &self.nodes[t as usize];
            if pred(node.score, &node.member) {
                count += self.size(node.left) + 1;
                t = node.right;
            } else {
                t = node.left;
            }
        }
        count
    }

    /// Elements from ascending rank `rank` on: upward in order, or downward (toward
    /// rank 0) when `rev`. Empty when `rank` is out of range.
    pub fn iter_from(&self, rank: usize, rev: bool) -> TreeIter<'_> {
        let mut stack = Vec::new();
        let mut t = self.root;
        let mut r = rank;
        while t != NIL {
            let node = &self.nodes[t as usize];
            let left = self.size(node.left);
            if r < left {
                if !rev {
                    stack.push(t);
                }
                t = node.left;
            } else if r == left {
                stack.push(t);
                break;
            } else {
                if rev {
                    stack.push(t);
                }
                r -= left + 1;
                t = node.right;
            }
        }
        if t == NIL {
            stack.clear();
        }
        TreeIter {
            set: self,
            stack,
            rev,
        }
    }

    /// Every element in ascending order.
    pub fn iter(&self) -> TreeIter<'_> {
        self.iter_from(0, false)
    }

    /// Removes the elements of ascending ranks `start..end` (clamped to the set) and
    /// returns them in ascending order.
    pub fn drain_ranks(&mut self, start: usize, end: usize) -> Vec<(Vec<u8>, f64)> {
        let end = end.min(self.len());
        if start >= end {
            return Vec::new();
        }
        let (left, rest) = self.split_rank(self.root, start);
        let (middle, right) = self.split_rank(rest, end - start);
        self.root = self.merge(left, right);
        let mut taken = Vec::with_capacity(end - start);
        self.collect(middle, &mut taken);
        let drained = taken
            .into_iter()
            .map(|i| {
                let score = self.nodes[i as usize].score;
                (self.forget(i).into_vec(), score)
            })
            .collect();
        self.maybe_compact();
        drained
    }

    // ---- treap internals ----

    fn size(&self, t: u32) -> usize {
        if t == NIL {
            0
        } else {
            self.nodes[t as usize].size as usize
        }
    }

    fn update(&mut self, t: u32) {
        let node = &self.nodes[t as usize];
        let size = 1 + self.size(node.left) + self.size(node.right);
        self.nodes[t as usize].size = size as u32;
    }

    fn at_rank(&self, rank: usize) -> Option<u32> {
        let mut t = self.root;
        let mut r = rank;
        while t != NIL {
            let node = &self.nodes[t as usize];
            let left = self.size(node.left);
            if r < left {
                t = node.left;
            } else if r == left {
                return Some(t);
            } else {
                r -= left + 1;
                t = node.right;
            }
        }
        None
    }

    /// Splits `t` into (the elements ordered before node `key`, the rest).
    fn split_before(&mut self, t: u32, key: u32) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let (node, k) = (&self.nodes[t as usize], &self.nodes[key as usize]);
        if t != key && before(node.score, &node.member, k.score, &k.member) {
            let (a, b) = self.split_before(node.right, key);
            self.nodes[t as usize].right = a;
            self.update(t);
            (t, b)
        } else {
            let (a, b) = self.split_before(node.left, key);
            self.nodes[t as usize].left = b;
            self.update(t);
            (a, t)
        }
    }

    /// Splits `t` into (its first `k` elements, the rest).
    fn split_rank(&mut self, t: u32, k: usize) -> (u32, u32) {
        if t == NIL {
            return (NIL, NIL);
        }
        let node = &self.nodes[t as usize];
        let left = self.size(node.left);
        if k <= left {
            let (a, b) = self.split_rank(node.left, k);
            self.nodes[t as usize].left = b;
            self.update(t);
            (a, t)
        } else {
            let (a, b) = self.split_rank(node.right, k - left - 1);
            self.nodes[t as usize].right = a;
            self.update(t);
            (t, b)
        }
    }

    /// Joins two treaps, every element of `a` before every element of `b`.
    fn merge(&mut self, a: u32, b: u32) -> u32 {
        if a == NIL {
            return b;
        }
        if b == NIL {
            return a;
        }
        if self.nodes[a as usize].prio >= self.nodes[b as usize].prio {
            let right = self.merge(self.nodes[a as usize].right, b);
            self.nodes[a as usize].right = right;
            self.update(a);
            a
        } else {
            let left = self.merge(a, self.nodes[b as usize].left);
            self.nodes[b as usize].left = left;
            self.update(b);
            b
        }
    }

    /// Points the link that led down from `parent` (or the root) at `to`.
    fn relink(&mut self, parent: u32, went_left: bool, to: u32) {
        if parent == NIL {
            self.root = to;
        } else if went_left {
            self.nodes[parent as usize].left = to;
        } else {
            self.nodes[parent as usize].right = to;
        }
    }

    /// Whether node `t` sorts before node `i`.
    fn node_before(&self, t: u32, i: u32) -> bool {
        let (a, b) = (&self.nodes[t as usize], &self.nodes[i as usize]);
        before(a.score, &a.member, b.score, &b.member)
    }

    /// The left or the right child of `t`.
    fn child(&self, t: u32, left: bool) -> u32 {
        let node = &self.nodes[t as usize];
        if left {
            node.left
        } else {
            node.right
        }
    }

    /// Puts node `i` (out of the tree) in its place: one walk down to where its
    /// priority belongs (counting it into every subtree passed), then a split of the
    /// small subtree found there into its two children.
    fn attach(&mut self, i: u32) {
        let prio = self.nodes[i as usize].prio;
        let (mut parent, mut went_left) = (NIL, false);
        let mut t = self.root;
        while t != NIL && self.nodes[t as usize].prio >= prio {
            self.nodes[t as usize].size += 1;
            parent = t;
            went_left = !self.node_before(t, i);
            t = self.child(t, went_left);
        }
        let (a, b) = self.split_before(t, i);
        let node = &mut self.nodes[i as usize];
        node.left = a;
        node.right = b;
        self.update(i);
        self.relink(parent, went_left, i);
    }

    /// Takes node `i` out of the tree (it stays in the arena and the index): one walk
    /// down to it (counting it out of every subtree passed), then its two children
    /// merged in its place.
    fn detach(&mut self, i: u32) {
        let (mut parent, mut went_left) = (NIL, false);
        let mut t = self.root;
        while t != i {
            debug_assert!(t != NIL, "node {i} is in the tree");
            self.nodes[t as usize].size -= 1;
            parent = t;
            went_left = !self.node_before(t, i);
            t = self.child(t, went_left);
        }
        let (left, right) = (self.nodes[i as usize].left, self.nodes[i as usize].right);
        let merged = self.merge(left, right);
        self.relink(parent, went_left, merged);
        let node = &mut self.nodes[i as usize];
        node.left = NIL;
        node.right = NIL;
        node.size = 1;
    }

    /// Drops node `i` (already out of the tree) from the index and frees its slot;
    /// returns its member.
    fn forget(&mut self, i: u32) -> Box<[u8]> {
        let member = std::mem::take(&mut self.nodes[i as usize].member);
        let hash = self.hasher.hash_one(&*member);
        if let Ok(entry) = self.index.find_entry(hash, |&j| j == i) {
            entry.remove();
        }
        self.free.push(i);
        member
    }

    /// Node indexes of subtree `t`, in order.
    fn collect(&self, t: u32, out: &mut Vec<u32>) {
        let mut stack = Vec::new();
        let mut t = t;
        loop {
            while t != NIL {
                stack.push(t);
                t = self.nodes[t as usize].left;
            }
            match stack.pop() {
                Some(n) => {
                    out.push(n);
                    t = self.nodes[n as usize].right;
                }
                None => break,
            }
        }
    }

    /// Rebuilds the arena without its free slots once they are the majority.
    fn maybe_compact(&mut self) {
        if self.is_empty() {
            self.nodes = Vec::new();
            self.free = Vec::new();
            self.root = NIL;
            return;
        }
        if self.free.len() < 64 || self.free.len() * 2 < self.nodes.len() {
            return;
        }
        let mut old = std::mem::take(&mut self.nodes);
        let mut nodes = Vec::with_capacity(self.len());
        self.root = Self::copy_subtree(&mut old, self.root, &mut nodes);
        self.nodes = nodes;
        self.free = Vec::new();
        self.index.clear();
        self.index.shrink_to(self.nodes.len(), |_| 0);
        let (nodes, hasher) = (&self.nodes, &self.hasher);
        for i in 0..nodes.len() as u32 {
            let hash = hasher.hash_one(&*nodes[i as usize].member);
            self.index
                .insert_unique(hash, i, |&j| hasher.hash_one(&*nodes[j as usize].member));
        }
    }

    /// Moves subtree `t` of `old` into `new` keeping its shape; returns its new root.
    fn copy_subtree(old: &mut [Node], t: u32, new: &mut Vec<Node>) -> u32 {
        if t == NIL {
            return NIL;
        }
        let (left, right) = (old[t as usize].left, old[t as usize].right);
        let left = Self::copy_subtree(old, left, new);
        let right = Self::copy_subtree(old, right, new);
        let node = &mut old[t as usize];
        new.push(Node {
            member: std::mem::take(&mut node.member),
            score: node.score,
            left,
            right,
            size: node.size,
            prio: node.prio,
        });
        (new.len() - 1) as u32
    }
}

/// A walk over a [`Tree`] in rank order (see [`Tree::iter_from`]).
pub struct TreeIter<'a> {
    set: &'a Tree,
    stack: Vec<u32>,
    rev: bool,
}

impl<'a> Iterator for TreeIter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        let nodes = &self.set.nodes;
        let t = self.stack.pop()?;
        let node = &nodes[t as usize];
        let mut c = if self.rev { node.left } else { node.right };
        while c != NIL {
            self.stack.push(c);
            let child = &nodes[c as usize];
            c = if self.rev { child.right } else { child.left };
        }
        Some((&node.member, node.score))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_sets_stay_shallow_and_compact() {
        let mut z = Tree::new();
        for i in 0..100_000u32 {
            z.insert(format!("{i}").as_bytes(), i as f64);
        }
        fn height(z: &Tree, t: u32) -> usize {
            if t == NIL {
                0
            } else {
                let n = &z.nodes[t as usize];
                1 + height(z, n.left).max(height(z, n.right))
            }
        }
        assert!(height(&z, z.root) < 80);
        for i in 0..90_000u32 {
            assert!(z.remove(format!("{i}").as_bytes()).is_some());
        }
        assert!(z.nodes.len() < 30_000);
        assert_eq!(z.get_by_rank(0), Some((&b"90000"[..], 90000.0)));
        assert_eq!(z.rank(b"99999"), Some(9999));
    }
}
