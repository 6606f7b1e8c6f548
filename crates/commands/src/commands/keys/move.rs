//! MOVE key db

use super::{db_index, SAME_OBJECT};
use crate::config::notify;
use crate::ctx::{notify_keyspace, Ctx};
use ferrocache_keyspace::{Keyspace, LockSet};

/// Adds the key's stripe in the destination database to the lock set.
pub fn lock(ks: &Keyspace, _db: usize, args: &[&[u8]], set: &mut LockSet) {
    if let Ok(target) = db_index(args[2], ks.databases()) {
        ks.add_key(set, target, args[1]);
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let target = match db_index(args[2], ctx.node.keyspace.databases()) {
        Ok(target) => target,
        Err(e) => return ctx.err(&e),
    };
    let db = ctx.db;
    if target == db {
        return ctx.err(SAME_OBJECT);
    }
    if ctx.keys.get(db, key).is_none() || ctx.keys.exists(target, key) {
        return ctx.out.int(0);
    }
    let Some(item) = ctx.keys.remove(db, key) else {
        return ctx.out.int(0);
    };
    // The item (value, TTL, access clock) moves as it is.
    ctx.keys.insert(target, item);
    ctx.modified(key);
    ctx.keys.touch_watched(target, key);
    notify_keyspace(ctx.node, db, notify::GENERIC, "move_from", key);
    notify_keyspace(ctx.node, target, notify::GENERIC, "move_to", key);
    ctx.out.int(1);
}
