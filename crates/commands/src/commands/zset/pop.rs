//! Pops from the ends of sorted sets: ZPOPMIN, ZPOPMAX, ZMPOP and the blocking
//! BZPOPMIN, BZPOPMAX and BZMPOP.

use super::{delete_if_empty, write_zset, zset_mut};
use crate::commands::list::{time_out, timeout, Nothing};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::{Keyspace, LockSet};
use ferrocache_protocol::number::parse_i64;

/// The end of a sorted set to pop from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Min,
    Max,
}

impl End {
    fn event(self) -> &'static str {
        match self {
            End::Min => "zpopmin",
            End::Max => "zpopmax",
        }
    }

    fn command(self) -> &'static [u8] {
        match self {
            End::Min => b"ZPOPMIN",
            End::Max => b"ZPOPMAX",
        }
    }

    fn parse(arg: &[u8]) -> Option<End> {
        if arg.eq_ignore_ascii_case(b"min") {
            Some(End::Min)
        } else if arg.eq_ignore_ascii_case(b"max") {
            Some(End::Max)
        } else {
            None
        }
    }
}

/// How the popped elements are replied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// `[member, score, ...]` (ZPOPMIN/ZPOPMAX; RESP3 with a count nests the pairs).
    Flat { nested: bool },
    /// `[key, member, score]` (BZPOPMIN/BZPOPMAX).
    WithKey,
    /// `[key, [[member, score], ...]]` (ZMPOP/BZMPOP).
    Nested,
}

/// Pops up to `count` elements from `end` of the sorted set at `key` (which exists
/// and is not empty), replies them in `shape`, publishes the pop, deletes the key when
/// emptied and records the write. Returns how many were popped.
pub fn pop_from(ctx: &mut Ctx<'_>, key: &[u8], end: End, count: u64, shape: Shape) -> usize {
    let Some(z) = zset_mut(&mut ctx.keys, ctx.db, key) else {
        ctx.out.array(0);
        return 0;
    };
    let len = z.len();
    let n = usize::try_from(count).unwrap_or(usize::MAX).min(len);
    let popped = match end {
        End::Min => z.drain_ranks(0, n),
        End::Max => {
            let mut v = z.drain_ranks(len - n, len);
            v.reverse();
            v
        }
    };
    match shape {
        Shape::Flat { nested } => {
            ctx.out.array(if nested { n } else { n * 2 });
            for (member, score) in &popped {
                if nested {
                    ctx.out.array(2);
                }
                ctx.out.bulk(member);
                ctx.out.double(*score);
            }
        }
        Shape::WithKey => {
            ctx.out.array(n * 2 + 1);
            ctx.out.bulk(key);
            for (member, score) in &popped {
                ctx.out.bulk(member);
                ctx.out.double(*score);
            }
        }
        Shape::Nested => {
            ctx.out.array(2);
            ctx.out.bulk(key);
            ctx.out.array(n);
            for (member, score) in &popped {
                ctx.out.array(2);
                ctx.out.bulk(member);
                ctx.out.double(*score);
            }
        }
    }
    if n > 0 {
        ctx.notify(notify::ZSET, end.event(), key);
        ctx.modified(key);
        ctx.dirty += n as u64 - 1;
        if !delete_if_empty(ctx, key) {
            // What is left may serve the next client blocked on this key.
            ctx.signal_ready(key);
        }
    }
    n
}

/// ZPOPMIN/ZPOPMAX key [count]
pub fn zpop(ctx: &mut Ctx<'_>, args: &[&[u8]], end: End) {
    if args.len() > 3 {
        return ctx.err(errors::SYNTAX);
    }
    let count = match args.get(2) {
        None => None,
        Some(arg) => match parse_i64(arg) {
            Some(n) if n >= 0 => Some(n as u64),
            _ => return ctx.err("ERR value is out of range, must be positive"),
        },
    };
    let key = args[1];
    match write_zset(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.array(0),
        Ok(Some(_)) => {}
    }
    if count == Some(0) {
        return ctx.out.array(0);
    }
    let nested = ctx.out.is_resp3() && count.is_some();
    pop_from(ctx, key, end, count.unwrap_or(1), Shape::Flat { nested });
}

/// BZPOPMIN/BZPOPMAX key [key ...] timeout
pub fn bzpop(ctx: &mut Ctx<'_>, args: &[&[u8]], end: End) {
    let Some(timeout) = timeout(ctx, args[args.len() - 1]) else {
        return;
    };
    let keys = &args[1..args.len() - 1];
    for key in keys {
        match write_zset(&mut ctx.keys, ctx.out, ctx.db, key) {
            Err(Replied) => return,
            Ok(Some(z)) if !z.is_empty() => {}
            Ok(_) => continue,
        }
        pop_from(ctx, key, end, 1, Shape::WithKey);
        ctx.propagate_as(vec![end.command().to_vec(), key.to_vec()]);
        return;
    }
    time_out(ctx, timeout, Nothing::NullArray, keys);
}

/// ZMPOP/BZMPOP's arguments from `numkeys` on: `numkeys key [key ...] MIN|MAX
/// [COUNT count]`.
pub type Mpop = crate::args::Mpop<End>;

pub fn parse_mpop(args: &[&[u8]], numkeys_at: usize) -> Result<Mpop, &'static str> {
    crate::args::parse_mpop(args, numkeys_at, End::parse)
}

/// Adds the stripes of ZMPOP/BZMPOP's keys.
pub fn lock_mpop_keys(
    ks: &Keyspace,
    db: usize,
    args: &[&[u8]],
    numkeys_at: usize,
    set: &mut LockSet,
) {
    crate::args::lock_mpop_keys(ks, db, args, numkeys_at, End::parse, set);
}

/// Pops from the first non-empty sorted set among `keys`, replying
/// `[key, [[member, score], ...]]` and propagating `ZPOPMIN|ZPOPMAX key n`. Replies
/// WRONGTYPE at the first key of another type. False (nothing replied) when every
/// key is missing.
pub fn mpop(ctx: &mut Ctx<'_>, keys: &[&[u8]], end: End, count: u64) -> bool {
    for key in keys {
        match write_zset(&mut ctx.keys, ctx.out, ctx.db, key) {
            Err(Replied) => return true,
            Ok(Some(z)) if !z.is_empty() => {}
            Ok(_) => continue,
        }
        let popped = pop_from(ctx, key, end, count, Shape::Nested);
        ctx.propagate_as(vec![
            end.command().to_vec(),
            key.to_vec(),
            popped.to_string().into_bytes(),
        ]);
        return true;
    }
    false
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
pub fn zmpop(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let options = match parse_mpop(args, 1) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let keys = &args[options.first_key..options.first_key + options.numkeys];
    if !mpop(ctx, keys, options.end, options.count) {
        ctx.out.null_array();
    }
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
pub fn bzmpop(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let options = match parse_mpop(args, 2) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let Some(timeout) = timeout(ctx, args[1]) else {
        return;
    };
    let keys = &args[options.first_key..options.first_key + options.numkeys];
    if !mpop(ctx, keys, options.end, options.count) {
        time_out(ctx, timeout, Nothing::NullArray, keys);
    }
}
