//! SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
//!
//! The cursor is a stripe number: each call returns the keys of whole stripes, from
//! the cursor on, until at least COUNT keys were seen. A key present for the whole
//! iteration is returned exactly once; one added or removed meanwhile may or may not be.

use super::type_name;
use crate::args::{scan_options, ScanOptions};
use crate::ctx::Ctx;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_protocol::Reply;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(cursor) = crate::args::cursor(args[1]) else {
        return ctx.err("ERR invalid cursor");
    };
    let ScanOptions {
        count,
        pattern,
        type_filter,
    } = match scan_options(args, 2, true) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
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
    use crate::args::cursor as parse_cursor;

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
