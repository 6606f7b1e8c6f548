//! HINCRBY key field increment

use super::{create_hash, write_hash, Fields};
use crate::args;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, field) = (args[1], args[2]);
    let Some(delta) = args::int(ctx, args[3]) else {
        return;
    };
    let db = ctx.db;
    let limits = ctx.settings.hash_pack;
    let mut digits = itoa::Buffer::new();
    let next = match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(fields)) => {
            let current = match fields.get(field) {
                Some(value) => match parse_i64(value) {
                    Some(n) => n,
                    None => return ctx.err("ERR hash value is not an integer"),
                },
                None => 0,
            };
            let Some(next) = current.checked_add(delta) else {
                return ctx.err(errors::OVERFLOW);
            };
            fields.insert(field, digits.format(next).as_bytes(), limits);
            next
        }
        Ok(None) => {
            let mut fields = Fields::new();
            fields.insert(field, digits.format(delta).as_bytes(), limits);
            create_hash(ctx, key, fields);
            delta
        }
    };
    ctx.modified(key);
    ctx.notify(notify::HASH, "hincrby", key);
    ctx.out.int(next);
}
