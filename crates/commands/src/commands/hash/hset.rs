//! HSET key field value [field value ...]

use super::{create_hash, write_hash, Fields};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if let Some(created) = set_fields(ctx, args) {
        ctx.out.int(created as i64);
    }
}

/// HSET and HMSET: stores every pair of `args[2..]`, returns how many fields are new
/// (None when an error was replied).
pub fn set_fields(ctx: &mut Ctx<'_>, args: &[&[u8]]) -> Option<usize> {
    if args.len() % 2 == 1 {
        ctx.err(&errors::wrong_arity(ctx.spec.name));
        return None;
    }
    let key = args[1];
    let pairs = args[2..].chunks_exact(2);
    let count = pairs.len();
    let db = ctx.db;
    let limits = ctx.settings.hash_pack;
    let created = match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return None,
        Ok(Some(fields)) => {
            let mut created = 0;
            for pair in pairs {
                created += fields.insert(pair[0], pair[1], limits) as usize;
            }
            created
        }
        Ok(None) => {
            let mut fields = Fields::new();
            for pair in pairs {
                fields.insert(pair[0], pair[1], limits);
            }
            let created = fields.len();
            create_hash(ctx, key, fields);
            created
        }
    };
    ctx.modified(key);
    ctx.dirty += count as u64 - 1;
    ctx.notify(notify::HASH, "hset", key);
    Some(created)
}
