//! GETRANGE key start end

use super::{read_string, Replied};
use crate::args;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(start) = args::int(ctx, argv[2]) else {
        return;
    };
    let Some(end) = args::int(ctx, argv[3]) else {
        return;
    };
    let lfu = ctx.lfu();
    let value = match read_string(&mut ctx.keys, ctx.out, ctx.db, argv[1], lfu) {
        Ok(Some(item)) => item.value(),
        Ok(None) => return ctx.out.bulk(b""),
        Err(Replied) => return,
    };
    match range(value.len(), start, end) {
        Some((from, to)) => ctx.out.bulk(&value[from..=to]),
        None => ctx.out.bulk(b""),
    }
}

/// Redis's inclusive range with negative indexes from the end; None when empty.
pub fn range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let mut start = if start < 0 { len + start } else { start };
    let mut end = if end < 0 { len + end } else { end };
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if len == 0 || start > end {
        return None;
    }
    Some((start as usize, end as usize))
}
