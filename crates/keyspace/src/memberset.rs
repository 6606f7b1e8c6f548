//! [`MemberSet`]: a set's members, in one of the two encodings redis-server 7.0 has:
//!
//! - **ints** (redis's intset): while every member is an integer (in the strict form
//!   redis-server accepts: no sign but `-`, no leading zeros) and there are at most
//!   `set-max-intset-entries` (512) of them, the members are kept sorted by value,
//!   back to back as `length byte, decimal digits`. Iteration is in ascending order,
//!   as an intset's is, and a member costs a few bytes.
//! - **table** (redis's hashtable): a hash table of thin single-allocation entries.
//!
//! An int set becomes a table when a non-integer member is added or it grows past the
//! limit, never the other way (as in redis-server).

use crate::entry::{hash_key, Entry};
use hashbrown::HashTable;

#[derive(Debug, Clone)]
pub enum MemberSet {
    Ints(Ints),
    Table(HashTable<Entry>),
}

impl Default for MemberSet {
    fn default() -> MemberSet {
        MemberSet::Ints(Ints::default())
    }
}

/// The integer a member stands for, when it is one in redis-server's strict form.
pub fn as_integer(member: &[u8]) -> Option<i64> {
    let (negative, digits) = match member.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, member),
    };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits[0] == b'0' && (digits.len() > 1 || negative) {
        return None;
    }
    let mut n: i64 = 0;
    for d in digits {
        let d = (d - b'0') as i64;
        n = if negative {
            n.checked_mul(10)?.checked_sub(d)?
        } else {
            n.checked_mul(10)?.checked_add(d)?
        };
    }
    Some(n)
}

impl MemberSet {
    pub fn new() -> MemberSet {
        MemberSet::default()
    }

    pub fn len(&self) -> usize {
        match self {
            MemberSet::Ints(i) => i.len as usize,
            MemberSet::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `intset` or `hashtable`, as OBJECT ENCODING names them.
    pub fn encoding(&self) -> &'static str {
        match self {
            MemberSet::Ints(_) => "intset",
            MemberSet::Table(_) => "hashtable",
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            MemberSet::Ints(i) => as_integer(member).is_some_and(|n| i.find(n).is_ok()),
            MemberSet::Table(t) => t.find(hash_key(member), |e| e.key() == member).is_some(),
        }
    }

    /// Adds `member`; true when it is new. `max_ints` is `set-max-intset-entries`.
    pub fn insert(&mut self, member: &[u8], max_ints: usize) -> bool {
        if let MemberSet::Ints(ints) = self {
            match as_integer(member) {
                Some(n) => match ints.find(n) {
                    Ok(_) => return false,
                    Err(at) if (ints.len as usize) < max_ints => {
                        ints.insert_at(at, member);
                        return true;
                    }
                    Err(_) => self.convert_to_table(),
                },
                None => self.convert_to_table(),
            }
        }
        let MemberSet::Table(table) = self else {
            unreachable!("converted above");
        };
        let hash = hash_key(member);
        if table.find(hash, |e| e.key() == member).is_some() {
            return false;
        }
        table.insert_unique(hash, Entry::new(member, b""), |e| hash_key(e.key()));
        true
    }

    /// Removes `member`; true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            MemberSet::Ints(ints) => match as_integer(member).map(|n| ints.find(n)) {
                Some(Ok(at)) => {
                    ints.remove_at(at);
                    true
                }
                _ => false,
            },
            MemberSet::Table(table) => {
                match table.find_entry(hash_key(member), |e| e.key() == member) {
                    Ok(entry) => {
                        entry.remove();
                        if table.len() * 8 < table.capacity() && table.capacity() > 64 {
                            table.shrink_to_fit(|e| hash_key(e.key()));
                        }
                        true
                    }
                    Err(_) => false,
                }
            }
        }
    }

    /// Keeps the members for which `keep` holds.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        match self {
            MemberSet::Ints(ints) => {
                let mut kept = Ints::default();
                for member in ints.iter() {
                    if keep(member) {
                        kept.push(member);
                    }
                }
                *ints = kept;
            }
            MemberSet::Table(table) => table.retain(|e| keep(e.key())),
        }
    }

    /// Every member: ascending order for an int set, table order otherwise.
    pub fn iter(&self) -> Iter<'_> {
        match self {
            MemberSet::Ints(i) => i.iter(),
            MemberSet::Table(t) => Iter {
                inner: Inner::Table(t.iter()),
                remaining: t.len(),
            },
        }
    }

    fn convert_to_table(&mut self) {
        let mut table = HashTable::with_capacity(self.len() + 1);
        for member in self.iter() {
            table.insert_unique(hash_key(member), Entry::new(member, b""), |e: &Entry| {
                hash_key(e.key())
            });
        }
        *self = MemberSet::Table(table);
    }
}

