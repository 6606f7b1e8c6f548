//! SRANDMEMBER key [count]
//!
//! A positive count returns that many distinct members (the whole set when it is
//! larger); a negative one returns |count| members that may repeat. Such a reply can
//! be far larger than the set: it is written member by member and cut off, the client
//! being disconnected, once it passes the client output buffer hard limit (or
//! [`REPLY_CAP`] when none is configured), much as redis-server closes a client over
//! its limit.

use super::{distinct_members, drawn_members, random_member, read_set};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;
use rand::Rng;

/// The largest repeated-members reply written when no output buffer limit applies.
pub const REPLY_CAP: usize = 512 * 1024 * 1024;

const COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    match args.len() {
        2 => one(ctx, args[1]),
        3 => with_count(ctx, args[1], args[2]),
        _ => ctx.err(errors::SYNTAX),
    }
}

fn one(ctx: &mut Ctx<'_>, key: &[u8]) {
    let lfu = ctx.lfu();
    match read_set(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Ok(Some(set)) => match random_member(set) {
            Some(member) => ctx.out.bulk(member),
            None => ctx.out.null(),
        },
        Ok(None) => ctx.out.null(),
        Err(Replied) => {}
    }
}

fn with_count(ctx: &mut Ctx<'_>, key: &[u8], count: &[u8]) {
    let Some(count) = parse_i64(count) else {
        return ctx.err(errors::NOT_INTEGER);
    };
    if count == i64::MIN {
        return ctx.err(COUNT_RANGE);
    }
    let repeat = count < 0;
    let count = count.unsigned_abs();
    let cap = match ctx.settings.output_limits[0].hard {
        0 => REPLY_CAP,
        hard => usize::try_from(hard).unwrap_or(usize::MAX),
    };
    let lfu = ctx.lfu();
    let set = match read_set(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.array(0),
        Ok(Some(set)) => set,
    };
    let size = set.len();
    if count == 0 || size == 0 {
        return ctx.out.array(0);
    }
    if count == 1 {
        ctx.out.array(1);
        if let Some(member) = random_member(set) {
            ctx.out.bulk(member);
        }
        return;
    }
    if repeat && count <= size as u64 {
        // At most one draw per member: drawn in one walk of the table.
        let drawn = drawn_members(set, count as usize);
        ctx.out.array(drawn.len());
        for member in drawn {
            ctx.out.bulk(member);
        }
        return;
    }
    if repeat {
        // More draws than members: index the members, then draw one by one.
        let members: Vec<&[u8]> = set.iter().collect();
        let mut rng = rand::thread_rng();
        let start = ctx.out.len();
        ctx.out.array(usize::try_from(count).unwrap_or(usize::MAX));
        for _ in 0..count {
            ctx.out.bulk(members[rng.gen_range(0..size)]);
            if ctx.out.len() - start > cap {
                ctx.client.shared.kill();
                break;
            }
        }
        return;
    }
    if count >= size as u64 {
        let members: Vec<&[u8]> = set.iter().collect();
        ctx.out.array(members.len());
        for member in members {
            ctx.out.bulk(member);
        }
        return;
    }
    let chosen = distinct_members(set, count as usize);
    ctx.out.array(chosen.len());
    for member in chosen {
        ctx.out.bulk(member);
    }
}
