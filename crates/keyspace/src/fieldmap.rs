//! [`FieldMap`]: a hash's fields and values, in one of two encodings, as redis-server
//! keeps them:
//!
//! - **packed** (redis's listpack): every `field, value` back to back in one buffer,
//!   each as a varint length and its bytes, in insertion order. Lookups scan, which
//!   for the few short entries allowed (`hash-max-listpack-entries`, 128, and
//!   `hash-max-listpack-value`, 64 bytes, by default) costs less than hashing, and a
//!   field costs its bytes plus two length bytes instead of a table slot and two
//!   allocations.
//! - **table** (redis's hashtable): a hash table of entries, each entry one
//!   allocation holding the lengths, the field and the value. A slot is an 8-byte
//!   pointer (plus hashbrown's control byte), so a field costs about 18 bytes of
//!   table at hashbrown's usual load plus its data and two length bytes, against
//!   about 100 for a map of two `Vec`s.
//!
//! A packed map becomes a table when it grows past the limits, never the other way
//! (as in redis-server); the limits are passed in by the caller, who owns the
//! configuration.

use crate::entry::{hash_key, Entry};
use crate::varint;
use hashbrown::HashTable;

/// When a packed map must become a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackLimits {
    pub max_entries: u32,
    pub max_value: u32,
}

impl Default for PackLimits {
    fn default() -> PackLimits {
        PackLimits {
            max_entries: 128,
            max_value: 64,
        }
    }
}

#[derive(Debug, Clone)]
pub enum FieldMap {
    Packed(Packed),
    Table(Table),
}

impl Default for FieldMap {
    fn default() -> FieldMap {
        FieldMap::Packed(Packed::default())
    }
}

impl FieldMap {
    pub fn new() -> FieldMap {
        FieldMap::default()
    }

    pub fn len(&self) -> usize {
        match self {
            FieldMap::Packed(p) => p.len,
            FieldMap::Table(t) => t.entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `listpack` or `hashtable`, as OBJECT ENCODING names them.
    pub fn encoding(&self) -> &'static str {
        match self {
            FieldMap::Packed(_) => "listpack",
            FieldMap::Table(_) => "hashtable",
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            FieldMap::Packed(p) => p.find(field).map(|at| at.value(&p.buf)),
            FieldMap::Table(t) => t.get(field),
        }
    }

    pub fn contains_key(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Sets `field` to `value`; returns true when the field is new.
    pub fn insert(&mut self, field: &[u8], value: &[u8], limits: PackLimits) -> bool {
        if let FieldMap::Packed(p) = self {
            let max_value = limits.max_value as usize;
            let too_long = field.len() > max_value || value.len() > max_value;
            let new = p.find(field).is_none();
            if too_long || (new && p.len + 1 > limits.max_entries as usize) {
                self.convert_to_table();
            }
        }
        match self {
            FieldMap::Packed(p) => p.insert(field, value),
            FieldMap::Table(t) => t.insert(field, value),
        }
    }

    /// Removes `field`; returns true when it was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            FieldMap::Packed(p) => p.remove(field),
            FieldMap::Table(t) => t.remove(field),
        }
    }

    /// Every `(field, value)`: insertion order when packed, table order otherwise.
    pub fn iter(&self) -> Iter<'_> {
        match self {
            FieldMap::Packed(p) => Iter::Packed {
                buf: &p.buf,
                offset: 0,
            },
            FieldMap::Table(t) => Iter::Table(t.entries.iter()),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &[u8]> {
        self.iter().map(|(f, _)| f)
    }

    pub fn values(&self) -> impl Iterator<Item = &[u8]> {
        self.iter().map(|(_, v)| v)
    }

    fn convert_to_table(&mut self) {
        let mut table = Table::with_capacity(self.len());
        for (field, value) in self.iter() {
            table.insert(field, value);
        }
        *self = FieldMap::Table(table);
    }
}

impl<'a> IntoIterator for &'a FieldMap {
    type Item = (&'a [u8], &'a [u8]);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<F: AsRef<[u8]>, V: AsRef<[u8]>> FromIterator<(F, V)> for FieldMap {
    fn from_iter<I: IntoIterator<Item = (F, V)>>(iter: I) -> FieldMap {
        let mut map = FieldMap::new();
        for (field, value) in iter {
            map.insert(field.as_ref(), value.as_ref(), PackLimits::default());
        }
        map
    }
}

/// Where one packed entry lies in the buffer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: usize,
    field: (usize, usize),
    value: (usize, usize),
    end: usize,
}

impl Slot {
    fn at(buf: &[u8], start: usize) -> Slot {
        let (field_len, used) = varint::read_len(buf, start);
        let field_at = start + used;
        let (value_len, used) = varint::read_len(buf, field_at + field_len);
        let value_at = field_at + field_len + used;
        Slot {
            start,
            field: (field_at, field_len),
            value: (value_at, value_len),
            end: value_at + value_len,
        }
    }

    fn field<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        &buf[self.field.0..self.field.0 + self.field.1]
    }

    fn value<'b>(&self, buf: &'b [u8]) -> &'b [u8] {
        &buf[self.value.0..self.value.0 + self.value.1]
    }
}

