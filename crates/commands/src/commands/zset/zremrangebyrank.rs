//! ZREMRANGEBYRANK key start stop
//!
//! Removes the members of ranks `start..=stop` (negative from the end); replies how
//! many. Also the engine of ZREMRANGEBYSCORE and ZREMRANGEBYLEX ([`generic`]).

use super::range::{rank_range, LexRange, ScoreRange, NOT_FLOAT_RANGE, NOT_LEX_RANGE};
use super::{delete_if_empty, write_zset};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Rank,
    Score,
    Lex,
}

enum Bounds {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, By::Rank);
}

pub fn generic(ctx: &mut Ctx<'_>, args: &[&[u8]], by: By) {
    let key = args[1];
    let (bounds, event) = match by {
        By::Rank => match (parse_i64(args[2]), parse_i64(args[3])) {
            (Some(start), Some(end)) => (Bounds::Rank(start, end), "zremrangebyrank"),
            _ => return ctx.err(errors::NOT_INTEGER),
        },
        By::Score => match ScoreRange::parse(args[2], args[3]) {
            Some(range) => (Bounds::Score(range), "zremrangebyscore"),
            None => return ctx.err(NOT_FLOAT_RANGE),
        },
        By::Lex => match LexRange::parse(args[2], args[3]) {
            Some(range) => (Bounds::Lex(range), "zremrangebylex"),
            None => return ctx.err(NOT_LEX_RANGE),
        },
    };
    let z = match write_zset(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(z)) => z,
    };
    let (start, end) = match bounds {
        Bounds::Rank(start, end) => match rank_range(z.len(), start, end) {
            Some(ranks) => ranks,
            None => return ctx.out.int(0),
        },
        Bounds::Score(range) => range.ranks(z),
        Bounds::Lex(range) => range.ranks(z),
    };
    let deleted = z.drain_ranks(start, end).len() as u64;
    if deleted > 0 {
        ctx.modified(key);
        ctx.dirty += deleted - 1;
        ctx.notify(notify::ZSET, event, key);
        delete_if_empty(ctx, key);
    }
    ctx.out.int(deleted as i64);
}
