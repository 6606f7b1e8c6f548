//! [`Item`]: a key, its value and its metadata in one heap allocation.
//!
//! The table of a stripe holds one thin pointer per key (8 bytes). Everything else lives
//! in a single allocation, laid out as:
//!
//! ```text
//! [kind+flags: u8][access clock: 3 bytes][expire_at: u64, only if it has a TTL]
//! [key length: varint][key][value length: varint][value]
//! ```
//!
//! A 16-byte key with a 32-byte value and no TTL takes 4 + 1 + 16 + 1 + 32 = 54 bytes,
//! which the allocator serves from its 56-byte class: against redis-server's dictEntry,
//! key sds and value object (32 + 32 + 64 bytes in jemalloc's classes for the same
//! pair), this is where most of the memory saving comes from. A key without a TTL pays nothing for expiry.
//!
//! Items are immutable in size: a write that changes the value's length builds a new
//! item and replaces the pointer in the table (the stripe's lock is held).
//!
//! Collections (lists, sets, hashes, sorted sets, streams) keep the same layout with an 8-byte value: the pointer to
//! their [`Collection`], which the item owns. Their items always carry the expiry slot
//! (a collection is large anyway), so EXPIRE and PERSIST never copy a collection.

use std::alloc::{alloc, dealloc, Layout};
use std::ptr::NonNull;

use crate::collection::Collection;

/// The 8-byte expiry slot follows the header.
const EXPIRE_SLOT: u8 = 0x80;
/// The slot holds a live TTL.
const EXPIRE_SET: u8 = 0x40;
/// A string built or changed in place (APPEND, SETRANGE, SETBIT, ...): what
/// redis-server calls the `raw` encoding, whatever the length.
const RAW: u8 = 0x20;
const KIND_MASK: u8 = 0x0f;
const HEADER: usize = 4;
const POINTER: usize = std::mem::size_of::<usize>();

/// What kind of value an item holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    String = 0,
    List = 1,
    Set = 2,
    ZSet = 3,
    Hash = 4,
    Stream = 5,
}

impl Kind {
    fn from_bits(bits: u8) -> Kind {
        match bits & KIND_MASK {
            1 => Kind::List,
            2 => Kind::Set,
            3 => Kind::ZSet,
            4 => Kind::Hash,
            5 => Kind::Stream,
            _ => Kind::String,
        }
    }

    /// The name TYPE replies.
    pub fn name(self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::List => "list",
            Kind::Set => "set",
            Kind::ZSet => "zset",
            Kind::Hash => "hash",
            Kind::Stream => "stream",
        }
    }
}

/// An owned key/value pair. `Send` because it owns its allocation exclusively.
pub struct Item(NonNull<u8>);

// SAFETY: an Item exclusively owns its allocation; there is no interior sharing.
unsafe impl Send for Item {}
// SAFETY: shared access only reads.
unsafe impl Sync for Item {}

fn varint_len(mut n: usize) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

fn write_varint(buf: &mut [u8], mut n: usize) -> usize {
    let mut i = 0;
    while n >= 0x80 {
        buf[i] = (n as u8) | 0x80;
        n >>= 7;
        i += 1;
    }
    buf[i] = n as u8;
    i + 1
}

/// An item's first byte: its kind and flags.
fn flags_byte(kind: Kind, slot: bool, ttl: bool, raw: bool) -> u8 {
    kind as u8
        | if slot { EXPIRE_SLOT } else { 0 }
        | if ttl { EXPIRE_SET } else { 0 }
        | if raw { RAW } else { 0 }
}

/// The allocation size an item of this shape needs.
pub fn item_size(key_len: usize, value_len: usize, has_expire: bool) -> usize {
    HEADER
        + if has_expire { 8 } else { 0 }
        + varint_len(key_len)
        + key_len
        + varint_len(value_len)
        + value_len
}

impl Item {
    /// Builds a string item.
    pub fn new_string(key: &[u8], value: &[u8], expire_at: Option<u64>, clock: u32) -> Item {
        Self::build(key, &[value], expire_at, clock)
    }

