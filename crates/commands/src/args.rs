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
