//! BITFIELD key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
//! <SET encoding offset value | INCRBY encoding offset increment>
//! [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>]
//! <SET encoding offset value | INCRBY encoding offset increment> ...]]

use super::{get_signed, get_unsigned, parse_offset, set_unsigned, BIT_OFFSET};
use crate::args::is;
use crate::commands::strings::{read_string, store_raw, write_lookup, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub const BAD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
pub const BAD_OVERFLOW: &str = "ERR Invalid OVERFLOW type specified";
pub const RO_GET_ONLY: &str = "ERR BITFIELD_RO only supports the GET subcommand";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Get,
    Set,
    IncrBy,
}

#[derive(Clone, Copy, Debug)]
struct Op {
    kind: Kind,
    offset: u64,
    bits: u32,
    signed: bool,
    /// SET value or INCRBY increment.
    value: i64,
    overflow: Overflow,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    generic(ctx, argv, false)
}

/// BITFIELD, or BITFIELD_RO when `read_only` (which refuses anything but GET).
pub fn generic(ctx: &mut Ctx<'_>, argv: &[&[u8]], read_only: bool) {
    let key = argv[1];
    let max_bulk_len = ctx.settings.proto_max_bulk_len;
    let ops = match parse(&argv[2..], max_bulk_len) {
        Ok(ops) => ops,
        Err(text) => return ctx.err(text),
    };
    let writes = ops.iter().any(|op| op.kind != Kind::Get);
    let db = ctx.db;
    if !writes {
        let lfu = ctx.lfu();
        let value = match read_string(&mut ctx.keys, ctx.out, db, key, lfu) {
            Ok(Some(item)) => item.value(),
            Ok(None) => &[][..],
            Err(Replied) => return,
        };
        ctx.out.array(ops.len());
        for op in &ops {
            ctx.out.int(read(value, op));
        }
        return;
    }
    if read_only {
        return ctx.err(RO_GET_ONLY);
    }
    // The string grows (zero padded) to hold the farthest bit written. The offsets
    // were checked against proto-max-bulk-len, so this is bounded.
    let needed = ops
        .iter()
        .filter(|op| op.kind != Kind::Get)
        .map(|op| ((op.offset + op.bits as u64 - 1) >> 3) as usize + 1)
        .max()
        .unwrap_or(0);
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (mut buf, ttl, grown) = match existing {
        Some(item) => {
            let value = item.value();
            let mut buf = Vec::with_capacity(value.len().max(needed));
            buf.extend_from_slice(value);
            let grown = needed > value.len();
            if grown {
                buf.resize(needed, 0);
            }
            (buf, item.expire_at(), grown)
        }
        None => (vec![0; needed], None, true),
    };
    ctx.out.array(ops.len());
    let mut changes = 0u64;
    for op in &ops {
        if op.kind == Kind::Get {
            ctx.out.int(read(&buf, op));
            continue;
        }
        match write(&mut buf, op) {
            Some((reply, changed)) => {
                ctx.out.int(reply);
                if grown || changed {
                    changes += 1;
                }
            }
            None => ctx.out.null(),
        }
    }
    if changes > 0 || grown {
        // Also stored when every write failed on OVERFLOW FAIL: the key was still
        // created or padded, as redis-server does.
        store_raw(ctx, key, &[&buf], ttl);
    } else if let Some(item) = ctx.keys.get(ctx.db, key) {
        // A write that changed nothing still leaves redis-server's string unshared
        // (raw).
        item.mark_raw();
    }
    if changes > 0 {
        ctx.notify(notify::STRING, "setbit", key);
    }
}

