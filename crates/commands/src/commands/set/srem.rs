//! SREM key member [member ...]

use super::write_set;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let (deleted, emptied) = match write_set(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(set)) => {
            let mut deleted = 0;
            for member in &args[2..] {
                if set.remove(member) {
                    deleted += 1;
                    if set.is_empty() {
                        break;
                    }
                }
            }
            (deleted, set.is_empty())
        }
    };
    if emptied {
        ctx.keys.remove(ctx.db, key);
    }
    if deleted > 0 {
        ctx.modified(key);
        ctx.dirty += deleted as u64 - 1;
        ctx.notify(notify::SET, "srem", key);
        if emptied {
            ctx.notify(notify::GENERIC, "del", key);
        }
    }
    ctx.out.int(deleted as i64);
}
