//! A node: a run of consecutive entries packed into one buffer (see the parent
//! module's docs for the layout and why).

use super::StreamId;

/// Flag in a node's offset: the entry is deleted.
const DELETED: u32 = 1 << 31;

/// One entry's fields and values, as stored.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    data: &'a [u8],
}

fn read_varint(data: &[u8], at: &mut usize) -> usize {
    let mut value = 0usize;
    let mut shift = 0;
    while let Some(&b) = data.get(*at) {
        *at += 1;
        value |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    value
}

pub(super) fn write_varint(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

impl<'a> Entry<'a> {
    /// Number of field-value pairs.
    pub fn pairs_len(&self) -> usize {
        read_varint(self.data, &mut 0)
    }

    /// The fields and values, in the order they were added: field, value, field, ...
    pub fn items(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let data = self.data;
        let mut at = 0;
        let count = read_varint(data, &mut at) * 2;
        (0..count).map(move |_| {
            let len = read_varint(data, &mut at);
            let end = (at + len).min(data.len());
            let item = &data[at.min(end)..end];
            at = end;
            item
        })
    }
}

/// A run of consecutive entries (redis-server's listpack node).
#[derive(Debug, Clone, Default)]
pub(super) struct Node {
    pub(super) ids: Vec<StreamId>,
    /// Start of each entry in `data`; the top bit marks a deleted entry.
    pub(super) offsets: Vec<u32>,
    pub(super) data: Vec<u8>,
    /// Entries not deleted.
    pub(super) live: usize,
}

impl Node {
    pub(super) fn first_id(&self) -> StreamId {
        self.ids.first().copied().unwrap_or_default()
    }

    pub(super) fn last_id(&self) -> StreamId {
        self.ids.last().copied().unwrap_or_default()
    }

    pub(super) fn entry(&self, index: usize) -> Entry<'_> {
        let start = (self.offsets[index] & !DELETED) as usize;
        let end = self
            .offsets
            .get(index + 1)
            .map_or(self.data.len(), |o| (o & !DELETED) as usize);
        Entry {
            data: &self.data[start..end],
        }
    }

    pub(super) fn is_deleted(&self, index: usize) -> bool {
        self.offsets[index] & DELETED != 0
    }

    pub(super) fn delete(&mut self, index: usize) -> bool {
        if self.is_deleted(index) {
            return false;
        }
        self.offsets[index] |= DELETED;
        self.live -= 1;
        true
    }

    /// Live entries in ID order.
    pub(super) fn entries(&self) -> impl DoubleEndedIterator<Item = (StreamId, Entry<'_>)> + '_ {
        (0..self.ids.len())
            .filter(move |&i| !self.is_deleted(i))
            .map(move |i| (self.ids[i], self.entry(i)))
    }
}
