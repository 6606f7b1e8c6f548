//! The sorted set value: members with scores, ordered by (score, member).

/// A sorted set. Members are unique; order is by score, then by member bytes.
#[derive(Debug, Clone, Default)]
pub struct ZSet {
    scores: hashbrown::HashMap<Vec<u8>, f64>,
}

impl ZSet {
    pub fn new() -> ZSet {
        ZSet::default()
    }

    pub fn len(&self) -> usize {
        self.scores.len()
    }

    pub fn is_empty(&self) -> bool {
        self.scores.is_empty()
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.scores.get(member).copied()
    }
}
