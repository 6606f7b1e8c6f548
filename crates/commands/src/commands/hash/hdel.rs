//! HDEL key field [field ...]

use super::write_hash;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let db = ctx.db;
    let (deleted, emptied) = match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(fields)) => {
            let mut deleted = 0u64;
            for field in &args[2..] {
                if fields.remove(field) {
                    deleted += 1;
                    if fields.is_empty() {
                        break;
                    }
                }
            }
            (deleted, fields.is_empty())
        }
    };
    if emptied {
        ctx.keys.remove(db, key);
    }
    if deleted > 0 {
        ctx.modified(key);
        ctx.dirty += deleted - 1;
        ctx.notify(notify::HASH, "hdel", key);
        if emptied {
            ctx.notify(notify::GENERIC, "del", key);
        }
    }
    ctx.out.int(deleted as i64);
}