    /// Builds a string item whose value is the concatenation of `parts` (APPEND,
    /// SETRANGE), avoiding an intermediate buffer.
    pub fn build(key: &[u8], parts: &[&[u8]], expire_at: Option<u64>, clock: u32) -> Item {
        Self::allocate(
            Kind::String,
            key,
            parts,
            expire_at,
            expire_at.is_some(),
            clock,
        )
    }

    /// Builds an item owning `collection`.
    pub fn new_collection(
        key: &[u8],
        collection: Box<Collection>,
        expire_at: Option<u64>,
        clock: u32,
    ) -> Item {
        let kind = collection.kind();
        let pointer = (Box::into_raw(collection) as usize).to_ne_bytes();
        Self::allocate(kind, key, &[&pointer], expire_at, true, clock)
    }

    fn allocate(
        kind: Kind,
        key: &[u8],
        parts: &[&[u8]],
        expire_at: Option<u64>,
        slot: bool,
        clock: u32,
    ) -> Item {
        let value_len: usize = parts.iter().map(|p| p.len()).sum();
        let size = item_size(key.len(), value_len, slot);
        let layout = Layout::from_size_align(size, 1).expect("item layout");
        // SAFETY: size is never zero (the header alone is 4 bytes).
        let raw = unsafe { alloc(layout) };
        let Some(ptr) = NonNull::new(raw) else {
            std::alloc::handle_alloc_error(layout);
        };
        // SAFETY: we just allocated `size` bytes at ptr.
        let buf = unsafe { std::slice::from_raw_parts_mut(ptr.as_ptr(), size) };
        buf[0] = flags_byte(kind, slot, expire_at.is_some(), false);
        buf[1..4].copy_from_slice(&clock.to_le_bytes()[..3]);
        let mut at = HEADER;
        if slot {
            buf[at..at + 8].copy_from_slice(&expire_at.unwrap_or(0).to_le_bytes());
            at += 8;
        }
        at += write_varint(&mut buf[at..], key.len());
        buf[at..at + key.len()].copy_from_slice(key);
        at += key.len();
        at += write_varint(&mut buf[at..], value_len);
        for part in parts {
            buf[at..at + part.len()].copy_from_slice(part);
            at += part.len();
        }
        debug_assert_eq!(at, size);
        Item(ptr)
    }

    /// Replaces a string item's value, expiry, clock and `raw` mark in place, when the
    /// new value needs exactly the allocation this item has; false (and nothing
    /// changed) otherwise.
    pub fn overwrite_string(
        &mut self,
        parts: &[&[u8]],
        expire_at: Option<u64>,
        clock: u32,
        raw: bool,
    ) -> bool {
        let slot = self.has_slot();
        if self.kind() != Kind::String || (expire_at.is_some() && !slot) {
            return false;
        }
        let (_, _, value_start, value_len) = self.offsets();
        if parts.iter().map(|p| p.len()).sum::<usize>() != value_len {
            return false;
        }
        // SAFETY: the flags and clock bytes, the expiry slot (present when `slot`) and
        // the value range all lie within this item's allocation, owned mutably.
        unsafe {
            let base = self.0.as_ptr();
            *base = flags_byte(Kind::String, slot, expire_at.is_some(), raw);
            std::ptr::copy_nonoverlapping(clock.to_le_bytes().as_ptr(), base.add(1), 3);
            if let Some(when) = expire_at {
                std::ptr::copy_nonoverlapping(when.to_le_bytes().as_ptr(), base.add(HEADER), 8);
            }
            let mut at = value_start;
            for part in parts {
                std::ptr::copy_nonoverlapping(part.as_ptr(), base.add(at), part.len());
                at += part.len();
            }
        }
        true
    }

    /// Marks a string as built or changed in place (OBJECT ENCODING `raw`).
    pub fn mark_raw(&mut self) {
        // SAFETY: every item has at least HEADER bytes, owned by this item.
        unsafe { *self.0.as_ptr() |= RAW };
    }

    pub fn is_raw(&self) -> bool {
        self.header()[0] & RAW != 0
    }

    fn header(&self) -> &[u8] {
        // SAFETY: every item has at least HEADER bytes.
        unsafe { std::slice::from_raw_parts(self.0.as_ptr(), HEADER) }
    }