/// An int set: members sorted by value, each `length byte, decimal digits`.
#[derive(Debug, Clone, Default)]
pub struct Ints {
    buf: Vec<u8>,
    len: u32,
}

impl Ints {
    fn iter(&self) -> Iter<'_> {
        Iter {
            inner: Inner::Ints {
                buf: &self.buf,
                at: 0,
            },
            remaining: self.len as usize,
        }
    }

    /// Where `n` is (Ok, its byte offset) or would go (Err, the offset to insert at).
    fn find(&self, n: i64) -> Result<usize, usize> {
        let mut at = 0;
        while at < self.buf.len() {
            let len = self.buf[at] as usize;
            let here = as_integer(&self.buf[at + 1..at + 1 + len]).unwrap_or(i64::MIN);
            match here.cmp(&n) {
                std::cmp::Ordering::Equal => return Ok(at),
                std::cmp::Ordering::Greater => return Err(at),
                std::cmp::Ordering::Less => at += 1 + len,
            }
        }
        Err(at)
    }

    fn insert_at(&mut self, at: usize, member: &[u8]) {
        let mut entry = Vec::with_capacity(member.len() + 1);
        entry.push(member.len() as u8);
        entry.extend_from_slice(member);
        self.buf.reserve_exact(entry.len());
        self.buf.splice(at..at, entry);
        self.len += 1;
    }

    fn push(&mut self, member: &[u8]) {
        self.buf.push(member.len() as u8);
        self.buf.extend_from_slice(member);
        self.len += 1;
    }

    fn remove_at(&mut self, at: usize) {
        let len = self.buf[at] as usize;
        self.buf.drain(at..at + 1 + len);
        self.buf.shrink_to_fit();
        self.len -= 1;
    }
}

/// The members of a [`MemberSet`] (see [`MemberSet::iter`]).
pub struct Iter<'a> {
    inner: Inner<'a>,
    remaining: usize,
}

enum Inner<'a> {
    Ints { buf: &'a [u8], at: usize },
    Table(hashbrown::hash_table::Iter<'a, Entry>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        let member = match &mut self.inner {
            Inner::Ints { buf, at } => {
                let len = *buf.get(*at)? as usize;
                let member = &buf[*at + 1..*at + 1 + len];
                *at += 1 + len;
                member
            }
            Inner::Table(entries) => entries.next().map(Entry::key)?,
        };
        self.remaining -= 1;
        Some(member)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a MemberSet {
    type Item = &'a [u8];
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<M: AsRef<[u8]>> FromIterator<M> for MemberSet {
    fn from_iter<I: IntoIterator<Item = M>>(iter: I) -> MemberSet {
        let mut set = MemberSet::new();
        for member in iter {
            set.insert(member.as_ref(), 512);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_integers_only() {
        assert_eq!(as_integer(b"-12"), Some(-12));
        assert_eq!(as_integer(b"0"), Some(0));
        assert_eq!(as_integer(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(as_integer(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [
            &b"01"[..],
            b"-0",
            b"+1",
            b"",
            b"-",
            b"1.0",
            b" 1",
            b"9223372036854775808",
        ] {
            assert_eq!(as_integer(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn ints_stay_sorted_until_they_cannot() {
        let mut set = MemberSet::new();
        for m in ["5", "-3", "12", "5", "0"] {
            set.insert(m.as_bytes(), 512);
        }
        assert_eq!(set.encoding(), "intset");
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [&b"-3"[..], b"0", b"5", b"12"]
        );
        assert!(set.remove(b"0"));
        assert!(!set.remove(b"00"));
        assert!(set.contains(b"12") && !set.contains(b"012"));
        set.insert(b"x", 512);
        assert_eq!(set.encoding(), "hashtable");
        assert_eq!(set.len(), 4);
        assert!(set.contains(b"-3") && set.contains(b"x"));
    }

    #[test]
    fn behaves_like_a_set_in_both_encodings() {
        let mut set = MemberSet::new();
        let mut model = std::collections::BTreeSet::new();
        let mut seed = 11u64;
        for step in 0..4000u32 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let member = if step < 2000 {
                format!("{}", (seed >> 33) % 60)
            } else {
                format!("m{}", (seed >> 33) % 60)
            };
            if (seed >> 20).is_multiple_of(3) {
                assert_eq!(set.remove(member.as_bytes()), model.remove(&member));
            } else {
                assert_eq!(
                    set.insert(member.as_bytes(), 16),
                    model.insert(member.clone())
                );
            }
            let mut got: Vec<String> = set
                .iter()
                .map(|m| String::from_utf8_lossy(m).into_owned())
                .collect();
            got.sort();
            assert_eq!(got, model.iter().cloned().collect::<Vec<_>>());
        }
    }
}
