//! XGROUP CREATE | SETID | DESTROY | CREATECONSUMER | DELCONSUMER | HELP
//!
//! Every subcommand but HELP names an existing stream (CREATE ... MKSTREAM creates
//! it) and, but for CREATE, an existing group.

use super::{create as create_stream, no_group_for_key, parse_id, parse_int, stream_mut};
use super::{write_stream, written};
use crate::args::is;
use crate::commands::server::{reply_help, subcommand_syntax_error};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use ferrocache_keyspace::stream::{Stream, StreamId, ENTRIES_READ_INVALID};

const NEEDS_KEY: &str = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() != 2 || !is(args[1], "help") {
        return subcommand_syntax_error(ctx, args);
    }
    reply_help(
        ctx,
        args,
        &[
            "CREATE <key> <groupname> <id|$> [option]",
            "    Create a new consumer group. Options are:",
            "    * MKSTREAM",
            "      Create the empty stream if it does not exist.",
            "    * ENTRIESREAD entries_read",
            "      Set the group's entries_read counter (internal use).",
            "CREATECONSUMER <key> <groupname> <consumer>",
            "    Create a new consumer in the specified group.",
            "DELCONSUMER <key> <groupname> <consumer>",
            "    Remove the specified consumer.",
            "DESTROY <key> <groupname>",
            "    Remove the specified group.",
            "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
            "    Set the current group ID and entries_read counter.",
        ],
    );
}

/// Options after the ID of CREATE (MKSTREAM, ENTRIESREAD) and SETID (ENTRIESREAD).
struct Options {
    mkstream: bool,
    entries_read: i64,
}

fn options(ctx: &mut Ctx<'_>, args: &[&[u8]], create: bool) -> Option<Options> {
    let mut parsed = Options {
        mkstream: false,
        entries_read: ENTRIES_READ_INVALID,
    };
    let mut i = 5;
    while i < args.len() {
        if create && is(args[i], "mkstream") {
            parsed.mkstream = true;
            i += 1;
        } else if is(args[i], "entriesread") && i + 1 < args.len() {
            let n = parse_int(ctx, args[i + 1])?;
            if n < 0 && n != ENTRIES_READ_INVALID {
                ctx.err("ERR value for ENTRIESREAD must be positive or -1");
                return None;
            }
            parsed.entries_read = n;
            i += 2;
        } else {
            subcommand_syntax_error(ctx, args);
            return None;
        }
    }
    Some(parsed)
}

/// The stream at `args[2]`, replying the errors redis-server gives: WRONGTYPE, a
/// missing key (unless `may_create`), a missing group when `needs_group`.
fn lookup<'k>(
    ctx: &'k mut Ctx<'_>,
    args: &[&[u8]],
    may_create: bool,
    needs_group: bool,
) -> Result<Option<&'k mut Stream>, Replied> {
    let db = ctx.db;
    let stream = write_stream(&mut ctx.keys, ctx.out, db, args[2])?;
    let missing_group = stream.as_ref().is_some_and(|s| s.group(args[3]).is_none());
    match stream {
        None if may_create => Ok(None),
        None => {
            ctx.out.error(NEEDS_KEY);
            Err(Replied)
        }
        Some(_) if needs_group && missing_group => {
            ctx.out.error(&no_group_for_key(args[2], args[3]));
            Err(Replied)
        }
        Some(stream) => Ok(Some(stream)),
    }
}

pub fn create(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 8 {
        return subcommand_syntax_error(ctx, args);
    }
    let Some(opts) = options(ctx, args, true) else {
        return;
    };
    let last_id = match lookup(ctx, args, opts.mkstream, false) {
        Err(Replied) => return,
        Ok(stream) => stream.map(|s| s.log().last_id),
    };
    let id = if args[4] == b"$" {
        last_id.unwrap_or(StreamId::MIN)
    } else {
        match parse_id(ctx, args[4], 0, true) {
            Some(id) => id,
            None => return,
        }
    };
    let key = args[2];
    if last_id.is_none() {
        create_stream(ctx, key);
        ctx.keys.touch_watched(ctx.db, key);
    }
    let Some(stream) = stream_mut(ctx, key) else {
        return;
    };
    if stream.create_group(args[3], id, opts.entries_read) {
        ctx.out.ok();
        written(ctx, key, "xgroup-create", 1);
    } else {
        ctx.err("BUSYGROUP Consumer Group name already exists");
    }
}

pub fn setid(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() != 5 && args.len() != 7 {
        return subcommand_syntax_error(ctx, args);
    }
    let Some(opts) = options(ctx, args, false) else {
        return;
    };
    let last_id = match lookup(ctx, args, false, true) {
        Err(Replied) => return,
        Ok(stream) => stream.map(|s| s.log().last_id).unwrap_or_default(),
    };
    let id = if args[4] == b"$" {
        last_id
    } else {
        match parse_id(ctx, args[4], 0, false) {
            Some(id) => id,
            None => return,
        }
    };
    let key = args[2];
    if let Some(group) = stream_mut(ctx, key).and_then(|s| s.group_mut(args[3])) {
        group.last_id = id;
        group.entries_read = opts.entries_read;
    }
    ctx.out.ok();
    written(ctx, key, "xgroup-setid", 1);
}

pub fn destroy(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Ok(stream) = lookup(ctx, args, false, false) else {
        return;
    };
    let removed = stream.is_some_and(|s| s.groups.remove(args[3]).is_some());
    if removed {
        ctx.out.int(1);
        written(ctx, args[2], "xgroup-destroy", 1);
        ctx.signal_ready(args[2]);
    } else {
        ctx.out.int(0);
    }
}

pub fn create_consumer(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if lookup(ctx, args, false, true).is_err() {
        return;
    }
    let now = ctx.keys.now_ms;
    let created = stream_mut(ctx, args[2])
        .and_then(|s| s.group_mut(args[3]))
        .is_some_and(|g| g.create_consumer(args[4], now));
    ctx.out.int(created as i64);
    if created {
        written(ctx, args[2], "xgroup-createconsumer", 1);
    }
}

pub fn del_consumer(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if lookup(ctx, args, false, true).is_err() {
        return;
    }
    let pending = stream_mut(ctx, args[2])
        .and_then(|s| s.group_mut(args[3]))
        .and_then(|g| g.delete_consumer(args[4]));
    ctx.out.int(pending.unwrap_or(0) as i64);
    if pending.is_some() {
        written(ctx, args[2], "xgroup-delconsumer", 1);
    }
}
