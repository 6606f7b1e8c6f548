//! SSCAN key cursor [MATCH pattern] [COUNT count]
//!
//! The hash set keeps no stable cursor of its own, so iteration follows the fixed order
//! of [`crate::scan_order`]: members present for the whole iteration are returned
//! exactly once, whatever is added or removed meanwhile.
//!
//! - An intset comes back whole, in ascending order, with cursor 0, as redis-server
//!   does for its compact encodings. A table of at most [`SMALL`] members comes whole
//!   from cursor 0 too; larger ones come in batches of at least COUNT, [`SMALL`] and a
//!   sixteenth of the set, so a whole iteration takes a bounded number of calls, each
//!   O(size).
//! - MATCH filters a batch after it is chosen: a call may return fewer members than
//!   COUNT, or none, before the iteration ends.

use super::{read_set, Set};
use crate::args::{scan_options, ScanOptions};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::scan_order;
use ferrocache_keyspace::glob::glob_match;

/// Sets up to this size are returned whole from cursor 0.
pub const SMALL: usize = 512;

/// The members a call returns from `cursor`, and the next cursor.
fn batch<'a>(
    members: impl ExactSizeIterator<Item = &'a [u8]>,
    cursor: u64,
    count: usize,
) -> (Vec<&'a [u8]>, u64) {
    let size = members.len();
    let wanted = count.max(SMALL).max(size.div_ceil(16));
    if cursor == 0 && size <= wanted {
        return (members.collect(), 0);
    }
    scan_order::batch(members, |m| m, cursor, wanted)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(cursor) = crate::args::cursor(args[2]) else {
        return ctx.err("ERR invalid cursor");
    };
    let lfu = ctx.lfu();
    let set = match read_set(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => return,
        Ok(None) => {
            ctx.out.array(2);
            ctx.out.bulk(b"0");
            return ctx.out.array(0);
        }
        Ok(Some(set)) => set,
    };
    let ScanOptions { count, pattern, .. } = match scan_options(args, 3, false) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let (mut members, next) = match set {
        Set::Ints(_) => (set.iter().collect(), 0),
        Set::Table(_) => batch(set.iter(), cursor, count),
    };
    if let Some(pattern) = pattern {
        members.retain(|m| glob_match(pattern, m, false));
    }
    ctx.out.array(2);
    let mut digits = itoa::Buffer::new();
    ctx.out.bulk(digits.format(next).as_bytes());
    ctx.out.array(members.len());
    for member in members {
        ctx.out.bulk(member);
    }
}

#[cfg(test)]
mod tests {
    use super::{batch, SMALL};
    use crate::args::cursor as parse_cursor;
    use std::collections::BTreeSet;

    #[test]
    fn cursors_parse_like_strtoul() {
        assert_eq!(parse_cursor(b"0"), Some(0));
        assert_eq!(parse_cursor(b""), Some(0));
        assert_eq!(parse_cursor(b"-1"), Some(u64::MAX));
        assert_eq!(parse_cursor(b"18446744073709551616"), None);
        assert_eq!(parse_cursor(b" 0"), None);
        assert_eq!(parse_cursor(b"1x"), None);
    }

    /// A full iteration under removals and additions returns every member that stayed
    /// throughout exactly once.
    #[test]
    fn iteration_survives_changes() {
        let mut set: Vec<Vec<u8>> = (0..5000).map(|i| format!("m{i}").into_bytes()).collect();
        let stable: BTreeSet<Vec<u8>> = set.iter().step_by(2).cloned().collect();
        let mut seen: Vec<Vec<u8>> = Vec::new();
        let mut cursor = 0;
        let mut calls = 0;
        loop {
            let (members, next) = batch(set.iter().map(Vec::as_slice), cursor, 10);
            assert!(members.len() >= SMALL.min(set.len()) || next == 0);
            seen.extend(members.into_iter().map(<[u8]>::to_vec));
            calls += 1;
            // Remove some odd members, add new ones.
            set.retain(|m| {
                !m.ends_with(format!("{}", calls % 10).as_bytes()) || stable.contains(m)
            });
            set.extend((0..100).map(|i| format!("new{calls}-{i}").into_bytes()));
            cursor = next;
            if cursor == 0 {
                break;
            }
            assert!(calls < 100);
        }
        for member in &stable {
            assert_eq!(seen.iter().filter(|m| *m == member).count(), 1);
        }
    }

    #[test]
    fn small_sets_come_whole() {
        let set: Vec<Vec<u8>> = (0..SMALL).map(|i| format!("{i}").into_bytes()).collect();
        let (members, next) = batch(set.iter().map(Vec::as_slice), 0, 1);
        assert_eq!((members.len(), next), (SMALL, 0));
    }
}
