//! LRANGE key start stop

use super::read_list;
use crate::args::int;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

/// The inclusive range `start..=stop` designates in a list of `len` elements
/// (negative indexes count from the end), or None when it is empty.
pub fn range(start: i64, stop: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { len + start } else { start }.max(0);
    let stop = if stop < 0 { len + stop } else { stop };
    if start > stop || start >= len {
        return None;
    }
    Some((start as usize, stop.min(len - 1) as usize))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(start) = int(ctx, args[2]) else {
        return;
    };
    let Some(stop) = int(ctx, args[3]) else {
        return;
    };
    let lfu = ctx.lfu();
    let list = match read_list(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.array(0),
        Err(Replied) => return,
    };
    match range(start, stop, list.len()) {
        Some((first, last)) => {
            ctx.out.array(last - first + 1);
            for value in list.range(first, last) {
                ctx.out.bulk(value);
            }
        }
        None => ctx.out.array(0),
    }
}