/// Parses the subcommands; the first error in argument order wins.
fn parse(args: &[&[u8]], max_bulk_len: i64) -> Result<Vec<Op>, &'static str> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut i = 0;
    while i < args.len() {
        let remaining = args.len() - i - 1;
        let name = args[i];
        let kind = if is(name, "get") && remaining >= 2 {
            Kind::Get
        } else if is(name, "set") && remaining >= 3 {
            Kind::Set
        } else if is(name, "incrby") && remaining >= 3 {
            Kind::IncrBy
        } else if is(name, "overflow") && remaining >= 1 {
            let mode = args[i + 1];
            overflow = if is(mode, "wrap") {
                Overflow::Wrap
            } else if is(mode, "sat") {
                Overflow::Sat
            } else if is(mode, "fail") {
                Overflow::Fail
            } else {
                return Err(BAD_OVERFLOW);
            };
            i += 2;
            continue;
        } else {
            return Err(errors::SYNTAX);
        };
        let (signed, bits) = parse_type(args[i + 1]).ok_or(BAD_TYPE)?;
        let offset = parse_offset(args[i + 2], bits, max_bulk_len).ok_or(BIT_OFFSET)?;
        let value = if kind == Kind::Get {
            0
        } else {
            parse_i64(args[i + 3]).ok_or(errors::NOT_INTEGER)?
        };
        ops.push(Op {
            kind,
            offset,
            bits,
            signed,
            value,
            overflow,
        });
        i += if kind == Kind::Get { 3 } else { 4 };
    }
    Ok(ops)
}

/// `i1`..`i64` or `u1`..`u63` (the prefix is case sensitive).
fn parse_type(arg: &[u8]) -> Option<(bool, u32)> {
    let signed = match arg.first()? {
        b'i' => true,
        b'u' => false,
        _ => return None,
    };
    // redis-server reads the width as a C string: it stops at a NUL byte.
    let digits = &arg[1..];
    let digits = match digits.iter().position(|&b| b == 0) {
        Some(nul) => &digits[..nul],
        None => digits,
    };
    let bits = parse_i64(digits)?;
    let max = if signed { 64 } else { 63 };
    (1..=max).contains(&bits).then_some((signed, bits as u32))
}

fn read(value: &[u8], op: &Op) -> i64 {
    if op.signed {
        get_signed(value, op.offset, op.bits)
    } else {
        get_unsigned(value, op.offset, op.bits) as i64
    }
}

