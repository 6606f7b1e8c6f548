//! [`PackedList`]: a list's elements packed into chunks, as redis-server's quicklist
//! packs them into listpack nodes.
//!
//! Each chunk is one buffer of `varint(length), bytes` entries, holding at most
//! [`CHUNK_ENTRIES`] elements and about [`CHUNK_BYTES`] bytes (redis's default
//! `list-max-listpack-size -2` is 8 KiB a node). An element costs its bytes plus one
//! or two length bytes instead of a 24-byte `Vec` and an allocation of its own, and
//! pushes and pops at either end touch one chunk. Access by index walks the chunk
//! counts, then scans one chunk: O(n / 128 + 128), like a quicklist's.

use crate::varint;
use std::collections::VecDeque;

/// Most elements in a chunk.
pub const CHUNK_ENTRIES: usize = 128;
/// A chunk takes no new element once it holds this many bytes.
pub const CHUNK_BYTES: usize = 8192;

#[derive(Debug, Clone, Default)]
struct Chunk {
    buf: Vec<u8>,
    count: u32,
}

fn encode(value: &[u8]) -> Vec<u8> {
    let mut entry = Vec::with_capacity(value.len() + 2);
    varint::write(&mut entry, value.len() as u64);
    entry.extend_from_slice(value);
    entry
}

impl Chunk {
    fn full(&self) -> bool {
        self.count as usize >= CHUNK_ENTRIES || self.buf.len() >= CHUNK_BYTES
    }

    /// (start, value start, end) of every entry.
    fn spans(&self) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= self.buf.len() {
                return None;
            }
            let (len, used) = varint::read_len(&self.buf, at);
            let span = (at, at + used, at + used + len);
            at = span.2;
            Some(span)
        })
    }

    fn span(&self, index: usize) -> (usize, usize, usize) {
        self.spans().nth(index).expect("index within the chunk")
    }

    fn value(&self, index: usize) -> &[u8] {
        let (_, start, end) = self.span(index);
        &self.buf[start..end]
    }

    fn insert(&mut self, index: usize, value: &[u8]) {
        let at = if index >= self.count as usize {
            self.buf.len()
        } else {
            self.span(index).0
        };
        self.buf.splice(at..at, encode(value));
        self.count += 1;
    }

    fn remove(&mut self, index: usize) -> Vec<u8> {
        let (start, value_start, end) = self.span(index);
        let value = self.buf[value_start..end].to_vec();
        self.buf.drain(start..end);
        self.count -= 1;
        value
    }
}

#[derive(Debug, Clone, Default)]
pub struct PackedList {
    chunks: VecDeque<Chunk>,
    len: usize,
}

impl PackedList {
    pub fn new() -> PackedList {
        PackedList::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The chunk holding element `index` and the element's place in it.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        let mut left = index;
        if index < self.len / 2 {
            for (c, chunk) in self.chunks.iter().enumerate() {
                if left < chunk.count as usize {
                    return Some((c, left));
                }
                left -= chunk.count as usize;
            }
        } else {
            let mut from_end = self.len - 1 - index;
            for (c, chunk) in self.chunks.iter().enumerate().rev() {
                if from_end < chunk.count as usize {
                    return Some((c, chunk.count as usize - 1 - from_end));
                }
                from_end -= chunk.count as usize;
            }
        }
        None
    }

    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let (c, i) = self.locate(index)?;
        Some(self.chunks[c].value(i))
    }

    pub fn push_back(&mut self, value: &[u8]) {
        if self.chunks.back().is_none_or(Chunk::full) {
            self.chunks.push_back(Chunk::default());
        }
        let chunk = self.chunks.back_mut().expect("just ensured");
        chunk.buf.extend_from_slice(&encode(value));
        chunk.count += 1;
        self.len += 1;
    }

    pub fn push_front(&mut self, value: &[u8]) {
        if self.chunks.front().is_none_or(Chunk::full) {
            self.chunks.push_front(Chunk::default());
        }
        self.chunks
            .front_mut()
            .expect("just ensured")
            .insert(0, value);
        self.len += 1;
    }

    fn remove_at(&mut self, c: usize, i: usize) -> Vec<u8> {
        let value = self.chunks[c].remove(i);
        if self.chunks[c].count == 0 {
            self.chunks.remove(c);
        }
        self.len -= 1;
        value
    }

    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        (self.len > 0).then(|| self.remove_at(0, 0))
    }

    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let last = self.chunks.len().checked_sub(1)?;
        let i = self.chunks[last].count as usize - 1;
        Some(self.remove_at(last, i))
    }

    /// Replaces element `index`; false when out of range.
    pub fn set(&mut self, index: usize, value: &[u8]) -> bool {
        let Some((c, i)) = self.locate(index) else {
            return false;
        };
        let chunk = &mut self.chunks[c];
        let (start, _, end) = chunk.span(i);
        chunk.buf.splice(start..end, encode(value));
        true
    }

    /// Inserts `value` so that it becomes element `index` (`index <= len`).
    pub fn insert(&mut self, index: usize, value: &[u8]) {
        if index >= self.len {
            return self.push_back(value);
        }
        let (c, i) = self.locate(index).expect("index checked");
        self.chunks[c].insert(i, value);
        self.len += 1;
        if self.chunks[c].count as usize > CHUNK_ENTRIES
            || self.chunks[c].buf.len() > 2 * CHUNK_BYTES
        {
            self.split(c);
        }
    }

    /// Splits an overfull chunk in two halves.
    fn split(&mut self, c: usize) {
        let half = self.chunks[c].count as usize / 2;
        let (at, _, _) = self.chunks[c].span(half);
        let tail = Chunk {
            buf: self.chunks[c].buf.split_off(at),
            count: self.chunks[c].count - half as u32,
        };
        self.chunks[c].count = half as u32;
        self.chunks[c].buf.shrink_to_fit();
        self.chunks.insert(c + 1, tail);
    }

    /// Keeps the elements for which `keep` holds, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&[u8]) -> bool) {
        let mut kept = PackedList::new();
        for value in self.iter() {
            if keep(value) {
                kept.push_back(value);
            }
        }
        *self = kept;
    }

    /// Keeps the elements `start..=end` (indexes within the list) and drops the rest.
    pub fn keep_range(&mut self, start: usize, end: usize) {
        let mut kept = PackedList::new();
        for value in self.range(start, end) {
            kept.push_back(value);
        }
        *self = kept;
    }

    pub fn clear(&mut self) {
        *self = PackedList::new();
    }

    /// Every element, first to last.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            list: self,
            chunk: 0,
            at: 0,
            remaining: self.len,
        }
    }

    /// Elements `start..=end` (clamped to the list), first to last; reverse it for
    /// the other direction.
    pub fn range(&self, start: usize, end: usize) -> Vec<&[u8]> {
        let end = end.min(self.len.saturating_sub(1));
        if start > end || self.is_empty() {
            return Vec::new();
        }
        let Some((c, i)) = self.locate(start) else {
            return Vec::new();
        };
        Iter {
            list: self,
            chunk: c,
            at: self.chunks[c].span(i).0,
            remaining: end - start + 1,
        }
        .collect()
    }
}

