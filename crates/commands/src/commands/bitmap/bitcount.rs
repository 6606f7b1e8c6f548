//! BITCOUNT key [start end [BYTE | BIT]]

use super::popcount;
use crate::args::is;
use crate::commands::strings::{read_string, Replied};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let lfu = ctx.lfu();
    // A missing key counts 0 before the range is even looked at, as in redis-server.
    let value = match read_string(&mut ctx.keys, ctx.out, ctx.db, argv[1], lfu) {
        Ok(Some(item)) => item.value(),
        Ok(None) => return ctx.out.int(0),
        Err(Replied) => return,
    };
    match count(value, &argv[2..]) {
        Ok(n) => ctx.out.int(n),
        Err(text) => ctx.out.error(text),
    }
}

/// Counts the set bits of `value` in the range given by `range` (empty, or
/// `start end [BYTE|BIT]`).
pub fn count(value: &[u8], range: &[&[u8]]) -> Result<i64, &'static str> {
    let len = value.len() as i64;
    let (start, end, first_mask, last_mask) = match range.len() {
        0 => (0, len - 1, 0u8, 0u8),
        2 | 3 => {
            let start = parse_i64(range[0]).ok_or(errors::NOT_INTEGER)?;
            let end = parse_i64(range[1]).ok_or(errors::NOT_INTEGER)?;
            if start < 0 && end < 0 && start > end {
                return Ok(0);
            }
            let in_bits = match range.get(2) {
                None => false,
                Some(unit) if is(unit, "bit") => true,
                Some(unit) if is(unit, "byte") => false,
                Some(_) => return Err(errors::SYNTAX),
            };
            let total = if in_bits { len << 3 } else { len };
            let (start, end) = clamp(start, end, total);
            if in_bits && start <= end {
                // Masks of the bits of the edge bytes that lie outside the range.
                let first = !((1u32 << (8 - (start & 7))) - 1) as u8;
                let last = ((1u32 << (7 - (end & 7))) - 1) as u8;
                (start >> 3, end >> 3, first, last)
            } else {
                (start, end, 0, 0)
            }
        }
        _ => return Err(errors::SYNTAX),
    };
    if start > end {
        return Ok(0);
    }
    let (start, end) = (start as usize, end as usize);
    let mut n = popcount(&value[start..=end]) as i64;
    n -= (value[start] & first_mask).count_ones() as i64;
    n -= (value[end] & last_mask).count_ones() as i64;
    Ok(n)
}

/// Negative indexes count from the end; the result is clamped to `0..total` (end may
/// become -1 when `total` is 0).
pub fn clamp(start: i64, end: i64, total: i64) -> (i64, i64) {
    let start = if start < 0 { total + start } else { start };
    let end = if end < 0 { total + end } else { end };
    let start = start.max(0);
    let end = end.max(0).min(total - 1);
    (start, end)
}
