//! How a memcached item is kept in the shared keyspace.
//!
//! The keyspace stores key, value, expiry and access clock in one allocation
//! (`ferrocache_keyspace::Item`). memcached items carry two more things: 32-bit client
//! flags and a 64-bit CAS, plus a few state bits the meta protocol exposes. They are
//! kept at the front of the keyspace value:
//!
//! ```text
//! [state: u8][cas: u64 LE][client flags: varint][data]
//! ```
//!
//! The CAS is fixed-width so that it can be rewritten in place (touch, in-place
//! incr/decr); client flags are nearly always 0 and then cost one byte. A 16-byte key
//! with a 32-byte value is 4 + 1 + 16 + 1 + (10 + 32) = 64 bytes, one allocator size
//! class, against memcached's 48-byte item header plus key, suffix and data in a
//! 120-byte slab chunk.

/// The item was read since it was stored (memcached's ITEM_FETCHED).
pub const FETCHED: u8 = 0x01;
/// The item was marked stale by a meta delete/set in invalidation mode.
pub const STALE: u8 = 0x02;
/// A client already received the win flag for this item (ITEM_TOKEN_SENT).
pub const TOKEN_SENT: u8 = 0x04;
/// The key was given in base64 (meta `b`) and is shown that way.
pub const KEY_BINARY: u8 = 0x08;

const CAS_AT: usize = 1;
const FLAGS_AT: usize = 9;

/// Bytes the header takes for these client flags.
pub fn header_len(flags: u32) -> usize {
    FLAGS_AT + varint_len(flags)
}

fn varint_len(mut n: u32) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// Writes the header for a new item into `buf` (at least `header_len(flags)` bytes,
/// at most 14); returns its length.
pub fn encode_header(buf: &mut [u8; 14], state: u8, cas: u64, flags: u32) -> usize {
    buf[0] = state;
    buf[CAS_AT..FLAGS_AT].copy_from_slice(&cas.to_le_bytes());
    let mut n = flags;
    let mut at = FLAGS_AT;
    while n >= 0x80 {
        buf[at] = (n as u8) | 0x80;
        n >>= 7;
        at += 1;
    }
    buf[at] = n as u8;
    at + 1
}

/// A decoded view of a stored value.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub state: u8,
    pub cas: u64,
    pub flags: u32,
    pub data: &'a [u8],
    /// Where the data starts in the stored value.
    pub data_at: usize,
}

/// Splits a stored value into its header fields and data. Values that were not
/// written by this module (too short) read as empty data with no flags.
pub fn decode(value: &[u8]) -> Parts<'_> {
    if value.len() < FLAGS_AT + 1 {
        return Parts {
            state: 0,
            cas: 0,
            flags: 0,
            data: &[],
            data_at: value.len(),
        };
    }
    let mut cas = [0u8; 8];
    cas.copy_from_slice(&value[CAS_AT..FLAGS_AT]);
    let mut flags: u32 = 0;
    let mut shift = 0;
    let mut at = FLAGS_AT;
    while at < value.len() {
        let b = value[at];
        at += 1;
        if shift < 32 {
            flags |= ((b & 0x7f) as u32) << shift;
        }
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    Parts {
        state: value[0],
        cas: u64::from_le_bytes(cas),
        flags,
        data: &value[at..],
        data_at: at,
    }
}

/// Rewrites the CAS of a stored value in place.
pub fn set_cas(value: &mut [u8], cas: u64) {
    if value.len() >= FLAGS_AT {
        value[CAS_AT..FLAGS_AT].copy_from_slice(&cas.to_le_bytes());
    }
}

/// Sets and clears state bits of a stored value in place.
pub fn set_state(value: &mut [u8], set: u8, clear: u8) {
    if let Some(first) = value.first_mut() {
        *first = (*first | set) & !clear;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        for flags in [0u32, 1, 127, 128, 65535, u32::MAX] {
            let mut header = [0u8; 14];
            let n = encode_header(&mut header, STALE, 0x0102_0304_0506_0708, flags);
            assert_eq!(n, header_len(flags));
            let mut value = header[..n].to_vec();
            value.extend_from_slice(b"data");
            let parts = decode(&value);
            assert_eq!(parts.flags, flags);
            assert_eq!(parts.cas, 0x0102_0304_0506_0708);
            assert_eq!(parts.state, STALE);
            assert_eq!(parts.data, b"data");
            set_cas(&mut value, 9);
            set_state(&mut value, FETCHED, STALE);
            let parts = decode(&value);
            assert_eq!((parts.cas, parts.state), (9, FETCHED));
        }
        assert_eq!(header_len(0), 10);
        assert_eq!(decode(b"").data, b"");
    }
}
