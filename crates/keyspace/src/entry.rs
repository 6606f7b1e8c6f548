//! [`Entry`]: the element of hash and set tables, one allocation behind a thin
//! pointer, and [`hash_key`], the hash every such table uses.

use crate::varint;
use foldhash::fast::FixedState;
use std::hash::BuildHasher;

/// A key (a hash field, a set member) and its value (empty for set members) in a
/// single allocation, `varint(key length), varint(value length), key, value`, behind
/// a thin (8-byte) pointer: table slots stay at 8 bytes, half of a `Box<[u8]>`.
pub struct Entry(std::ptr::NonNull<u8>);

// SAFETY: an Entry uniquely owns its allocation, like a Box<[u8]>; nothing is shared.
unsafe impl Send for Entry {}
// SAFETY: shared access only reads the allocation.
unsafe impl Sync for Entry {}

impl Entry {
    pub fn new(field: &[u8], value: &[u8]) -> Entry {
        let mut bytes = Vec::with_capacity(field.len() + value.len() + 4);
        varint::write(&mut bytes, field.len() as u64);
        varint::write(&mut bytes, value.len() as u64);
        bytes.extend_from_slice(field);
        bytes.extend_from_slice(value);
        let layout =
            std::alloc::Layout::from_size_align(bytes.len(), 1).expect("entry size fits a layout");
        // SAFETY: the layout has a non-zero size (two length bytes at least).
        let ptr = unsafe { std::alloc::alloc(layout) };
        let Some(ptr) = std::ptr::NonNull::new(ptr) else {
            std::alloc::handle_alloc_error(layout);
        };
        // SAFETY: the allocation is `bytes.len()` bytes long and does not overlap `bytes`.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr.as_ptr(), bytes.len()) };
        Entry(ptr)
    }

    /// Reads a varint at `at`, within the header this entry was written with.
    fn varint(&self, at: usize) -> (usize, usize) {
        let mut n = 0usize;
        let mut used = 0;
        loop {
            // SAFETY: the header's varints were written whole by `new`; reading stops
            // at the last byte of each (the one without the continuation bit).
            let byte = unsafe { *self.0.as_ptr().add(at + used) };
            n |= ((byte & 0x7f) as usize) << (7 * used);
            used += 1;
            if byte & 0x80 == 0 {
                return (n, used);
            }
        }
    }

    /// (header length, field length, value length)
    fn lengths(&self) -> (usize, usize, usize) {
        let (field_len, a) = self.varint(0);
        let (value_len, b) = self.varint(a);
        (a + b, field_len, value_len)
    }

    fn bytes(&self) -> &[u8] {
        let (header, field_len, value_len) = self.lengths();
        // SAFETY: the allocation holds exactly header + field + value bytes, all
        // initialised by `new`, and lives as long as `self`.
        unsafe { std::slice::from_raw_parts(self.0.as_ptr(), header + field_len + value_len) }
    }

    pub fn parts(&self) -> (&[u8], &[u8]) {
        let (header, field_len, _) = self.lengths();
        let bytes = self.bytes();
        bytes[header..].split_at(field_len)
    }

    pub fn key(&self) -> &[u8] {
        self.parts().0
    }

    pub fn value(&self) -> &[u8] {
        self.parts().1
    }
}

impl Drop for Entry {
    fn drop(&mut self) {
        let size = self.bytes().len();
        let layout =
            std::alloc::Layout::from_size_align(size, 1).expect("entry size fits a layout");
        // SAFETY: allocated by `new` with this very layout (the size is re-read from
        // the header, which never changes).
        unsafe { std::alloc::dealloc(self.0.as_ptr(), layout) };
    }
}

impl Clone for Entry {
    fn clone(&self) -> Entry {
        let (field, value) = self.parts();
        Entry::new(field, value)
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (field, value) = self.parts();
        write!(
            f,
            "{:?}={:?}",
            String::from_utf8_lossy(field),
            String::from_utf8_lossy(value)
        )
    }
}

/// The hasher of every table: seeded once per process at random (so clients cannot
/// choose colliding fields), and the same for every table, so entries need not
/// carry a hasher.
pub fn hash_key(field: &[u8]) -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| foldhash::fast::RandomState::default().hash_one(0u64));
    FixedState::with_seed(seed).hash_one(field)
}
