//! ZSCAN key cursor [MATCH pattern] [COUNT count]
//!
//! Replies `[next cursor, [member, score, ...]]` (scores as bulk strings, `%.17g`).
//!
//! - A set redis-server keeps as a listpack (see [`super::is_listpack`]) comes back
//!   whole from any cursor in one call with cursor 0, in rank order, as redis-server
//!   does.
//! - A larger set is walked in a fixed order of its members: each member has a
//!   64-bit position, [`position`], a hash with a fixed seed. Cursor `c` asks for the
//!   members whose position is `c` or more; a call returns those with the smallest
//!   positions and, as the next cursor, one past the last position returned (0 once
//!   nothing is left). Members present for the whole iteration are returned exactly
//!   once whatever changes meanwhile. A call returns at least COUNT members and a
//!   sixteenth of the set, so a whole iteration takes a bounded number of calls.
//! - MATCH filters a batch after it is chosen: a call may return fewer members than
//!   COUNT, or none, before the iteration ends.

use super::{is_listpack, read_zset};
use crate::args::{scan_options, ScanOptions};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::format_g17;

/// A member's place in the iteration order: a 64-bit hash with a fixed seed.
pub fn position(member: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (member.len() as u64).wrapping_mul(K) ^ 0x5851_f42d_4c95_7f2d;
    for chunk in member.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(31);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The elements a call returns from `cursor` over a large set, and the next cursor.
fn batch(z: &ZSet, cursor: u64, count: usize) -> (Vec<(&[u8], f64)>, u64) {
    let wanted = count.max(z.len().div_ceil(16)).max(1);
    let mut ahead: Vec<(u64, &[u8], f64)> = z
        .iter()
        .map(|(m, s)| (position(m), m, s))
        .filter(|(p, _, _)| *p >= cursor)
        .collect();
    if ahead.len() <= wanted {
        return (ahead.into_iter().map(|(_, m, s)| (m, s)).collect(), 0);
    }
    ahead.select_nth_unstable_by_key(wanted - 1, |(p, _, _)| *p);
    let last = ahead[wanted - 1].0;
    let chosen = ahead
        .into_iter()
        .filter(|(p, _, _)| *p <= last)
        .map(|(_, m, s)| (m, s))
        .collect();
    (chosen, last.wrapping_add(1))
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