/// The elements of a [`PackedList`], first to last.
pub struct Iter<'a> {
    list: &'a PackedList,
    chunk: usize,
    at: usize,
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.remaining == 0 {
            return None;
        }
        let mut chunk = self.list.chunks.get(self.chunk)?;
        while self.at >= chunk.buf.len() {
            self.chunk += 1;
            self.at = 0;
            chunk = self.list.chunks.get(self.chunk)?;
        }
        let (len, used) = varint::read_len(&chunk.buf, self.at);
        let start = self.at + used;
        self.at = start + len;
        self.remaining -= 1;
        Some(&chunk.buf[start..start + len])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<V: AsRef<[u8]>> FromIterator<V> for PackedList {
    fn from_iter<I: IntoIterator<Item = V>>(iter: I) -> PackedList {
        let mut list = PackedList::new();
        for value in iter {
            list.push_back(value.as_ref());
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_like_a_deque() {
        let mut list = PackedList::new();
        let mut model: VecDeque<Vec<u8>> = VecDeque::new();
        let mut seed = 3u64;
        for step in 0..20_000u32 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let value = vec![b'a' + (seed >> 59) as u8; (seed >> 40) as usize % 300];
            match (seed >> 33) % 9 {
                0 | 1 => {
                    list.push_back(&value);
                    model.push_back(value);
                }
                2 | 3 => {
                    list.push_front(&value);
                    model.push_front(value);
                }
                4 => assert_eq!(list.pop_front(), model.pop_front()),
                5 => assert_eq!(list.pop_back(), model.pop_back()),
                6 if !model.is_empty() => {
                    let at = (seed >> 7) as usize % (model.len() + 1);
                    list.insert(at, &value);
                    model.insert(at, value);
                }
                7 if !model.is_empty() => {
                    let at = (seed >> 7) as usize % model.len();
                    assert!(list.set(at, &value));
                    model[at] = value;
                }
                _ => {
                    let at = (seed >> 7) as usize % (model.len() + 1);
                    assert_eq!(list.get(at), model.get(at).map(Vec::as_slice));
                }
            }
            assert_eq!(list.len(), model.len());
            if step % 1000 == 0 {
                assert!(list.iter().eq(model.iter().map(Vec::as_slice)));
                if !model.is_empty() {
                    let (a, b) = (model.len() / 3, model.len() / 2);
                    let got = list.range(a, b);
                    assert!(got.into_iter().eq(model.range(a..=b).map(Vec::as_slice)));
                }
            }
        }
        list.retain(|v| v.len() % 2 == 0);
        model.retain(|v| v.len() % 2 == 0);
        assert!(list.iter().eq(model.iter().map(Vec::as_slice)));
        if model.len() > 10 {
            list.keep_range(3, model.len() - 4);
            let kept: Vec<Vec<u8>> = model.range(3..=model.len() - 4).cloned().collect();
            assert!(list.iter().eq(kept.iter().map(Vec::as_slice)));
        }
    }
}
