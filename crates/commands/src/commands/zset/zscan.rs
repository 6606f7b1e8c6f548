//! ZSCAN key cursor [MATCH pattern] [COUNT count]
//!
//! Replies `[next cursor, [member, score, ...]]` (scores as bulk strings, `%.17g`).
//!
//! - A set redis-server keeps as a listpack (see [`super::is_listpack`]) comes back
//!   whole from any cursor in one call with cursor 0, in rank order, as redis-server
//!   does.
//! - A larger set is walked in the fixed order of [`crate::scan_order`]: members
//!   present for the whole iteration are returned exactly once whatever changes
//!   meanwhile. A call returns at least COUNT members and a
//!   sixteenth of the set, so a whole iteration takes a bounded number of calls.
//! - MATCH filters a batch after it is chosen: a call may return fewer members than
//!   COUNT, or none, before the iteration ends.

use super::{is_listpack, read_zset};
use crate::args::{scan_options, ScanOptions};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::scan_order;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::format_g17;

/// The elements a call returns from `cursor` over a large set, and the next cursor.
fn batch(z: &ZSet, cursor: u64, count: usize) -> (Vec<(&[u8], f64)>, u64) {
    let wanted = count.max(z.len().div_ceil(16));
    scan_order::batch(z.iter(), |(m, _)| m, cursor, wanted)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(cursor) = crate::args::cursor(args[2]) else {
        return ctx.err("ERR invalid cursor");
    };
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => return,
        Ok(None) => {
            ctx.out.array(2);
            ctx.out.bulk(b"0");
            return ctx.out.array(0);
        }
        Ok(Some(z)) => z,
    };
    let ScanOptions { count, pattern, .. } = match scan_options(args, 3, false) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let (mut elements, next) = if is_listpack(z) {
        (z.iter().collect(), 0)
    } else {
        batch(z, cursor, count)
    };
    if let Some(pattern) = pattern {
        elements.retain(|(m, _)| glob_match(pattern, m, false));
    }
    ctx.out.array(2);
    let mut digits = itoa::Buffer::new();
    ctx.out.bulk(digits.format(next).as_bytes());
    ctx.out.array(elements.len() * 2);
    for (member, score) in elements {
        ctx.out.bulk(member);
        ctx.out.bulk(format_g17(score).as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn iteration_returns_stable_members_once() {
        let mut z = ZSet::new();
        for i in 0..3000 {
            z.insert(format!("m{i}").as_bytes(), i as f64);
        }
        let stable: BTreeSet<Vec<u8>> = (0..3000)
            .step_by(2)
            .map(|i| format!("m{i}").into_bytes())
            .collect();
        let mut seen = Vec::new();
        let mut cursor = 0;
        let mut calls = 0;
        loop {
            let (elements, next) = batch(&z, cursor, 10);
            seen.extend(elements.iter().map(|(m, _)| m.to_vec()));
            calls += 1;
            for i in 0..50 {
                z.insert(format!("new{calls}-{i}").as_bytes(), 0.5);
                z.remove(format!("m{}", calls * 50 + i * 2 + 1).as_bytes());
            }
            cursor = next;
            if cursor == 0 {
                break;
            }
            assert!(calls < 100);
        }
        for member in &stable {
            assert_eq!(seen.iter().filter(|m| *m == member).count(), 1);
        }
        assert_eq!(crate::args::cursor(b"-1"), Some(u64::MAX));
    }
}
