//! HSETNX key field value

use super::{create_hash, write_hash, Fields};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, field, value) = (args[1], args[2], args[3]);
    let db = ctx.db;
    match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(fields)) => {
            if fields.contains_key(field) {
                return ctx.out.int(0);
            }
            fields.insert(field.to_vec(), value.to_vec());
        }
        Ok(None) => {
            let mut fields = Fields::with_capacity(1);
            fields.insert(field.to_vec(), value.to_vec());
            create_hash(ctx, key, fields);
        }
    }
    ctx.modified(key);
    ctx.notify(notify::HASH, "hset", key);
    ctx.out.int(1);
}
