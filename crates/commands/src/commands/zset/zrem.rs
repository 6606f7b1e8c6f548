//! ZREM key member [member ...]
//!
//! Removes members; replies how many were there.

use super::{delete_if_empty, write_zset};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let z = match write_zset(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(z)) => z,
    };
    let mut deleted = 0u64;
    for member in &args[2..] {
        if z.remove(member).is_some() {
            deleted += 1;
        }
        if z.is_empty() {
            break;
        }
    }
    if deleted > 0 {
        ctx.notify(notify::ZSET, "zrem", key);
        delete_if_empty(ctx, key);
        ctx.modified(key);
        ctx.dirty += deleted - 1;
    }
    ctx.out.int(deleted as i64);
}
