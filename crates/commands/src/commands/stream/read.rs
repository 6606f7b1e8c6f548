//! What XREAD and XREADGROUP share: option parsing, key positions, serving and
//! blocking.
//!
//! A read runs in three steps so that nothing changes unless the whole command is
//! valid: resolve every key and ID (any error replies before anything is served),
//! then serve each stream (advancing groups, recording pending entries), then write
//! the reply from what was served.

use super::{as_stream, no_group, reply_entry, reply_id, INVALID_ID};
use crate::args::is;
use crate::blocking::{Block, TimeoutReply};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::StreamId;
use ferrocache_keyspace::{Keyspace, Kind, LockSet};
use ferrocache_protocol::number::parse_i64;
use std::sync::Arc;

/// How many entries a woken reader without COUNT gets at most (redis-server's).
const BLOCKED_DEFAULT_COUNT: usize = 1000;

/// Parsed options of XREAD / XREADGROUP.
pub struct ReadArgs<'a> {
    /// BLOCK milliseconds (0: forever); None without BLOCK.
    pub block_ms: Option<u64>,
    /// 0: no limit.
    pub count: usize,
    pub group: Option<(&'a [u8], &'a [u8])>,
    pub noack: bool,
    pub keys: &'a [&'a [u8]],
    pub ids: &'a [&'a [u8]],
}

/// Where the STREAMS keyword is, skipping option values as redis-server's
/// xreadGetKeys does.
fn streams_at(args: &[&[u8]]) -> Option<usize> {
    let mut i = 1;
    while i < args.len() {
        let arg = args[i];
        if is(arg, "block") || is(arg, "count") {
            i += 2;
        } else if is(arg, "group") {
            i += 3;
        } else if is(arg, "noack") {
            i += 1;
        } else if is(arg, "streams") {
            return Some(i);
        } else {
            return None;
        }
    }
    None
}

/// The keys' positions depend on the options: they are locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    let Some(at) = streams_at(args) else { return };
    let rest = args.len() - at - 1;
    if rest == 0 || !rest.is_multiple_of(2) {
        return;
    }
    for key in &args[at + 1..at + 1 + rest / 2] {
        ks.add_key(set, db, key);
    }
}

/// Parses the options, replying redis-server's error on failure.
pub fn parse<'a>(ctx: &mut Ctx<'_>, args: &'a [&'a [u8]], grouped: bool) -> Option<ReadArgs<'a>> {
    let mut parsed = ReadArgs {
        block_ms: None,
        count: 0,
        group: None,
        noack: false,
        keys: &[],
        ids: &[],
    };
    let mut streams = None;
    let mut i = 1;
    while i < args.len() {
        let more = args.len() - 1 - i;
        let opt = args[i];
        if is(opt, "block") && more > 0 {
            i += 1;
            match parse_i64(args[i]) {
                None => {
                    ctx.err("ERR timeout is not an integer or out of range");
                    return None;
                }
                Some(ms) if ms < 0 => {
                    ctx.err(errors::NEGATIVE_TIMEOUT);
                    return None;
                }
                Some(ms) => parsed.block_ms = Some(ms as u64),
            }
        } else if is(opt, "count") && more > 0 {
            i += 1;
            let Some(count) = parse_i64(args[i]) else {
                ctx.err(errors::NOT_INTEGER);
                return None;
            };
            parsed.count = usize::try_from(count.max(0)).unwrap_or(usize::MAX);
        } else if is(opt, "streams") && more > 0 {
            if !(args.len() - i - 1).is_multiple_of(2) {
                ctx.err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.");
                return None;
            }
            streams = Some(i + 1);
            break;
        } else if is(opt, "group") && more >= 2 {
            if !grouped {
                ctx.err("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
                return None;
            }
            parsed.group = Some((args[i + 1], args[i + 2]));
            i += 2;
        } else if is(opt, "noack") {
            if !grouped {
                ctx.err("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
                return None;
            }
            parsed.noack = true;
        } else {
            ctx.err(errors::SYNTAX);
            return None;
        }
        i += 1;
    }
    let Some(first) = streams else {
        ctx.err(errors::SYNTAX);
        return None;
    };
    if grouped && parsed.group.is_none() {
        ctx.err("ERR Missing GROUP option for XREADGROUP");
        return None;
    }
    let n = (args.len() - first) / 2;
    parsed.keys = &args[first..first + n];
    parsed.ids = &args[first + n..];
    Some(parsed)
}

/// What a read does with one stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// Entries after this ID.
    After(StreamId),
    /// XREADGROUP `>`: entries the group has not delivered yet.
    New,
}