#[derive(Debug, Clone, Default)]
pub struct Packed {
    buf: Vec<u8>,
    len: usize,
}

impl Packed {
    fn find(&self, field: &[u8]) -> Option<Slot> {
        let mut at = 0;
        while at < self.buf.len() {
            let slot = Slot::at(&self.buf, at);
            if slot.field(&self.buf) == field {
                return Some(slot);
            }
            at = slot.end;
        }
        None
    }

    fn encode(field: &[u8], value: &[u8]) -> Vec<u8> {
        let mut entry = Vec::with_capacity(field.len() + value.len() + 4);
        varint::write(&mut entry, field.len() as u64);
        entry.extend_from_slice(field);
        varint::write(&mut entry, value.len() as u64);
        entry.extend_from_slice(value);
        entry
    }

    fn insert(&mut self, field: &[u8], value: &[u8]) -> bool {
        let entry = Packed::encode(field, value);
        match self.find(field) {
            Some(slot) => {
                self.buf.splice(slot.start..slot.end, entry);
                self.buf.shrink_to_fit();
                false
            }
            None => {
                self.buf.reserve_exact(entry.len());
                self.buf.extend_from_slice(&entry);
                self.len += 1;
                true
            }
        }
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        match self.find(field) {
            Some(slot) => {
                self.buf.drain(slot.start..slot.end);
                self.buf.shrink_to_fit();
                self.len -= 1;
                true
            }
            None => false,
        }
    }
}

/// The table encoding: a hash table of [`Entry`] pointers.
#[derive(Debug, Clone, Default)]
pub struct Table {
    entries: HashTable<Entry>,
}

impl Table {
    fn with_capacity(n: usize) -> Table {
        Table {
            entries: HashTable::with_capacity(n),
        }
    }

    fn get(&self, field: &[u8]) -> Option<&[u8]> {
        self.entries
            .find(hash_key(field), |e| e.key() == field)
            .map(Entry::value)
    }

    fn insert(&mut self, field: &[u8], value: &[u8]) -> bool {
        let entry = Entry::new(field, value);
        let hash = hash_key(field);
        match self.entries.find_mut(hash, |e| e.key() == field) {
            Some(existing) => {
                *existing = entry;
                false
            }
            None => {
                self.entries
                    .insert_unique(hash, entry, |e| hash_key(e.key()));
                true
            }
        }
    }

    fn remove(&mut self, field: &[u8]) -> bool {
        match self
            .entries
            .find_entry(hash_key(field), |e| e.key() == field)
        {
            Ok(entry) => {
                entry.remove();
                if self.entries.len() * 8 < self.entries.capacity() && self.entries.capacity() > 64
                {
                    self.entries.shrink_to_fit(|e| hash_key(e.key()));
                }
                true
            }
            Err(_) => false,
        }
    }
}

pub enum Iter<'a> {
    Packed { buf: &'a [u8], offset: usize },
    Table(hashbrown::hash_table::Iter<'a, Entry>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Packed { buf, offset } => {
                if *offset >= buf.len() {
                    return None;
                }
                let slot = Slot::at(buf, *offset);
                *offset = slot.end;
                Some((slot.field(buf), slot.value(buf)))
            }
            Iter::Table(entries) => entries.next().map(Entry::parts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(map: &FieldMap, model: &std::collections::BTreeMap<Vec<u8>, Vec<u8>>) {
        assert_eq!(map.len(), model.len());
        for (f, v) in model {
            assert_eq!(map.get(f), Some(v.as_slice()));
        }
        let mut seen: Vec<(Vec<u8>, Vec<u8>)> =
            map.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
        seen.sort();
        let expected: Vec<(Vec<u8>, Vec<u8>)> =
            model.iter().map(|(f, v)| (f.clone(), v.clone())).collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn behaves_like_a_map_in_both_encodings() {
        let limits = PackLimits {
            max_entries: 16,
            max_value: 8,
        };
        let mut map = FieldMap::new();
        let mut model = std::collections::BTreeMap::new();
        let mut seed = 7u64;
        for step in 0..3000u32 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let field = format!("f{}", seed % 40).into_bytes();
            let value = vec![b'v'; (seed >> 20) as usize % 10];
            if seed.is_multiple_of(5) {
                assert_eq!(map.remove(&field), model.remove(&field).is_some());
            } else {
                assert_eq!(
                    map.insert(&field, &value, limits),
                    model.insert(field, value).is_none()
                );
            }
            if step.is_multiple_of(50) {
                check(&map, &model);
            }
        }
        check(&map, &model);
        assert_eq!(map.encoding(), "hashtable");
    }

    #[test]
    fn packed_keeps_insertion_order_until_limits() {
        let limits = PackLimits::default();
        let mut map = FieldMap::new();
        map.insert(b"b", b"1", limits);
        map.insert(b"a", b"2", limits);
        map.insert(b"b", b"3", limits);
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            [(&b"b"[..], &b"3"[..]), (&b"a"[..], &b"2"[..])]
        );
        assert_eq!(map.encoding(), "listpack");
        map.insert(b"long", &[b'x'; 65], limits);
        assert_eq!(map.encoding(), "hashtable");
        assert_eq!(map.get(b"a"), Some(&b"2"[..]));
    }
}
