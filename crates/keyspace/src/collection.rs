//! The values of lists, sets, hashes, sorted sets and streams, owned by their
//! [`crate::Item`].

use crate::item::Kind;
use std::collections::VecDeque;

/// A collection value. Each is a plain std/hashbrown structure today; compact
/// encodings for small collections belong here, behind the same enum.
#[derive(Debug, Clone)]
pub enum Collection {
    List(VecDeque<Vec<u8>>),
    Set(hashbrown::HashSet<Vec<u8>>),
    Hash(hashbrown::HashMap<Vec<u8>, Vec<u8>>),
    ZSet(crate::zset::ZSet),
    Stream(crate::stream::Stream),
}

impl Collection {
    pub fn kind(&self) -> Kind {
        match self {
            Collection::List(_) => Kind::List,
            Collection::Set(_) => Kind::Set,
            Collection::Hash(_) => Kind::Hash,
            Collection::ZSet(_) => Kind::ZSet,
            Collection::Stream(_) => Kind::Stream,
        }
    }

    /// Number of elements (list items, set members, hash fields, stream entries).
    pub fn len(&self) -> usize {
        match self {
            Collection::List(l) => l.len(),
            Collection::Set(s) => s.len(),
            Collection::Hash(h) => h.len(),
            Collection::ZSet(z) => z.len(),
            Collection::Stream(s) => s.len() as usize,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
