//! DEL key [key ...]

use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let removed = del_generic(ctx, &args[1..]);
    ctx.out.int(removed);
}

/// Removes every key of `keys` that exists, signalling each removal; returns how many
/// were removed (DEL and UNLINK).
pub fn del_generic(ctx: &mut Ctx<'_>, keys: &[&[u8]]) -> i64 {
    let mut removed = 0;
    for key in keys {
        if ctx.keys.remove(ctx.db, key).is_some() {
            ctx.modified(key);
            ctx.notify(notify::GENERIC, "del", key);
            removed += 1;
        }
    }
    removed
}