/// Applies a SET or INCRBY to `buf` (long enough for it). Returns the reply (the old
/// value for SET, the new one for INCRBY) and whether the field changed, or None when
/// OVERFLOW FAIL refused the write.
fn write(buf: &mut [u8], op: &Op) -> Option<(i64, bool)> {
    if op.signed {
        let old = get_signed(buf, op.offset, op.bits);
        let (base, incr) = match op.kind {
            Kind::IncrBy => (old, op.value),
            _ => (op.value, 0),
        };
        let new = match signed_overflow(base, incr, op.bits, op.overflow) {
            Checked::Fits => base.wrapping_add(incr),
            Checked::Limit(limit) => limit,
            Checked::Fail => return None,
        };
        set_unsigned(buf, op.offset, op.bits, new as u64);
        let reply = if op.kind == Kind::IncrBy { new } else { old };
        Some((reply, old != new))
    } else {
        let old = get_unsigned(buf, op.offset, op.bits);
        let (base, incr) = match op.kind {
            Kind::IncrBy => (old, op.value),
            _ => (op.value as u64, 0),
        };
        let new = match unsigned_overflow(base, incr, op.bits, op.overflow) {
            Checked::Fits => base.wrapping_add(incr as u64),
            Checked::Limit(limit) => limit,
            Checked::Fail => return None,
        };
        set_unsigned(buf, op.offset, op.bits, new);
        let reply = if op.kind == Kind::IncrBy { new } else { old };
        Some((reply as i64, old != new))
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Checked<T> {
    /// `value + incr` fits in the field.
    Fits,
    /// It does not: the value to store instead (wrapped or saturated).
    Limit(T),
    /// It does not, and OVERFLOW FAIL is in force.
    Fail,
}

/// Whether `value + incr` fits in an unsigned field of `bits` bits (1..=63); `value`
/// itself may lie outside the field's range (a SET value).
fn unsigned_overflow(value: u64, incr: i64, bits: u32, mode: Overflow) -> Checked<u64> {
    let max = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = 0u64.wrapping_sub(value) as i64;
    let wrapped = || value.wrapping_add(incr as u64) & max;
    if value > max || (incr > 0 && incr > max_incr) {
        match mode {
            Overflow::Wrap => Checked::Limit(wrapped()),
            Overflow::Sat => Checked::Limit(max),
            Overflow::Fail => Checked::Fail,
        }
    } else if incr < 0 && incr < min_incr {
        match mode {
            Overflow::Wrap => Checked::Limit(wrapped()),
            Overflow::Sat => Checked::Limit(0),
            Overflow::Fail => Checked::Fail,
        }
    } else {
        Checked::Fits
    }
}

/// Whether `value + incr` fits in a signed field of `bits` bits (1..=64).
fn signed_overflow(value: i64, incr: i64, bits: u32, mode: Overflow) -> Checked<i64> {
    let max = if bits == 64 {
        i64::MAX
    } else {
        (1i64 << (bits - 1)) - 1
    };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let wrapped = || {
        let mut sum = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let high = u64::MAX << bits;
            if sum & (1 << (bits - 1)) != 0 {
                sum |= high;
            } else {
                sum &= !high;
            }
        }
        sum as i64
    };
    if value > max || (bits != 64 && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr)
    {
        match mode {
            Overflow::Wrap => Checked::Limit(wrapped()),
            Overflow::Sat => Checked::Limit(max),
            Overflow::Fail => Checked::Fail,
        }
    } else if value < min
        || (bits != 64 && incr < min_incr)
        || (value < 0 && incr < 0 && incr < min_incr)
    {
        match mode {
            Overflow::Wrap => Checked::Limit(wrapped()),
            Overflow::Sat => Checked::Limit(min),
            Overflow::Fail => Checked::Fail,
        }
    } else {
        Checked::Fits
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(parse_type(b"i64"), Some((true, 64)));
        assert_eq!(parse_type(b"u63"), Some((false, 63)));
        assert_eq!(parse_type(b"u1"), Some((false, 1)));
        assert_eq!(parse_type(b"u64"), None);
        assert_eq!(parse_type(b"i65"), None);
        assert_eq!(parse_type(b"i0"), None);
        assert_eq!(parse_type(b"I8"), None);
        assert_eq!(parse_type(b""), None);
        assert_eq!(parse_type(b"i"), None);
        assert_eq!(parse_type(b"i08"), None);
        assert_eq!(parse_type(b"i8\0x"), Some((true, 8)));
    }

    #[test]
    fn overflow_checks() {
        use Checked::*;
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Wrap), Limit(4));
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Sat), Limit(255));
        assert_eq!(unsigned_overflow(250, 10, 8, Overflow::Fail), Fail);
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Wrap), Limit(251));
        assert_eq!(unsigned_overflow(5, -10, 8, Overflow::Sat), Limit(0));
        assert_eq!(unsigned_overflow(5, 250, 8, Overflow::Sat), Fits);
        assert_eq!(
            unsigned_overflow(u64::MAX, 0, 8, Overflow::Wrap),
            Limit(255)
        );
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Wrap), Limit(-126));
        assert_eq!(signed_overflow(120, 10, 8, Overflow::Sat), Limit(127));
        assert_eq!(signed_overflow(-120, -10, 8, Overflow::Sat), Limit(-128));
        assert_eq!(signed_overflow(-120, -10, 8, Overflow::Wrap), Limit(126));
        assert_eq!(
            signed_overflow(i64::MAX, 1, 64, Overflow::Wrap),
            Limit(i64::MIN)
        );
        assert_eq!(
            signed_overflow(i64::MAX, 1, 64, Overflow::Sat),
            Limit(i64::MAX)
        );
        assert_eq!(
            signed_overflow(i64::MIN, -1, 64, Overflow::Sat),
            Limit(i64::MIN)
        );
        assert_eq!(
            signed_overflow(i64::MIN, i64::MAX, 64, Overflow::Fail),
            Fits
        );
        assert_eq!(signed_overflow(-1, 0, 1, Overflow::Fail), Fits);
        assert_eq!(signed_overflow(1, 0, 1, Overflow::Sat), Limit(0));
    }
}
