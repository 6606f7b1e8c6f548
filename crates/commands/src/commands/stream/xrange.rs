//! XRANGE key start end [COUNT count]
//!
//! Entries with start <= ID <= end, ascending; `-` and `+` are the extremes, `(id`
//! excludes id, and a bound without sequence covers the whole millisecond.

use super::{parse_bound, parse_int, read_stream, reply_entries};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    range(ctx, args, false);
}

/// XRANGE and XREVRANGE (whose bounds come in the other order).
pub fn range(ctx: &mut Ctx<'_>, args: &[&[u8]], rev: bool) {
    let (start_arg, end_arg) = if rev {
        (args[3], args[2])
    } else {
        (args[2], args[3])
    };
    let Some(start) = parse_bound(ctx, start_arg, false) else {
        return;
    };
    let Some(end) = parse_bound(ctx, end_arg, true) else {
        return;
    };
    let mut count: Option<i64> = None;
    let mut i = 4;
    while i < args.len() {
        if is(args[i], "count") && i + 1 < args.len() {
            let Some(n) = parse_int(ctx, args[i + 1]) else {
                return;
            };
            count = Some(n.max(0));
            i += 2;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    let (db, lfu) = (ctx.db, ctx.lfu());
    let stream = match read_stream(&mut ctx.keys, ctx.out, db, args[1], lfu) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.array(0),
        Ok(Some(stream)) => stream,
    };
    let count = match count {
        Some(0) => return ctx.out.null_array(),
        Some(n) => n as usize,
        None => 0,
    };
    if start > end {
        return ctx.out.array(0);
    }
    if rev {
        let log = stream.log();
        reply_entries(ctx.out, || log.range_rev(start, end), count);
    } else {
        let log = stream.log();
        reply_entries(ctx.out, || log.range(start, end), count);
    }
}
