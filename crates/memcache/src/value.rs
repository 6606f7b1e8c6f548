//! How a memcached item is kept in the shared keyspace.
//!
//! The keyspace stores key, value, expiry and access clock in one allocation
//! (`ferrocache_keyspace::Item`). memcached items carry two more things: 32-bit client
//! flags and a 64-bit CAS, plus a few state bits the meta protocol exposes. They are
//! kept at the front of the keyspace value:
//!
//! ```text
//! [state: u8][cas: u64 LE, only with HAS_CAS][client flags: varint][data]
//! ```
//!
//! A CAS is kept only once a client has been shown one for this version of the item
//! (gets, gats, meta `c`, the binary protocol, which answers every command with one).
//! A CAS compare needs a value some client holds, and every change drops the slot, so
//! an item without one compares unequal to any CAS, as memcached's would against
//! values from earlier versions. The CAS, once there, is fixed-width so that it can
//! be rewritten in place (in-place incr/decr, meta invalidation); client flags are
//! nearly always 0 and then cost one byte. A 16-byte key with a 32-byte value is
//! 4 + 1 + 16 + 1 + (2 + 32) = 56 bytes, one allocator size class (64 with a CAS),
//! against memcached's 48-byte item header plus CAS, key, suffix and data in a
//! 120-byte slab chunk.

/// The item was read since it was stored (memcached's ITEM_FETCHED).
pub const FETCHED: u8 = 0x01;
/// The item was marked stale by a meta delete/set in invalidation mode.
pub const STALE: u8 = 0x02;
/// A client already received the win flag for this item (ITEM_TOKEN_SENT).
pub const TOKEN_SENT: u8 = 0x04;
/// The key was given in base64 (meta `b`) and is shown that way.
pub const KEY_BINARY: u8 = 0x08;
/// The 8-byte CAS follows the state byte. Kept out of [`Parts::state`].
const HAS_CAS: u8 = 0x10;

const CAS_AT: usize = 1;
const CAS_LEN: usize = 8;

/// Bytes the header takes for these client flags, with or without a CAS.
pub fn header_len(flags: u32, with_cas: bool) -> usize {
    CAS_AT + if with_cas { CAS_LEN } else { 0 } + varint_len(flags)
}

fn varint_len(mut n: u32) -> usize {
    let mut len = 1;
    while n >= 0x80 {
        n >>= 7;
        len += 1;
    }
    len
}

/// Writes the header for a new item into `buf` (at least `header_len` bytes, at most
/// 14); a `cas` of 0 is none. Returns its length.
pub fn encode_header(buf: &mut [u8; 14], state: u8, cas: u64, flags: u32) -> usize {
    let mut at = CAS_AT;
    if cas == 0 {
        buf[0] = state & !HAS_CAS;
    } else {
        buf[0] = state | HAS_CAS;
        buf[at..at + CAS_LEN].copy_from_slice(&cas.to_le_bytes());
        at += CAS_LEN;
    }
    let mut n = flags;
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
    /// 0 when the item keeps none.
    pub cas: u64,
    pub flags: u32,
    pub data: &'a [u8],
    /// Where the data starts in the stored value.
    pub data_at: usize,
}

/// Splits a stored value into its header fields and data. Values that were not
/// written by this module (too short) read as empty data with no flags.
pub fn decode(value: &[u8]) -> Parts<'_> {
    let state = value.first().copied().unwrap_or(0);
    let mut at = CAS_AT;
    let mut cas = 0;
    if state & HAS_CAS != 0 {
        if let Some(bytes) = value.get(at..at + CAS_LEN) {
            cas = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
        }
        at += CAS_LEN;
    }
    if value.len() <= at {
        return Parts {
            state: 0,
            cas: 0,
            flags: 0,
            data: &[],
            data_at: value.len(),
        };
    }
    let mut flags: u32 = 0;
    let mut shift = 0;
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
        state: state & !HAS_CAS,
        cas,
        flags,
        data: &value[at..],
        data_at: at,
    }
}

/// Rewrites the CAS of a stored value in place; false when it keeps none (the item
/// must be rebuilt with room for one).
pub fn set_cas(value: &mut [u8], cas: u64) -> bool {
    match value.split_first_mut() {
        Some((state, rest)) if *state & HAS_CAS != 0 && rest.len() >= CAS_LEN => {
            rest[..CAS_LEN].copy_from_slice(&cas.to_le_bytes());
            true
        }
        _ => false,
    }
}

/// Sets and clears state bits of a stored value in place.
pub fn set_state(value: &mut [u8], set: u8, clear: u8) {
    if let Some(first) = value.first_mut() {
        *first = (*first | (set & !HAS_CAS)) & !(clear & !HAS_CAS);
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
            assert_eq!(n, header_len(flags, true));
            let mut value = header[..n].to_vec();
            value.extend_from_slice(b"data");
            let parts = decode(&value);
            assert_eq!(parts.flags, flags);
            assert_eq!(parts.cas, 0x0102_0304_0506_0708);
            assert_eq!(parts.state, STALE);
            assert_eq!(parts.data, b"data");
            assert!(set_cas(&mut value, 9));
            set_state(&mut value, FETCHED, STALE);
            let parts = decode(&value);
            assert_eq!((parts.cas, parts.state), (9, FETCHED));

            let n = encode_header(&mut header, KEY_BINARY, 0, flags);
            assert_eq!(n, header_len(flags, false));
            let mut value = header[..n].to_vec();
            value.extend_from_slice(b"data");
            assert!(!set_cas(&mut value, 9));
            set_state(&mut value, FETCHED, 0);
            let parts = decode(&value);
            assert_eq!((parts.cas, parts.state), (0, KEY_BINARY | FETCHED));
            assert_eq!((parts.flags, parts.data), (flags, &b"data"[..]));
        }
        assert_eq!(header_len(0, true), 10);
        assert_eq!(header_len(0, false), 2);
        assert_eq!(decode(b"").data, b"");
        assert_eq!(decode(&[HAS_CAS, 1, 2]).data, b"");
    }
}
