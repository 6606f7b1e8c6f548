//! SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
//!
//! The cursor is a stripe number: each call returns the keys of whole stripes, from
//! the cursor on, until at least COUNT keys were seen. A key present for the whole
//! iteration is returned exactly once; one added or removed meanwhile may or may not be.

use super::type_name;
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::Reply;

/// Parses a cursor as redis-server does (`strtoul` in base 10): an optional sign,
/// digits, no overflow; a negative number wraps; the empty string is 0.
pub fn parse_cursor(arg: &[u8]) -> Option<u64> {
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

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(cursor) = parse_cursor(args[1]) else {
        return ctx.err("ERR invalid cursor");
    };
    let mut count: usize = 10;
    let mut pattern: Option<&[u8]> = None;
    let mut type_filter: Option<&[u8]> = None;
    let mut i = 2;
    while i < args.len() {
        let has_value = args.len() - i >= 2;
        if is(args[i], "count") && has_value {
            let Some(n) = parse_i64(args[i + 1]) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            if n < 1 {
                return ctx.err(errors::SYNTAX);
            }
            count = usize::try_from(n).unwrap_or(usize::MAX);
        } else if is(args[i], "match") && has_value {
            // "*" matches everything: the same as no pattern.
            pattern = Some(args[i + 1]).filter(|p| *p != b"*");
        } else if is(args[i], "type") && has_value {
            type_filter = Some(args[i + 1]);
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 2;
    }
    let mut body = Reply::new(ctx.out.version);
    let mut found = 0;
    let next = ctx.keys.scan(ctx.db, cursor, count, |item| {
        let wanted = pattern.is_none_or(|p| glob_match(p, item.key(), false))
            && type_filter.is_none_or(|t| t.eq_ignore_ascii_case(type_name(item).as_bytes()));
        if wanted {
            body.bulk(item.key());
            found += 1;
        }
    });
    ctx.out.array(2);
    let mut digits = itoa::Buffer::new();
    ctx.out.bulk(digits.format(next).as_bytes());
    ctx.out.array(found);
    ctx.out.raw(&body.buf);
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"+12"), Some(12));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b" 0"), None);
        assert_eq!(parse_cursor(b"x"), None);
        assert_eq!(parse_cursor(b"1x"), None);
        assert_eq!(parse_cursor(b"-"), None);
    }
}
