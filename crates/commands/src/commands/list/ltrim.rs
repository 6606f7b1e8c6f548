//! LTRIM key start stop

use super::lrange::range;
use super::{delete_if_empty, write_list, written};
use crate::args::int;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(start) = int(ctx, args[2]) else {
        return;
    };
    let Some(stop) = int(ctx, args[3]) else {
        return;
    };
    let key = args[1];
    let db = ctx.db;
    let list = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.ok(),
        Err(Replied) => return,
    };
    let len = list.len();
    let removed = match range(start, stop, len) {
        Some((first, last)) => {
            list.keep_range(first, last);
            len - list.len()
        }
        None => {
            list.clear();
            len
        }
    };
    // Published and signalled even when nothing was removed, as redis-server does;
    // only removals count as changes (a no-op trim is not propagated).
    ctx.notify(notify::LIST, "ltrim", key);
    delete_if_empty(ctx, key);
    written(ctx, key, removed as u64);
    ctx.out.ok();
}
