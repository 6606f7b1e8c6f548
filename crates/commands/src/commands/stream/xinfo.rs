//! XINFO STREAM key [FULL [COUNT count]] | GROUPS key | CONSUMERS key group | HELP

use super::{no_group_for_key, read_stream, reply_entries, reply_entry, reply_id};
use crate::args::is;
use crate::commands::server::{reply_help, subcommand_syntax_error};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::{Group, Log, Stream, StreamId, ENTRIES_READ_INVALID};
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::Reply;

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() != 2 || !is(args[1], "help") {
        return subcommand_syntax_error(ctx, args);
    }
    reply_help(
        ctx,
        args,
        &[
            "CONSUMERS <key> <groupname>",
            "    Show consumers of <groupname>.",
            "GROUPS <key>",
            "    Show the stream consumer groups.",
            "STREAM <key> [FULL [COUNT <count>]",
            "    Show information about the stream.",
        ],
    );
}

/// The stream at `args[2]` and the reply buffer, after replying `ERR no such key`
/// or WRONGTYPE when there is none.
fn lookup<'k>(ctx: &'k mut Ctx<'_>, args: &[&[u8]]) -> Option<(&'k Stream, &'k mut Reply)> {
    let (db, lfu) = (ctx.db, ctx.lfu());
    match read_stream(&mut ctx.keys, ctx.out, db, args[2], lfu) {
        Err(Replied) => None,
        Ok(None) => {
            ctx.out.error(errors::NO_SUCH_KEY);
            None
        }
        Ok(Some(stream)) => Some((stream, &mut *ctx.out)),
    }
}

fn entries_read(out: &mut Reply, group: &Group) {
    if group.entries_read == ENTRIES_READ_INVALID {
        out.null();
    } else {
        out.int(group.entries_read);
    }
}

fn lag(out: &mut Reply, log: &Log, group: &Group) {
    match log.lag(group) {
        Some(lag) => out.int(lag),
        None => out.null(),
    }
}

pub fn consumers(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let now = ctx.keys.now_ms;
    let Some((stream, out)) = lookup(ctx, args) else {
        return;
    };
    let Some(group) = stream.group(args[3]) else {
        return out.error(&no_group_for_key(args[2], args[3]));
    };
    out.array(group.consumers.len());
    for consumer in group.consumers.values() {
        out.map(3);
        out.bulk(b"name");
        out.bulk(&consumer.name);
        out.bulk(b"pending");
        out.int(consumer.pel.len() as i64);
        out.bulk(b"idle");
        out.int((now as i64 - consumer.seen_time as i64).max(0));
    }
}

pub fn groups(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some((stream, out)) = lookup(ctx, args) else {
        return;
    };
    out.array(stream.groups.len());
    for (name, group) in &stream.groups {
        out.map(6);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"consumers");
        out.int(group.consumers.len() as i64);
        out.bulk(b"pending");
        out.int(group.pel.len() as i64);
        out.bulk(b"last-delivered-id");
        reply_id(out, group.last_id);
        out.bulk(b"entries-read");
        entries_read(out, group);
        out.bulk(b"lag");
        lag(out, stream.log(), group);
    }
}

pub fn stream(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let options = &args[3..];
    let mut full = false;
    let mut count: usize = 10;
    if !options.is_empty() {
        if (options.len() != 1 && options.len() != 3) || !is(options[0], "full") {
            return subcommand_syntax_error(ctx, args);
        }
        full = true;
        if options.len() == 3 {
            if !is(options[1], "count") {
                return subcommand_syntax_error(ctx, args);
            }
            let Some(n) = parse_i64(options[2]) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            count = if n < 0 { 10 } else { n as usize };
        }
    }
    let Some((stream, out)) = lookup(ctx, args) else {
        return;
    };
    let log = stream.log();
    out.map(if full { 9 } else { 10 });
    out.bulk(b"length");
    out.int(log.len() as i64);
    out.bulk(b"radix-tree-keys");
    out.int(log.node_count() as i64);
    out.bulk(b"radix-tree-nodes");
    // The nodes of a radix tree holding that many 16-byte keys, about.
    out.int(if log.node_count() == 0 {
        1
    } else {
        log.node_count() as i64 + 1
    });
    out.bulk(b"last-generated-id");
    reply_id(out, log.last_id);
    out.bulk(b"max-deleted-entry-id");
    reply_id(out, log.max_deleted_id);
    out.bulk(b"entries-added");
    out.int(log.entries_added as i64);
    out.bulk(b"recorded-first-entry-id");
    reply_id(out, log.first_id);
    if !full {
        out.bulk(b"groups");
        out.int(stream.groups.len() as i64);
        out.bulk(b"first-entry");
        match log.range(StreamId::MIN, StreamId::MAX).next() {
            Some((id, entry)) => reply_entry(out, id, entry),
            None => out.null(),
        }
        out.bulk(b"last-entry");
        match log.range_rev(StreamId::MIN, StreamId::MAX).next() {
            Some((id, entry)) => reply_entry(out, id, entry),
            None => out.null(),
        }
        return;
    }
    let limit = if count == 0 { usize::MAX } else { count };
    out.bulk(b"entries");
    reply_entries(out, || log.range(StreamId::MIN, StreamId::MAX), count);
    out.bulk(b"groups");
    out.array(stream.groups.len());
    for (name, group) in &stream.groups {
        out.map(7);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"last-delivered-id");
        reply_id(out, group.last_id);
        out.bulk(b"entries-read");
        entries_read(out, group);
        out.bulk(b"lag");
        lag(out, log, group);
        out.bulk(b"pel-count");
        out.int(group.pel.len() as i64);
        out.bulk(b"pending");
        out.array(group.pel.len().min(limit));
        for (&id, nack) in group.pel.iter().take(limit) {
            out.array(4);
            reply_id(out, id);
            out.bulk(&nack.consumer);
            out.int(nack.delivery_time as i64);
            out.int(nack.delivery_count as i64);
        }
        out.bulk(b"consumers");
        out.array(group.consumers.len());
        for consumer in group.consumers.values() {
            out.map(4);
            out.bulk(b"name");
            out.bulk(&consumer.name);
            out.bulk(b"seen-time");
            out.int(consumer.seen_time as i64);
            out.bulk(b"pel-count");
            out.int(consumer.pel.len() as i64);
            out.bulk(b"pending");
            out.array(consumer.pel.len().min(limit));
            for id in consumer.pel.iter().take(limit) {
                let nack = group.pel.get(id);
                out.array(3);
                reply_id(out, *id);
                out.int(nack.map_or(0, |n| n.delivery_time as i64));
                out.int(nack.map_or(0, |n| n.delivery_count as i64));
            }
        }
    }
}
