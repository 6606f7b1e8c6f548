//! COPY source destination [DB destination-db] [REPLACE]

use super::{db_index, SAME_OBJECT};
use crate::args::is;
use crate::commands::strings::new_clock;
use crate::config::notify;
use crate::ctx::{notify_keyspace, Ctx};
use crate::errors;
use ferrocache_keyspace::{Keyspace, LockSet};

/// COPY's options: the destination database (None: the current one) and REPLACE.
/// Errors come in argument order, as redis-server checks them.
pub fn parse(args: &[&[u8]], databases: usize) -> Result<(Option<usize>, bool), String> {
    let mut target = None;
    let mut replace = false;
    let mut i = 3;
    while i < args.len() {
        if is(args[i], "replace") {
            replace = true;
        } else if is(args[i], "db") && i + 1 < args.len() {
            target = Some(db_index(args[i + 1], databases)?);
            i += 1;
        } else {
            return Err(errors::SYNTAX.to_string());
        }
        i += 1;
    }
    Ok((target, replace))
}

/// Adds the destination key's stripe in the destination database to the lock set.
pub fn lock(ks: &Keyspace, _db: usize, args: &[&[u8]], set: &mut LockSet) {
    if let Ok((Some(target), _)) = parse(args, ks.databases()) {
        ks.add_key(set, target, args[2]);
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (source, destination) = (args[1], args[2]);
    let (target, replace) = match parse(args, ctx.node.keyspace.databases()) {
        Ok(options) => options,
        Err(e) => return ctx.err(&e),
    };
    let db = ctx.db;
    let target = target.unwrap_or(db);
    if target == db && source == destination {
        return ctx.err(SAME_OBJECT);
    }
    // The copy is a new value: it starts with a fresh access clock.
    let clock = new_clock(ctx);
    let lfu = ctx.lfu();
    if ctx.keys.read(db, source, lfu).is_none() {
        return ctx.out.int(0);
    }
    if ctx.keys.exists(target, destination) && !replace {
        return ctx.out.int(0);
    }
    let Some(mut copy) = ctx
        .keys
        .get(db, source)
        .map(|item| item.with_key(destination))
    else {
        return ctx.out.int(0);
    };
    copy.set_clock(clock);
    ctx.keys.insert(target, copy);
    ctx.keys.touch_watched(target, destination);
    ctx.dirty += 1;
    notify_keyspace(ctx.node, target, notify::GENERIC, "copy_to", destination);
    ctx.out.int(1);
}