    fn has_slot(&self) -> bool {
        self.header()[0] & EXPIRE_SLOT != 0
    }

    fn key_offset(&self) -> usize {
        HEADER + if self.has_slot() { 8 } else { 0 }
    }

    /// Reads a varint at `at` straight from the allocation.
    ///
    /// # Safety
    /// `at` must be the offset of a varint written by `build`.
    unsafe fn varint_at(&self, at: usize) -> (usize, usize) {
        let mut value = 0usize;
        let mut shift = 0;
        let mut i = 0;
        loop {
            // SAFETY: per the caller, every byte up to the varint's end is in bounds.
            let b = unsafe { *self.0.as_ptr().add(at + i) };
            value |= ((b & 0x7f) as usize) << shift;
            i += 1;
            if b & 0x80 == 0 {
                return (value, i);
            }
            shift += 7;
        }
    }

    /// Key range, value range and total size, read through the item's own lengths.
    fn offsets(&self) -> (usize, usize, usize, usize) {
        let key_at = self.key_offset();
        // SAFETY: `build` wrote a key length varint at key_at and a value length varint
        // right after the key; both, and the bytes they describe, are in the allocation.
        unsafe {
            let (key_len, n1) = self.varint_at(key_at);
            let key_start = key_at + n1;
            let (value_len, n2) = self.varint_at(key_start + key_len);
            let value_start = key_start + key_len + n2;
            (key_start, key_len, value_start, value_len)
        }
    }

    fn total_size(&self) -> usize {
        let (_, _, value_start, value_len) = self.offsets();
        value_start + value_len
    }

    /// The key and the value, read through one pass over the lengths.
    pub fn split(&self) -> (&[u8], &[u8]) {
        let (key_start, key_len, value_start, value_len) = self.offsets();
        // SAFETY: both ranges lie within the allocation (see `offsets`), which lives as
        // long as &self.
        unsafe {
            let base = self.0.as_ptr();
            (
                std::slice::from_raw_parts(base.add(key_start), key_len),
                std::slice::from_raw_parts(base.add(value_start), value_len),
            )
        }
    }

    /// The key, reading only its own length (a table probe compares keys).
    pub fn key(&self) -> &[u8] {
        let key_at = self.key_offset();
        // SAFETY: `build` wrote the key length varint at key_at and the key right after
        // it, in the allocation, which lives as long as &self.
        unsafe {
            let (key_len, n) = self.varint_at(key_at);
            std::slice::from_raw_parts(self.0.as_ptr().add(key_at + n), key_len)
        }
    }

    pub fn value(&self) -> &[u8] {
        self.split().1
    }

    /// The value of a string item, writable in place (same length): SETBIT and
    /// BITFIELD change bits without rebuilding the item.
    pub fn value_mut(&mut self) -> Option<&mut [u8]> {
        if self.kind() != Kind::String {
            return None;
        }
        let (_, _, value_start, value_len) = self.offsets();
        // SAFETY: the range lies within the allocation (see `offsets`), and `&mut self`
        // makes the access exclusive for the returned lifetime.
        Some(unsafe { std::slice::from_raw_parts_mut(self.0.as_ptr().add(value_start), value_len) })
    }

    pub fn kind(&self) -> Kind {
        Kind::from_bits(self.header()[0])
    }

    fn collection_ptr(&self) -> Option<*mut Collection> {
        if self.kind() == Kind::String {
            return None;
        }
        let value = self.split().1;
        let mut bytes = [0u8; POINTER];
        bytes.copy_from_slice(&value[..POINTER]);
        Some(usize::from_ne_bytes(bytes) as *mut Collection)
    }

    /// The collection of a list, set, hash or sorted set item.
    pub fn collection(&self) -> Option<&Collection> {
        // SAFETY: the pointer came from Box::into_raw in `new_collection` and is owned
        // by this item until it is dropped.
        self.collection_ptr().map(|p| unsafe { &*p })
    }

    pub fn collection_mut(&mut self) -> Option<&mut Collection> {
        // SAFETY: as in `collection`; `&mut self` makes the access exclusive.
        self.collection_ptr().map(|p| unsafe { &mut *p })
    }

