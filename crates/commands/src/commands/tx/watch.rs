//! WATCH key [key ...]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if ctx.client.multi.is_some() {
        return ctx.err("ERR WATCH inside MULTI is not allowed");
    }
    let flag = ctx.client.shared.watch_dirty.clone();
    for key in &args[1..] {
        let entry = (ctx.db, key.to_vec());
        if !ctx.client.watched.contains(&entry) {
            ctx.keys.watch(ctx.db, key, &flag);
            ctx.client.watched.push(entry);
        }
    }
    ctx.client.shared.info.lock().watched = ctx.client.watched.len();
    ctx.out.ok();
}
