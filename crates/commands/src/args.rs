//! Argument parsing helpers that reply with redis-server's errors on failure.

use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::{parse_f64, parse_i64};

/// Parses an integer argument or replies `value is not an integer or out of range`.
pub fn int(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<i64> {
    let value = parse_i64(arg);
    if value.is_none() {
        ctx.err(errors::NOT_INTEGER);
    }
    value
}

/// Parses a float argument or replies `value is not a valid float`.
pub fn float(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<f64> {
    let value = parse_f64(arg);
    if value.is_none() {
        ctx.err(errors::NOT_FLOAT);
    }
    value
}

/// Case-insensitive comparison of an argument with an option name.
pub fn is(arg: &[u8], name: &str) -> bool {
    arg.eq_ignore_ascii_case(name.as_bytes())
}

/// Lossy text of an argument, for error messages.
pub fn text(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).into_owned()
}

/// Parses a SCAN-family cursor as redis-server does (`strtoul` in base 10): an
/// optional sign, digits, no overflow; a negative number wraps; the empty string is 0.
pub fn cursor(arg: &[u8]) -> Option<u64> {
    if arg.is_empty() {
        return Some(0);
    }
    let (negative, digits) = match arg[0] {
        b'-' => (true, &arg[1..]),
        b'+' => (false, &arg[1..]),
        _ => (false, arg),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// The options of SCAN, SSCAN, HSCAN and ZSCAN.
pub struct ScanOptions<'a> {
    pub count: usize,
    /// None when every element matches (no MATCH, or `MATCH *`).
    pub pattern: Option<&'a [u8]>,
    /// TYPE, which only SCAN accepts.
    pub type_filter: Option<&'a [u8]>,
}

/// Parses `[MATCH pattern] [COUNT count] [TYPE type]` from `args[from..]`, with
/// redis-server's errors in its order.
pub fn scan_options<'a>(
    args: &[&'a [u8]],
    from: usize,
    allow_type: bool,
) -> Result<ScanOptions<'a>, &'static str> {
    let mut options = ScanOptions {
        count: 10,
        pattern: None,
        type_filter: None,
    };
    let mut i = from;
    while i < args.len() {
        let has_value = args.len() - i >= 2;
        if is(args[i], "count") && has_value {
            let n = parse_i64(args[i + 1]).ok_or(errors::NOT_INTEGER)?;
            if n < 1 {
                return Err(errors::SYNTAX);
            }
            options.count = usize::try_from(n).unwrap_or(usize::MAX);
        } else if is(args[i], "match") && has_value {
            // "*" matches everything: the same as no pattern.
            options.pattern = Some(args[i + 1]).filter(|p| *p != b"*");
        } else if allow_type && is(args[i], "type") && has_value {
            options.type_filter = Some(args[i + 1]);
        } else {
            return Err(errors::SYNTAX);
        }
        i += 2;
    }
    Ok(options)
}

/// LMPOP/BLMPOP's and ZMPOP/BZMPOP's arguments from `numkeys` on:
/// `numkeys key [key ...] <end> [COUNT count]`, the end (LEFT|RIGHT, MIN|MAX) parsed
/// by the caller's type.
pub struct Mpop<E> {
    /// Index in the arguments of the first key.
    pub first_key: usize,
    pub numkeys: usize,
    pub end: E,
    pub count: u64,
}

/// Parses `args` from `numkeys_at` on, with redis-server's errors in its order.
pub fn parse_mpop<E>(
    args: &[&[u8]],
    numkeys_at: usize,
    parse_end: impl Fn(&[u8]) -> Option<E>,
) -> Result<Mpop<E>, &'static str> {
    const NUMKEYS: &str = "ERR numkeys should be greater than 0";
    const COUNT: &str = "ERR count should be greater than 0";
    let numkeys = parse_i64(args[numkeys_at])
        .filter(|&n| n >= 1)
        .ok_or(NUMKEYS)?;
    let first_key = numkeys_at + 1;
    let where_at = usize::try_from(numkeys)
        .ok()
        .and_then(|n| first_key.checked_add(n))
        .filter(|&at| at < args.len())
        .ok_or(errors::SYNTAX)?;
    let end = parse_end(args[where_at]).ok_or(errors::SYNTAX)?;
    let mut count = None;
    let mut i = where_at + 1;
    while i < args.len() {
        let more = args.len() - 1 - i;
        if count.is_none() && args[i].eq_ignore_ascii_case(b"count") && more > 0 {
            i += 1;
            count = Some(parse_i64(args[i]).filter(|&n| n >= 1).ok_or(COUNT)? as u64);
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    Ok(Mpop {
        first_key,
        numkeys: where_at - first_key,
        end,
        count: count.unwrap_or(1),
    })
}

/// Adds the stripes of an MPOP command's keys (their positions depend on `numkeys`).
pub fn lock_mpop_keys<E>(
    ks: &ferrocache_keyspace::Keyspace,
    db: usize,
    args: &[&[u8]],
    numkeys_at: usize,
    parse_end: impl Fn(&[u8]) -> Option<E>,
    set: &mut ferrocache_keyspace::LockSet,
) {
    if let Ok(mpop) = parse_mpop(args, numkeys_at, parse_end) {
        for key in &args[mpop.first_key..mpop.first_key + mpop.numkeys] {
            ks.add_key(set, db, key);
        }
    }
}
