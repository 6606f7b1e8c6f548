//! SMOVE source destination member

use super::{new_set_item, write_set, Set};
use crate::commands::strings::{new_clock, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::Kind;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (source, destination, member) = (args[1], args[2], args[3]);
    let db = ctx.db;
    let source_kind = ctx.keys.get(db, source).map(|item| item.kind());
    let destination_kind = ctx.keys.get(db, destination).map(|item| item.kind());
    let Some(source_kind) = source_kind else {
        return ctx.out.int(0);
    };
    if source_kind != Kind::Set || destination_kind.is_some_and(|k| k != Kind::Set) {
        return ctx.err(errors::WRONGTYPE);
    }
    if source == destination {
        let present = match write_set(&mut ctx.keys, ctx.out, db, source) {
            Ok(Some(set)) => set.contains(member),
            Ok(None) => false,
            Err(Replied) => return,
        };
        return ctx.out.int(present as i64);
    }
    let emptied = match write_set(&mut ctx.keys, ctx.out, db, source) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(set)) => {
            if !set.remove(member) {
                return ctx.out.int(0);
            }
            set.is_empty()
        }
    };
    ctx.notify(notify::SET, "srem", source);
    if emptied {
        ctx.keys.remove(db, source);
        ctx.notify(notify::GENERIC, "del", source);
    }
    let clock = new_clock(ctx);
    let max_ints = ctx.settings.intset_entries;
    let added = match write_set(&mut ctx.keys, ctx.out, db, destination) {
        Err(Replied) => return,
        Ok(Some(set)) => set.insert(member, max_ints),
        Ok(None) => {
            let mut set = Set::new();
            set.insert(member, max_ints);
            ctx.keys.insert(db, new_set_item(destination, set, clock));
            true
        }
    };
    ctx.modified(source);
    if added {
        ctx.modified(destination);
        ctx.notify(notify::SET, "sadd", destination);
    }
    ctx.out.int(1);
}
