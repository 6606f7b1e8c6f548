//! The values of lists, sets, hashes, sorted sets and streams, owned by their
//! [`crate::Item`].

use crate::item::Kind;

/// A collection value. Hashes, sets and sorted sets have compact encodings for small
/// ones (listpack, intset) beside their tables; lists are plain deques.
#[derive(Debug, Clone)]
pub enum Collection {
    List(crate::packedlist::PackedList),
    Set(crate::memberset::MemberSet),
    Hash(crate::fieldmap::FieldMap),
    ZSet(crate::zset::ZSet),
    /// Boxed: a stream's bookkeeping is larger than the other variants.
    Stream(Box<crate::stream::Stream>),
}

/// A value type a collection can hold: typed access to an item's collection
/// (`Item::collection_as`), one implementation per variant.
pub trait Typed: Sized {
    fn of(collection: &Collection) -> Option<&Self>;
    fn of_mut(collection: &mut Collection) -> Option<&mut Self>;
}

macro_rules! typed {
    ($variant:ident, $type:ty) => {
        impl Typed for $type {
            fn of(collection: &Collection) -> Option<&Self> {
                match collection {
                    Collection::$variant(value) => Some(value),
                    _ => None,
                }
            }

            fn of_mut(collection: &mut Collection) -> Option<&mut Self> {
                match collection {
                    Collection::$variant(value) => Some(value),
                    _ => None,
                }
            }
        }
    };
}

typed!(List, crate::packedlist::PackedList);
typed!(Set, crate::memberset::MemberSet);
typed!(Hash, crate::fieldmap::FieldMap);
typed!(ZSet, crate::zset::ZSet);
typed!(Stream, Box<crate::stream::Stream>);

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

#[cfg(test)]
mod tests {
    /// Every collection pays for the largest variant: keep them small.
    #[test]
    fn collections_stay_small() {
        assert!(std::mem::size_of::<super::Collection>() <= 48);
    }
}
