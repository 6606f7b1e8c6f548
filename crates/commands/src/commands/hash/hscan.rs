//! HSCAN key cursor [MATCH pattern] [COUNT count]
//!
//! A packed (listpack) hash is returned whole in one call with cursor 0, as
//! redis-server does for listpacks.
//!
//! A larger one is walked in order of a fixed 64-bit hash of each field (SipHash with
//! constant keys, so positions do not depend on the table's layout or growth): the
//! cursor is a position in that hash space, and each call returns the fields whose
//! positions follow it, at least COUNT of them (or every one left) and never fewer than
//! a sixteenth of the hash, then the position after the last one returned. A call costs
//! a walk of the whole hash, which is why the pages of a large hash are large: a full
//! iteration takes at most about sixteen calls. The guarantees are redis-server's: a
//! field present for the whole iteration is returned exactly once (fields sharing a
//! position are returned together), one added or removed meanwhile may or may not be.

use super::{read_hash, Fields};
use crate::args::{scan_options, ScanOptions};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_protocol::Reply;
use std::collections::BinaryHeap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// A large hash is returned in pages of at least `len / SLICES` fields.
const SLICES: usize = 16;

/// A field's place in the iteration order.
fn position(field: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    field.hash(&mut hasher);
    hasher.finish()
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(cursor) = crate::args::cursor(args[2]) else {
        return ctx.err("ERR invalid cursor");
    };
    let lfu = ctx.lfu();
    let fields = match read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(fields)) => fields,
        Ok(None) => {
            ctx.out.array(2);
            ctx.out.bulk(b"0");
            ctx.out.array(0);
            return;
        }
        Err(Replied) => return,
    };
    // Options are checked once the key is known to be a hash, as redis-server does.
    let ScanOptions { count, pattern, .. } = match scan_options(args, 3, false) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let mut body = Reply::new(ctx.out.version);
    let mut found = 0;
    let mut emit = |field: &[u8], value: &[u8]| {
        if pattern.is_none_or(|p| glob_match(p, field, false)) {
            body.bulk(field);
            body.bulk(value);
            found += 2;
        }
    };
    let next = if matches!(fields, Fields::Packed(_)) {
        for (field, value) in fields {
            emit(field, value);
        }
        0
    } else {
        let (first, last) = page(fields, cursor, count.max(fields.len() / SLICES));
        for (field, value) in fields {
            let at = position(field);
            if first <= at && at <= last {
                emit(field, value);
            }
        }
        last.wrapping_add(1)
    };
    ctx.out.array(2);
    let mut digits = itoa::Buffer::new();
    ctx.out.bulk(digits.format(next).as_bytes());
    ctx.out.array(found);
    ctx.out.raw(&body.buf);
}

/// The range of positions `first..=last` of the page starting at `cursor`: up to the
/// `want`-th position at or after it, or to the end of the space when fewer are left.
fn page(fields: &Fields, cursor: u64, want: usize) -> (u64, u64) {
    // The `want` smallest positions at or after the cursor (a max-heap; it only ever
    // holds positions of real fields).
    let mut smallest: BinaryHeap<u64> = BinaryHeap::new();
    for field in fields.keys() {
        let at = position(field);
        if at < cursor {
            continue;
        }
        if smallest.len() < want {
            smallest.push(at);
        } else if smallest.peek().is_some_and(|&top| at < top) {
            smallest.pop();
            smallest.push(at);
        }
    }
    match smallest.peek() {
        Some(&top) if smallest.len() >= want => (cursor, top),
        _ => (cursor, u64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::{page, position, Fields};
    use crate::args::cursor as parse_cursor;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"+12"), Some(12));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b" 0"), None);
        assert_eq!(parse_cursor(b"1x"), None);
        assert_eq!(parse_cursor(b"-"), None);
    }

    #[test]
    fn pages_cover_every_field_once() {
        let fields: Fields = (0..1000)
            .map(|i| (format!("f{i}").into_bytes(), b"v".to_vec()))
            .collect();
        let mut seen = Vec::new();
        let mut cursor = 0u64;
        let mut calls = 0;
        loop {
            let (first, last) = page(&fields, cursor, 70);
            let in_page: Vec<_> = fields
                .keys()
                .filter(|f| (first..=last).contains(&position(f)))
                .map(<[u8]>::to_vec)
                .collect();
            assert!(in_page.len() <= 70);
            seen.extend(in_page);
            calls += 1;
            cursor = last.wrapping_add(1);
            if cursor == 0 {
                break;
            }
        }
        assert_eq!(calls, 1000 / 70 + 1);
        seen.sort();
        let mut all: Vec<_> = fields.keys().map(<[u8]>::to_vec).collect();
        all.sort();
        assert_eq!(seen, all);
    }
}