/// Runs XREAD (`grouped` false) or XREADGROUP.
pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]], grouped: bool) {
    let Some(parsed) = parse(ctx, args, grouped) else {
        return;
    };
    let woken = ctx.client.woken_from_block;
    let (db, lfu) = (ctx.db, ctx.lfu());
    let remembered = std::mem::take(&mut ctx.client.stream_read_ids);
    let use_remembered = woken && !grouped && remembered.len() == parsed.keys.len();

    // 1. Resolve keys, groups and IDs.
    let mut starts = Vec::with_capacity(parsed.keys.len());
    for (index, (&key, &id_arg)) in parsed.keys.iter().zip(parsed.ids).enumerate() {
        let item = ctx.keys.read(db, key, lfu);
        let kind = item.as_ref().map(|i| i.kind());
        let mut stream = match item {
            Some(item) if item.kind() == Kind::Stream => as_stream(item),
            _ => None,
        };
        if kind.is_some_and(|k| k != Kind::Stream) {
            if woken && grouped {
                return ctx.err("UNBLOCKED the stream key no longer exists");
            }
            if !woken {
                return ctx.err(errors::WRONGTYPE);
            }
        }
        if let Some((group, _)) = parsed.group {
            let has_group = stream.as_mut().is_some_and(|s| s.group(group).is_some());
            if !has_group {
                let text = if !woken {
                    no_group(key, group, " in XREADGROUP with GROUP option")
                } else if stream.is_none() {
                    "UNBLOCKED the stream key no longer exists".to_string()
                } else {
                    "NOGROUP the consumer group this client was blocked on no longer exists"
                        .to_string()
                };
                return ctx.err(&text);
            }
        }
        let start = if use_remembered {
            Start::After(remembered[index])
        } else if id_arg == b"$" {
            if grouped {
                return ctx.err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.");
            }
            Start::After(stream.map_or(StreamId::MIN, |s| s.log().last_id))
        } else if id_arg == b">" {
            if !grouped {
                return ctx.err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
            }
            Start::New
        } else {
            match super::parse_id_arg(id_arg, 0, true, false) {
                Some(super::IdArg::Id(id)) => Start::After(id),
                _ => return ctx.err(INVALID_ID),
            }
        };
        starts.push(start);
    }

    // 2. Serve what can be served now.
    let count = if woken && parsed.count == 0 {
        BLOCKED_DEFAULT_COUNT
    } else {
        parsed.count
    };
    let now = ctx.keys.now_ms;
    // Per served stream: its index and the IDs to reply (a deleted entry replies nil).
    let mut served: Vec<(usize, Vec<StreamId>)> = Vec::new();
    for (index, &key) in parsed.keys.iter().enumerate() {
        let Some(stream) = ctx.keys.get(db, key).and_then(as_stream) else {
            continue;
        };
        match (parsed.group, starts[index]) {
            (None, Start::After(after)) => {
                if stream.log().last_live().is_some_and(|last| last > after) {
                    let ids = match after.next() {
                        Some(from) => stream
                            .log()
                            .range(from, StreamId::MAX)
                            .take(if count == 0 { usize::MAX } else { count })
                            .map(|(id, _)| id)
                            .collect(),
                        None => Vec::new(),
                    };
                    served.push((index, ids));
                }
            }
            (None, Start::New) => {}
            (Some((group, consumer)), Start::New) => {
                let last = stream.group(group).map(|g| g.last_id).unwrap_or_default();
                if stream.log().last_live().is_some_and(|top| top > last) {
                    let consumer = make_consumer(ctx, key, group, consumer);
                    let Some(stream) = ctx.keys.get(db, key).and_then(as_stream) else {
                        continue;
                    };
                    let ids = stream.deliver_new(group, &consumer, count, parsed.noack, now);
                    served.push((index, ids));
                    ctx.keys.touch_watched(db, key);
                    ctx.dirty += 1;
                }
            }
            (Some((group, consumer)), Start::After(after)) => {
                let consumer = make_consumer(ctx, key, group, consumer);
                let Some(stream) = ctx.keys.get(db, key).and_then(as_stream) else {
                    continue;
                };
                let history = history(stream, group, &consumer, after, count, now);
                served.push((index, history));
                ctx.keys.touch_watched(db, key);
                ctx.dirty += 1;
            }
        }
    }

    // 3. Reply.
    if served.is_empty() {
        return nothing_served(ctx, &parsed, &starts);
    }
    if ctx.out.is_resp3() {
        ctx.out.map(served.len());
    } else {
        ctx.out.array(served.len());
    }
    for (index, ids) in &served {
        let key = parsed.keys[*index];
        if !ctx.out.is_resp3() {
            ctx.out.array(2);
        }
        ctx.out.bulk(key);
        let Some(stream) = ctx.keys.get(db, key).and_then(as_stream) else {
            ctx.out.array(0);
            continue;
        };
        ctx.out.array(ids.len());
        for &id in ids {
            match stream.log().get(id) {
                Some(entry) => reply_entry(ctx.out, id, entry),
                None => {
                    ctx.out.array(2);
                    reply_id(ctx.out, id);
                    ctx.out.null_array();
                }
            }
        }
    }
}
/// The consumer of a group, created if missing (a write, with its keyspace event).
fn make_consumer(ctx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8]) -> Arc<[u8]> {
    let now = ctx.keys.now_ms;
    let Some(group) = ctx
        .keys
        .get(ctx.db, key)
        .and_then(as_stream)
        .and_then(|s| s.group_mut(group))
    else {
        return consumer.into();
    };
    let (name, created) = group.consumer(consumer, now);
    if created {
        ctx.dirty += 1;
        ctx.notify(crate::config::notify::STREAM, "xgroup-createconsumer", key);
    }
    name
}

