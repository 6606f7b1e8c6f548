//! ZRANDMEMBER key [count [WITHSCORES]]
//!
//! A positive count returns that many distinct members (the whole set when it is
//! larger); a negative one returns |count| members that may repeat. A repeating reply
//! can be far larger than the set: it is written element by element and cut off, the
//! client being disconnected, once it passes the client output buffer hard limit (or
//! SRANDMEMBER's cap when none is configured).

use super::{read_zset, reply_element, reply_len};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::parse_i64;
use rand::Rng;

/// The largest repeated-members reply written when no output buffer limit applies.
const REPLY_CAP: usize = 512 * 1024 * 1024;

const COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() == 2 {
        let lfu = ctx.lfu();
        return match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
            Err(Replied) => {}
            Ok(None) => ctx.out.null(),
            Ok(Some(z)) => match random(z) {
                Some((member, _)) => ctx.out.bulk(member),
                None => ctx.out.null(),
            },
        };
    }
    let Some(count) = parse_i64(args[2]) else {
        return ctx.err(errors::NOT_INTEGER);
    };
    if count == i64::MIN {
        return ctx.err(COUNT_RANGE);
    }
    if args.len() > 4 || (args.len() == 4 && !args[3].eq_ignore_ascii_case(b"withscores")) {
        return ctx.err(errors::SYNTAX);
    }
    let withscores = args.len() == 4;
    if withscores && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
        return ctx.err("ERR value is out of range");
    }
    with_count(ctx, args[1], count, withscores);
}

fn random(z: &ZSet) -> Option<(&[u8], f64)> {
    if z.is_empty() {
        return None;
    }
    z.get_by_rank(rand::thread_rng().gen_range(0..z.len()))
}

fn with_count(ctx: &mut Ctx<'_>, key: &[u8], count: i64, withscores: bool) {
    let cap = match ctx.settings.output_limits[0].hard {
        0 => REPLY_CAP,
        hard => usize::try_from(hard).unwrap_or(usize::MAX),
    };
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.array(0),
        Ok(Some(z)) => z,
    };
    let repeat = count < 0;
    let n = count.unsigned_abs();
    let size = z.len();
    if n == 0 || size == 0 {
        return ctx.out.array(0);
    }
    let mut rng = rand::thread_rng();
    if repeat || n == 1 {
        let start = ctx.out.len();
        reply_len(
            ctx.out,
            usize::try_from(n).unwrap_or(usize::MAX),
            withscores,
        );
        for _ in 0..n {
            if let Some((member, score)) = z.get_by_rank(rng.gen_range(0..size)) {
                reply_element(ctx.out, member, score, withscores);
            }
            if ctx.out.len() - start > cap {
                ctx.client.shared.kill();
                break;
            }
        }
        return;
    }
    if n >= size as u64 {
        // The whole set, from the highest rank down as redis-server walks it.
        reply_len(ctx.out, size, withscores);
        for (member, score) in z.iter_from(size - 1, true) {
            reply_element(ctx.out, member, score, withscores);
        }
        return;
    }
    let ranks = rand::seq::index::sample(&mut rng, size, n as usize);
    reply_len(ctx.out, ranks.len(), withscores);
    for rank in ranks {
        if let Some((member, score)) = z.get_by_rank(rank) {
            reply_element(ctx.out, member, score, withscores);
        }
    }
}
