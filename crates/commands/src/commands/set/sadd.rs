//! SADD key member [member ...]

use super::{new_set_item, write_set, Set};
use crate::commands::strings::{new_clock, Replied};
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let members = &args[2..];
    let clock = new_clock(ctx);
    let max_ints = ctx.settings.intset_entries;
    let added = match write_set(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(Some(set)) => add_all(set, members, max_ints),
        Ok(None) => {
            let mut set = Set::new();
            let added = add_all(&mut set, members, max_ints);
            ctx.keys.insert(ctx.db, new_set_item(key, set, clock));
            added
        }
    };
    if added > 0 {
        ctx.modified(key);
        ctx.dirty += added as u64 - 1;
        ctx.notify(notify::SET, "sadd", key);
    }
    ctx.out.int(added as i64);
}

/// Adds each member not yet present; returns how many were added.
fn add_all(set: &mut Set, members: &[&[u8]], max_ints: usize) -> usize {
    members.iter().filter(|m| set.insert(m, max_ints)).count()
}
