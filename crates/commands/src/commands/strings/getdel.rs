//! GETDEL key

use super::{read_string, Replied};
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    match read_string(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(item)) => ctx.out.bulk(item.value()),
        Ok(None) => return ctx.out.null(),
        Err(Replied) => return,
    }
    ctx.keys.remove(ctx.db, args[1]);
    ctx.modified(args[1]);
    ctx.notify(notify::GENERIC, "del", args[1]);
}
