//! The values of lists, sets and hashes, owned by their [`crate::Item`].

use crate::item::Kind;
use std::collections::VecDeque;

/// A collection value. Each is a plain std/hashbrown structure today; compact
/// encodings for small collections belong here, behind the same enum.
#[derive(Debug, Clone)]
pub enum Collection {
    List(VecDeque<Vec<u8>>),
    Set(hashbrown::HashSet<Vec<u8>>),
    Hash(crate::fieldmap::FieldMap),
    ZSet(crate::zset::ZSet),
}

impl Collection {
    pub fn kind(&self) -> Kind {
        match self {
            Collection::List(_) => Kind::List,
            Collection::Set(_) => Kind::Set,
            Collection::Hash(_) => Kind::Hash,
            Collection::ZSet(_) => Kind::ZSet,
        }
    }

    /// Number of elements (list items, set members, hash fields).
    pub fn len(&self) -> usize {
        match self {
            Collection::List(l) => l.len(),
            Collection::Set(s) => s.len(),
            Collection::Hash(h) => h.len(),
            Collection::ZSet(z) => z.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
