//! RENAME key newkey

use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    rename_generic(ctx, args[1], args[2], false);
}

/// The shared body of RENAME and RENAMENX (`nx`: fail when `to` exists). The value
/// keeps its TTL and access clock.
pub fn rename_generic(ctx: &mut Ctx<'_>, from: &[u8], to: &[u8], nx: bool) {
    let db = ctx.db;
    if ctx.keys.get(db, from).is_none() {
        return ctx.err(errors::NO_SUCH_KEY);
    }
    if from == to {
        return if nx { ctx.out.int(0) } else { ctx.out.ok() };
    }
    if nx && ctx.keys.exists(db, to) {
        return ctx.out.int(0);
    }
    let Some(item) = ctx.keys.remove(db, from) else {
        return ctx.err(errors::NO_SUCH_KEY);
    };
    // Replaces whatever `to` held (it goes without a "del" event, as in redis-server).
    ctx.keys.insert(db, item.with_key(to));
    drop(item);
    ctx.modified(from);
    ctx.keys.touch_watched(db, to);
    ctx.notify(notify::GENERIC, "rename_from", from);
    ctx.notify(notify::GENERIC, "rename_to", to);
    if nx {
        ctx.out.int(1);
    } else {
        ctx.out.ok();
    }
}
