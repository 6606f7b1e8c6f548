//! ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
//!
//! Also the engine of ZRANGESTORE, ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE,
//! ZRANGEBYLEX and ZREVRANGEBYLEX ([`generic`]), which fix the range type and/or the
//! direction instead of taking them as options.

use super::range::{rank_range, LexRange, ScoreRange, NOT_FLOAT_RANGE, NOT_LEX_RANGE};
use super::{read_zset, reply_element, reply_len, store};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::parse_i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeType {
    /// Chosen by the options (rank unless BYSCORE or BYLEX).
    Auto,
    Rank,
    Score,
    Lex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Chosen by the options (forward unless REV).
    Auto,
    Forward,
    Reverse,
}

/// The parsed range, with its bounds.
enum Bounds {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// Where a selection starts (an ascending rank), which way it walks, and how many
/// elements it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Selection {
    from: usize,
    rev: bool,
    count: usize,
}

const NONE: Selection = Selection {
    from: 0,
    rev: false,
    count: 0,
};

/// Applies LIMIT to the ascending ranks `[start, end)` walked in direction `rev`.
fn limited(
    z: &ZSet,
    (start, end): (usize, usize),
    rev: bool,
    offset: i64,
    limit: i64,
) -> Selection {
    if offset < 0 || (offset > 0 && offset as u64 >= z.len() as u64) {
        return NONE;
    }
    let offset = offset as usize;
    let n = end.saturating_sub(start);
    if offset >= n {
        return NONE;
    }
    let mut count = n - offset;
    if limit >= 0 {
        count = count.min(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    let from = if rev {
        end - 1 - offset
    } else {
        start + offset
    };
    Selection { from, rev, count }
}

fn select(z: &ZSet, bounds: &Bounds, rev: bool, offset: i64, limit: i64) -> Selection {
    match bounds {
        Bounds::Rank(start, end) => match rank_range(z.len(), *start, *end) {
            None => NONE,
            Some((s, e)) if rev => Selection {
                from: z.len() - 1 - s,
                rev,
                count: e - s,
            },
            Some((s, e)) => Selection {
                from: s,
                rev,
                count: e - s,
            },
        },
        Bounds::Score(range) => limited(z, range.ranks(z), rev, offset, limit),
        Bounds::Lex(range) => limited(z, range.ranks(z), rev, offset, limit),
    }
}

/// The ZRANGE family. `args[key_at]` is the source key, followed by the two bounds
/// and the options; `destination` is ZRANGESTORE's.
pub fn generic(
    ctx: &mut Ctx<'_>,
    args: &[&[u8]],
    key_at: usize,
    destination: Option<&[u8]>,
    mut range_type: RangeType,
    mut direction: Direction,
) {
    let storing = destination.is_some();
    let mut withscores = false;
    let mut offset: i64 = 0;
    let mut limit: i64 = -1;
    let mut j = key_at + 3;
    while j < args.len() {
        let left = args.len() - j - 1;
        if !storing && is(args[j], "withscores") {
            withscores = true;
        } else if is(args[j], "limit") && left >= 2 {
            let (Some(o), Some(l)) = (parse_i64(args[j + 1]), parse_i64(args[j + 2])) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            offset = o;
            limit = l;
            j += 2;
        } else if direction == Direction::Auto && is(args[j], "rev") {
            direction = Direction::Reverse;
        } else if range_type == RangeType::Auto && is(args[j], "bylex") {
            range_type = RangeType::Lex;
        } else if range_type == RangeType::Auto && is(args[j], "byscore") {
            range_type = RangeType::Score;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        j += 1;
    }
    let rev = direction == Direction::Reverse;
    if range_type == RangeType::Auto {
        range_type = RangeType::Rank;
    }
    if limit != -1 && range_type == RangeType::Rank {
        return ctx.err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
    }
    if withscores && range_type == RangeType::Lex {
        return ctx.err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    let (mut min, mut max) = (args[key_at + 1], args[key_at + 2]);
    if rev && range_type != RangeType::Rank {
        std::mem::swap(&mut min, &mut max);
    }
    let bounds = match range_type {
        RangeType::Score => match ScoreRange::parse(min, max) {
            Some(range) => Bounds::Score(range),
            None => return ctx.err(NOT_FLOAT_RANGE),
        },
        RangeType::Lex => match LexRange::parse(min, max) {
            Some(range) => Bounds::Lex(range),
            None => return ctx.err(NOT_LEX_RANGE),
        },
        _ => match (parse_i64(min), parse_i64(max)) {
            (Some(start), Some(end)) => Bounds::Rank(start, end),
            _ => return ctx.err(errors::NOT_INTEGER),
        },
    };
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[key_at], lfu) {
        Err(Replied) => return,
        Ok(z) => z,
    };
    let Some(destination) = destination else {
        let Some(z) = z else {
            return ctx.out.array(0);
        };
        let sel = select(z, &bounds, rev, offset, limit);
        reply_len(ctx.out, sel.count, withscores);
        for (member, score) in z.iter_from(sel.from, sel.rev).take(sel.count) {
            reply_element(ctx.out, member, score, withscores);
        }
        return;
    };
    let mut result = ZSet::new();
    if let Some(z) = z {
        let sel = select(z, &bounds, rev, offset, limit);
        for (member, score) in z.iter_from(sel.from, sel.rev).take(sel.count) {
            result.insert(member, score);
        }
    }
    store(ctx, destination, result, "zrangestore");
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, None, RangeType::Auto, Direction::Auto);
}
