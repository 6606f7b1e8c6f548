//! LREM key count element
//!
//! count > 0: removes the first `count` occurrences, from the head; count < 0: the
//! last `-count`, from the tail; 0: all of them.

use super::{delete_if_empty, write_list, written};
use crate::args::int;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, element) = (args[1], args[3]);
    let Some(count) = int(ctx, args[2]) else {
        return;
    };
    let db = ctx.db;
    let list = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.int(0),
        Err(Replied) => return,
    };
    let limit = count.unsigned_abs();
    // From the tail: skip the matches that precede the last `limit` ones.
    let mut skip = if count < 0 {
        let matches = list.iter().filter(|v| *v == element).count() as u64;
        matches.saturating_sub(limit)
    } else {
        0
    };
    let mut removed = 0u64;
    list.retain(|value| {
        if value != element || (limit != 0 && removed == limit) {
            return true;
        }
        if skip > 0 {
            skip -= 1;
            return true;
        }
        removed += 1;
        false
    });
    ctx.out.int(removed as i64);
    if removed > 0 {
        ctx.notify(notify::LIST, "lrem", key);
        written(ctx, key, removed);
    }
    delete_if_empty(ctx, key);
}
