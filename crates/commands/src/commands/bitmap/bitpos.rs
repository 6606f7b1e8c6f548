//! BITPOS key bit [start [end [BYTE | BIT]]]

use super::bitcount::clamp;
use super::first_bit;
use crate::args::{self, is};
use crate::commands::strings::{read_string, Replied};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub const BIT_ARG: &str = "ERR The bit argument must be 1 or 0.";

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(bit) = args::int(ctx, argv[2]) else {
        return;
    };
    if bit != 0 && bit != 1 {
        return ctx.err(BIT_ARG);
    }
    let bit = bit as u8;
    let lfu = ctx.lfu();
    // A missing key is an endless run of zeros, whatever the range.
    let value = match read_string(&mut ctx.keys, ctx.out, ctx.db, argv[1], lfu) {
        Ok(Some(item)) => item.value(),
        Ok(None) => return ctx.out.int(if bit == 1 { -1 } else { 0 }),
        Err(Replied) => return,
    };
    match position(value, bit, &argv[3..]) {
        Ok(n) => ctx.out.int(n),
        Err(text) => ctx.out.error(text),
    }
}

/// The position of the first `bit` in `value` within the range given by `range`
/// (empty, or `start [end [BYTE|BIT]]`), with redis-server's rules: -1 when there is
/// none, except that a search for 0 without an explicit end may answer the first
/// position past the end of the string.
pub fn position(value: &[u8], bit: u8, range: &[&[u8]]) -> Result<i64, &'static str> {
    let len = value.len() as i64;
    let (start, end, first_mask, last_mask, end_given) = match range.len() {
        0 => (0, len - 1, 0u8, 0u8, false),
        1..=3 => {
            let start = parse_i64(range[0]).ok_or(errors::NOT_INTEGER)?;
            let in_bits = match range.get(2) {
                None => false,
                Some(unit) if is(unit, "bit") => true,
                Some(unit) if is(unit, "byte") => false,
                Some(_) => return Err(errors::SYNTAX),
            };
            let end = match range.get(1) {
                Some(arg) => Some(parse_i64(arg).ok_or(errors::NOT_INTEGER)?),
                None => None,
            };
            let total = if in_bits { len << 3 } else { len };
            // Without an end, the range runs to the end of the string.
            let (end, end_given) = match end {
                Some(end) => (end, true),
                None => (total - 1, false),
            };
            let (start, end) = clamp(start, end, total);
            if in_bits && start <= end {
                let first = !((1u32 << (8 - (start & 7))) - 1) as u8;
                let last = ((1u32 << (7 - (end & 7))) - 1) as u8;
                (start >> 3, end >> 3, first, last, end_given)
            } else {
                (start, end, 0, 0, end_given)
            }
        }
        _ => return Err(errors::SYNTAX),
    };
    if start > end {
        // An empty range holds neither a 0 nor a 1.
        return Ok(-1);
    }
    let (mut start, end) = (start as usize, end as usize);
    let mut bytes = end - start + 1;
    // Edge bytes are searched with the bits outside the range forced to the value not
    // searched for.
    let hide = |byte: u8, mask: u8| if bit == 1 { byte & !mask } else { byte | mask };
    let pos = 'found: {
        if first_mask != 0 {
            let mut edge = hide(value[start], first_mask);
            if last_mask != 0 && bytes == 1 {
                edge = hide(edge, last_mask);
            }
            let pos = first_bit(&[edge], bit);
            if bytes == 1 || (pos != -1 && pos != 8) {
                break 'found pos;
            }
            start += 1;
            bytes -= 1;
        }
        let middle = bytes - usize::from(last_mask != 0);
        if middle > 0 {
            let pos = first_bit(&value[start..start + middle], bit);
            if bytes == middle || (pos != -1 && pos != (middle as i64) << 3) {
                break 'found pos;
            }
            start += middle;
            bytes -= middle;
        }
        first_bit(&[hide(value[end], last_mask)], bit)
    };
    if end_given && bit == 0 && pos == (bytes as i64) << 3 {
        // No clear bit inside an explicit range: the zero padding past it does not
        // count.
        return Ok(-1);
    }
    Ok(if pos == -1 {
        -1
    } else {
        pos + ((start as i64) << 3)
    })
}