/// A consumer's pending entries after `after` (at most `count`, 0: all); those still
/// in the stream count as delivered again.
fn history(
    stream: &mut ferrocache_keyspace::stream::Stream,
    group: &[u8],
    consumer: &Arc<[u8]>,
    after: StreamId,
    count: usize,
    now: u64,
) -> Vec<StreamId> {
    let (log, groups) = stream.parts_mut();
    let Some(group) = groups.get_mut(group) else {
        return Vec::new();
    };
    let Some(from) = after.next() else {
        return Vec::new();
    };
    let Some(owner) = group.consumers.get(consumer) else {
        return Vec::new();
    };
    let ids: Vec<StreamId> = owner
        .pel
        .range(from..)
        .take(if count == 0 { usize::MAX } else { count })
        .copied()
        .collect();
    for &id in &ids {
        if log.contains(id) {
            if let Some(nack) = group.pel.get_mut(&id) {
                nack.delivery_time = now;
                nack.delivery_count += 1;
            }
        }
    }
    ids
}

/// Nothing to serve: block (BLOCK given, outside a transaction), or reply nil.
fn nothing_served(ctx: &mut Ctx<'_>, parsed: &ReadArgs<'_>, starts: &[Start]) {
    let Some(block_ms) = parsed.block_ms else {
        return ctx.out.null_array();
    };
    if ctx.in_exec {
        return ctx.out.null_array();
    }
    ctx.client.stream_read_ids = starts
        .iter()
        .map(|s| match s {
            Start::After(id) => *id,
            Start::New => StreamId::MAX,
        })
        .collect();
    let deadline = (block_ms > 0)
        .then(|| std::time::Instant::now() + std::time::Duration::from_millis(block_ms));
    ctx.block = Some(Block {
        keys: parsed.keys.iter().map(|k| (ctx.db, k.to_vec())).collect(),
        deadline,
        on_timeout: TimeoutReply::NullArray,
        wake_all: true,
    });
}