    /// The item's collection as a `T`, when it holds one.
    pub fn collection_as<T: crate::collection::Typed>(&self) -> Option<&T> {
        self.collection().and_then(T::of)
    }

    pub fn collection_as_mut<T: crate::collection::Typed>(&mut self) -> Option<&mut T> {
        self.collection_mut().and_then(T::of_mut)
    }

    /// Expiry time in unix milliseconds, if the key has a TTL.
    pub fn expire_at(&self) -> Option<u64> {
        if self.header()[0] & EXPIRE_SET == 0 {
            return None;
        }
        let mut ms = [0u8; 8];
        // SAFETY: items with the flag have 8 bytes of expiry after the header.
        unsafe {
            std::ptr::copy_nonoverlapping(self.0.as_ptr().add(HEADER), ms.as_mut_ptr(), 8);
        }
        Some(u64::from_le_bytes(ms))
    }

    /// The access clock (LRU seconds or LFU counter) kept for eviction and OBJECT.
    pub fn clock(&self) -> u32 {
        let h = self.header();
        u32::from_le_bytes([h[1], h[2], h[3], 0])
    }

    pub fn set_clock(&mut self, clock: u32) {
        let bytes = clock.to_le_bytes();
        // SAFETY: bytes 1..4 are the clock; we own the item mutably.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.0.as_ptr().add(1), 3);
        }
    }

    /// Removes the TTL in place when the item has an expiry slot.
    pub fn clear_expire_in_place(&mut self) -> bool {
        if !self.has_slot() {
            return false;
        }
        // SAFETY: byte 0 is the flags byte; we own the item mutably.
        unsafe { *self.0.as_ptr() &= !EXPIRE_SET };
        true
    }

    /// Sets the expiry in place when the item already has room for it.
    pub fn set_expire_in_place(&mut self, expire_at: u64) -> bool {
        if !self.has_slot() {
            return false;
        }
        // SAFETY: byte 0 is the flags byte; we own the item mutably.
        unsafe { *self.0.as_ptr() |= EXPIRE_SET };
        // SAFETY: the flag guarantees 8 bytes of expiry after the header.
        unsafe {
            std::ptr::copy_nonoverlapping(
                expire_at.to_le_bytes().as_ptr(),
                self.0.as_ptr().add(HEADER),
                8,
            );
        }
        true
    }

    /// A copy with a different expiry (or none). Collections are copied deeply.
    pub fn with_expire(&self, expire_at: Option<u64>) -> Item {
        self.copy_as(self.key(), expire_at)
    }

    /// A copy stored under another key, with the same value, expiry and access clock
    /// (RENAME, COPY). Collections are copied deeply.
    pub fn with_key(&self, key: &[u8]) -> Item {
        self.copy_as(key, self.expire_at())
    }

    fn copy_as(&self, key: &[u8], expire_at: Option<u64>) -> Item {
        match self.collection() {
            Some(collection) => {
                Item::new_collection(key, Box::new(collection.clone()), expire_at, self.clock())
            }
            None => {
                let mut copy = Item::new_string(key, self.value(), expire_at, self.clock());
                if self.is_raw() {
                    copy.mark_raw();
                }
                copy
            }
        }
    }

    /// Bytes this item occupies in the allocator (the size class it is served from).
    pub fn alloc_size(&self) -> usize {
        size_class(self.total_size())
    }

    fn layout(&self) -> Layout {
        Layout::from_size_align(self.total_size(), 1).expect("item layout")
    }
}

impl Drop for Item {
    fn drop(&mut self) {
        if let Some(collection) = self.collection_ptr() {
            // SAFETY: created by Box::into_raw in `new_collection`, freed only here.
            drop(unsafe { Box::from_raw(collection) });
        }
        let layout = self.layout();
        // SAFETY: allocated in `build` with this same layout.
        unsafe { dealloc(self.0.as_ptr(), layout) }
    }
}

impl std::fmt::Debug for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Item")
            .field("key", &String::from_utf8_lossy(self.key()))
            .field("value_len", &self.value().len())
            .field("expire_at", &self.expire_at())
            .finish()
    }
}

