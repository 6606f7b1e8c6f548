//! INCR key

use super::{store, write_lookup};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    incr_by(ctx, args[1], 1);
}

/// INCR, DECR, INCRBY and DECRBY: adds `delta` to the integer at `key`.
pub fn incr_by(ctx: &mut Ctx<'_>, key: &[u8], delta: i64) {
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (current, ttl) = match existing {
        Some(item) => match parse_i64(item.value()) {
            Some(n) => (n, item.expire_at()),
            None => return ctx.err(errors::NOT_INTEGER),
        },
        None => (0, None),
    };
    let Some(next) = current.checked_add(delta) else {
        return ctx.err(errors::OVERFLOW);
    };
    let mut digits = itoa::Buffer::new();
    store(ctx, key, &[digits.format(next).as_bytes()], ttl);
    ctx.notify(notify::STRING, "incrby", key);
    ctx.out.int(next);
}
