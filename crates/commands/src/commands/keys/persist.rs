//! PERSIST key

use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let has_ttl = ctx
        .keys
        .get(ctx.db, key)
        .is_some_and(|item| item.expire_at().is_some());
    if !has_ttl {
        return ctx.out.int(0);
    }
    ctx.keys.set_expire(ctx.db, key, None);
    ctx.modified(key);
    ctx.notify(notify::GENERIC, "persist", key);
    ctx.out.int(1);
}