/// The allocator's size class for a request of `size` bytes (mimalloc's, as built with
/// an 8-byte minimum alignment by `.cargo/config.toml`: 8-byte steps up to 64 bytes,
/// then four classes per doubling), so that memory accounting counts what is really
/// used.
pub fn size_class(size: usize) -> usize {
    if size <= 64 {
        return size.max(8).div_ceil(8) * 8;
    }
    let pow = usize::BITS - (size - 1).leading_zeros();
    let step = (1usize << (pow - 1)) / 4;
    size.div_ceil(step) * step
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let item = Item::new_string(b"key:000000000001", &[b'x'; 32], None, 7);
        assert_eq!(item.key(), b"key:000000000001");
        assert_eq!(item.value(), &[b'x'; 32]);
        assert_eq!(item.expire_at(), None);
        assert_eq!(item.clock(), 7);
        assert_eq!(item_size(16, 32, false), 54);
        assert_eq!(item.alloc_size(), 56);
        assert_eq!(size_class(65), 80);
        assert_eq!(size_class(129), 160);
        assert_eq!(size_class(1), 8);
    }

    #[test]
    fn expiry_and_long_values() {
        let value = vec![7u8; 100_000];
        let mut item = Item::new_string(b"k", &value, Some(123), 0);
        assert_eq!(item.value(), &value[..]);
        assert_eq!(item.expire_at(), Some(123));
        assert!(item.set_expire_in_place(456));
        assert_eq!(item.expire_at(), Some(456));
        let plain = item.with_expire(None);
        assert_eq!(plain.expire_at(), None);
        assert_eq!(plain.value(), &value[..]);
    }

    #[test]
    fn with_key_keeps_value_expiry_and_clock() {
        let item = Item::new_string(b"old", b"value", Some(99), 42);
        let renamed = item.with_key(b"a much longer new key");
        assert_eq!(renamed.key(), b"a much longer new key");
        assert_eq!(renamed.value(), b"value");
        assert_eq!(renamed.expire_at(), Some(99));
        assert_eq!(renamed.clock(), 42);
        let plain = Item::new_string(b"k", b"", None, 1).with_key(b"");
        assert_eq!(plain.key(), b"");
        assert_eq!(plain.expire_at(), None);
    }

    #[test]
    fn value_in_place() {
        let mut item = Item::new_string(b"k", b"abc", Some(5), 0);
        item.value_mut().unwrap()[1] = b'X';
        assert_eq!(item.value(), b"aXc");
        assert_eq!(item.expire_at(), Some(5));
        assert_eq!(item.key(), b"k");
    }

    #[test]
    fn overwrite_in_place_only_when_the_size_matches() {
        let mut item = Item::new_string(b"k", b"abcd", Some(5), 1);
        item.mark_raw();
        assert!(item.overwrite_string(&[b"wx", b"yz"], None, 9, false));
        assert_eq!(item.value(), b"wxyz");
        assert_eq!(item.expire_at(), None);
        assert_eq!(item.clock(), 9);
        assert!(!item.is_raw());
        // The slot stays, so a TTL can come back in place.
        assert!(item.overwrite_string(&[b"1234"], Some(77), 3, true));
        assert_eq!((item.expire_at(), item.is_raw()), (Some(77), true));
        assert!(!item.overwrite_string(&[b"12345"], None, 3, false));
        assert_eq!(item.value(), b"1234");
        // No slot: a TTL needs a new item.
        let mut plain = Item::new_string(b"k", b"ab", None, 0);
        assert!(!plain.overwrite_string(&[b"cd"], Some(1), 0, false));
        assert!(plain.overwrite_string(&[b"cd"], None, 0, false));
        assert_eq!((plain.key(), plain.value()), (&b"k"[..], &b"cd"[..]));
    }

    #[test]
    fn parts_concatenate() {
        let item = Item::build(b"k", &[b"ab", b"", b"cd"], None, 0);
        assert_eq!(item.value(), b"abcd");
        let empty = Item::build(b"", &[], None, 0);
        assert_eq!(empty.key(), b"");
        assert_eq!(empty.value(), b"");
    }
}
