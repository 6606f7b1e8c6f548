//! HSETNX key field value

use super::{create_hash, write_hash, Fields};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, field, value) = (args[1], args[2], args[3]);
    let db = ctx.db;
    let limits = ctx.settings.hash_pack;
    match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(fields)) => {
            if fields.contains_key(field) {
                return ctx.out.int(0);
            }
            fields.insert(field, value, limits);
        }
        Ok(None) => {
            let mut fields = Fields::new();
            fields.insert(field, value, limits);
            create_hash(ctx, key, fields);
        }
    }
    ctx.modified(key);
    ctx.notify(notify::HASH, "hset", key);
    ctx.out.int(1);
}
