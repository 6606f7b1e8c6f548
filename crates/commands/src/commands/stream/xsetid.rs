//! XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
//!
//! Sets a stream's last ID (and its added-entries counter and greatest deleted ID),
//! as replication and AOF rewriting use it.

use super::{parse_id, parse_int, write_stream, written};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::StreamId;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(id) = parse_id(ctx, args[2], 0, true) else {
        return;
    };
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < args.len() {
        let more = args.len() - 1 - i;
        if is(args[i], "entriesadded") && more > 0 {
            let Some(n) = parse_int(ctx, args[i + 1]) else {
                return;
            };
            if n < 0 {
                return ctx.err("ERR entries_added must be positive");
            }
            entries_added = Some(n as u64);
        } else if is(args[i], "maxdeletedid") && more > 0 {
            let Some(deleted) = parse_id(ctx, args[i + 1], 0, true) else {
                return;
            };
            if id < deleted {
                return ctx.err(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                );
            }
            max_deleted = deleted;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 2;
    }
    let key = args[1];
    let db = ctx.db;
    let stream = match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.err(errors::NO_SUCH_KEY),
        Ok(Some(stream)) => stream,
    };
    let log = stream.log_mut();
    if !log.is_empty() {
        if id < log.last_live().unwrap_or_default() {
            return ctx
                .err("ERR The ID specified in XSETID is smaller than the target stream top item");
        }
        if entries_added.is_some_and(|n| log.len() > n) {
            return ctx.err(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            );
        }
    }
    log.last_id = id;
    if let Some(n) = entries_added {
        log.entries_added = n;
    }
    if !max_deleted.is_zero() {
        log.max_deleted_id = max_deleted;
    }
    ctx.out.ok();
    written(ctx, key, "xsetid", 1);
}
