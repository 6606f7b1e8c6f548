//! APPEND key value

use super::{check_length, store_raw, write_lookup};
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, tail) = (args[1], args[2]);
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (old, ttl) = match existing {
        Some(item) => (item.value().to_vec(), item.expire_at()),
        None => (Vec::new(), None),
    };
    let total = old.len() as u64 + tail.len() as u64;
    if !check_length(ctx, total) {
        return;
    }
    store_raw(ctx, key, &[&old, tail], ttl);
    ctx.notify(notify::STRING, "append", key);
    ctx.out.int(total as i64);
}
