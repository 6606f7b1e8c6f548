//! Bitmap commands: bit-level access to string values.

use crate::table::flags::*;
use crate::table::CommandSpec;

mod bitcount;
mod bitfield;
mod bitfield_ro;
mod bitop;
mod bitpos;
mod getbit;
mod setbit;
#[cfg(test)]
mod tests;

pub const BIT_OFFSET: &str = "ERR bit offset is not an integer or out of range";
pub const BIT_VALUE: &str = "ERR bit is not an integer or out of range";

const fn bitmap(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    bitmap("setbit", 4, WRITE | DENYOOM, setbit::run).acl("write bitmap slow").doc("bitmap", "2.2.0", "Sets or clears the bit at offset in the string value stored at key"),
    bitmap("getbit", 3, READONLY | FAST, getbit::run).acl("read bitmap fast").doc("bitmap", "2.2.0", "Returns the bit value at offset in the string value stored at key"),
    bitmap("bitcount", -2, READONLY, bitcount::run).acl("read bitmap slow").doc("bitmap", "2.6.0", "Count set bits in a string"),
    bitmap("bitpos", -3, READONLY, bitpos::run).acl("read bitmap slow").doc("bitmap", "2.8.7", "Find first bit set or clear in a string"),
    bitmap("bitop", -4, WRITE | DENYOOM, bitop::run).keys(2, -1, 1).acl("write bitmap slow").doc("bitmap", "2.6.0", "Perform bitwise operations between strings"),
    bitmap("bitfield", -2, WRITE | DENYOOM, bitfield::run).acl("write bitmap slow").doc("bitmap", "3.2.0", "Perform arbitrary bitfield integer operations on strings"),
    bitmap("bitfield_ro", -2, READONLY | FAST, bitfield_ro::run).acl("read bitmap fast").doc("bitmap", "6.0.0", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD"),
];

/// Parses a bit offset as redis-server does: a non-negative integer whose byte
/// (`offset / 8`) lies below `proto-max-bulk-len`. With `hash_bits > 0` the form
/// `#N` is accepted too and means `N * hash_bits` (BITFIELD).
pub fn parse_offset(arg: &[u8], hash_bits: u32, max_bulk_len: i64) -> Option<u64> {
    let (digits, hashed) = match arg.first() {
        Some(b'#') if hash_bits > 0 => (&arg[1..], true),
        _ => (arg, false),
    };
    let mut offset = ferrocache_protocol::number::parse_i64(digits)?;
    if hashed {
        // redis-server multiplies without an overflow check; a wrapped product that is
        // negative is refused below, as it is there.
        offset = offset.wrapping_mul(hash_bits as i64);
    }
    if offset < 0 || (offset >> 3) >= max_bulk_len {
        return None;
    }
    Some(offset as u64)
}

/// The bit at `offset` (the most significant bit of byte 0 is bit 0), 0 past the end.
pub fn get_bit(value: &[u8], offset: u64) -> u8 {
    match usize::try_from(offset >> 3).ok().and_then(|i| value.get(i)) {
        Some(byte) => (byte >> (7 - (offset & 7))) & 1,
        None => 0,
    }
}

/// Number of set bits.
pub fn popcount(bytes: &[u8]) -> u64 {
    let mut chunks = bytes.chunks_exact(8);
    let mut count: u64 = 0;
    for chunk in &mut chunks {
        let word = u64::from_ne_bytes(chunk.try_into().expect("8-byte chunk"));
        count += word.count_ones() as u64;
    }
    count
        + chunks
            .remainder()
            .iter()
            .map(|b| b.count_ones() as u64)
            .sum::<u64>()
}

/// Position of the first bit equal to `bit` in `bytes`. When there is none: -1 when
/// looking for a 1, and the first position past the end when looking for a 0 (the
/// string is taken as padded with zeros on the right).
pub fn first_bit(bytes: &[u8], bit: u8) -> i64 {
    let skip = if bit == 1 { 0x00 } else { 0xff };
    let mut chunks = bytes.chunks_exact(8);
    let skip_word = if bit == 1 { 0 } else { u64::MAX };
    let mut index = 0usize;
    for chunk in &mut chunks {
        let word = u64::from_be_bytes(chunk.try_into().expect("8-byte chunk"));
        if word != skip_word {
            let within = if bit == 1 {
                word.leading_zeros()
            } else {
                (!word).leading_zeros()
            };
            return (index * 8) as i64 + within as i64;
        }
        index += 8;
    }
    for &byte in chunks.remainder() {
        if byte != skip {
            let within = if bit == 1 {
                byte.leading_zeros()
            } else {
                (!byte).leading_zeros()
            };
            return (index * 8) as i64 + within as i64;
        }
        index += 1;
    }
    if bit == 1 {
        -1
    } else {
        (bytes.len() as i64) << 3
    }
}

/// Reads `bits` (1..=64) bits at bit `offset` as an unsigned integer, most significant
/// bit first; bits past the end of `value` read as 0.
pub fn get_unsigned(value: &[u8], offset: u64, bits: u32) -> u64 {
    let mut result = 0u64;
    for i in 0..bits as u64 {
        result = (result << 1) | get_bit(value, offset + i) as u64;
    }
    result
}

/// As [`get_unsigned`], sign-extended from `bits` bits.
pub fn get_signed(value: &[u8], offset: u64, bits: u32) -> i64 {
    let mut raw = get_unsigned(value, offset, bits);
    if bits < 64 && raw & (1 << (bits - 1)) != 0 {
        raw |= u64::MAX << bits;
    }
    raw as i64
}

/// Writes the low `bits` bits of `value` at bit `offset`, most significant first.
/// `buf` must be long enough.
pub fn set_unsigned(buf: &mut [u8], offset: u64, bits: u32, value: u64) {
    for i in 0..bits as u64 {
        let bit = (value >> (bits as u64 - 1 - i)) & 1;
        let at = offset + i;
        let byte = &mut buf[(at >> 3) as usize];
        let shift = 7 - (at & 7);
        *byte = (*byte & !(1 << shift)) | ((bit as u8) << shift);
    }
}
