//! LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
//!
//! RANK n: start from the n-th match (negative: search from the tail). COUNT n: reply
//! up to n positions as an array (0: all). MAXLEN n: compare at most n elements
//! (0: all). Positions are always counted from the head, as LINDEX takes them.

use super::{non_negative, read_list};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

const RANK_ZERO: &str = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
const COUNT_NEGATIVE: &str = "ERR COUNT can't be negative";
const MAXLEN_NEGATIVE: &str = "ERR MAXLEN can't be negative";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, element) = (args[1], args[2]);
    let mut rank: i64 = 1;
    let mut count: Option<u64> = None;
    let mut maxlen: u64 = 0;
    let mut i = 3;
    while i < args.len() {
        let more = i + 1 < args.len();
        if is(args[i], "rank") && more {
            i += 1;
            rank = match parse_i64(args[i]) {
                Some(0) => return ctx.err(RANK_ZERO),
                Some(n) => n,
                None => return ctx.err(errors::NOT_INTEGER),
            };
        } else if is(args[i], "count") && more {
            i += 1;
            match non_negative(args[i]) {
                Some(n) => count = Some(n),
                None => return ctx.err(COUNT_NEGATIVE),
            }
        } else if is(args[i], "maxlen") && more {
            i += 1;
            match non_negative(args[i]) {
                Some(n) => maxlen = n,
                None => return ctx.err(MAXLEN_NEGATIVE),
            }
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 1;
    }
    let from_tail = rank < 0;
    // redis-server negates the rank in a C long: the most negative one stays negative
    // and every match reaches it, which makes it behave as -1.
    let rank = if rank == i64::MIN {
        1
    } else {
        rank.unsigned_abs()
    };

    let lfu = ctx.lfu();
    let list = match read_list(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Ok(Some(list)) => list,
        Ok(None) if count.is_some() => return ctx.out.array(0),
        Ok(None) => return ctx.out.null(),
        Err(Replied) => return,
    };
    let len = list.len();
    let scanned = if maxlen == 0 {
        len
    } else {
        maxlen.min(len as u64) as usize
    };
    // Elements in scan order with their indexes: from the head, or (collected first,
    // as the packed list walks forward only) from the tail.
    let scan: Box<dyn Iterator<Item = (usize, &[u8])>> = if from_tail {
        let tail = list.range(len - scanned, len - 1);
        Box::new(
            tail.into_iter()
                .rev()
                .enumerate()
                .map(move |(n, v)| (len - 1 - n, v)),
        )
    } else {
        Box::new(list.iter().take(scanned).enumerate())
    };
    let mut matches = scan
        .filter(|(_, value)| *value == element)
        .map(|(at, _)| at)
        .skip(usize::try_from(rank - 1).unwrap_or(usize::MAX));
    match count {
        None => match matches.next() {
            Some(at) => ctx.out.int(at as i64),
            None => ctx.out.null(),
        },
        Some(count) => {
            // Collected as found: bounded by the list's length, never by COUNT.
            let found: Vec<usize> = if count == 0 {
                matches.collect()
            } else {
                matches
                    .take(usize::try_from(count).unwrap_or(usize::MAX))
                    .collect()
            };
            ctx.out.array(found.len());
            for at in found {
                ctx.out.int(at as i64);
            }
        }
    }
}
