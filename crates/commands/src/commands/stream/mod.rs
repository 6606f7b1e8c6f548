//! Stream commands: XADD, XRANGE, XREVRANGE, XLEN, XDEL, XTRIM, XSETID, XREAD, the
//! consumer groups (XGROUP, XREADGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM) and XINFO.
//!
//! A stream is a [`Collection::Stream`] ([`Stream`]: nodes of packed entries plus its
//! consumer groups) owned by its item. Unlike the other collections, a stream that
//! becomes empty stays (its last ID and groups are state).
//!
//! XREAD and XREADGROUP with BLOCK wait like BLPOP (see `crate::blocking`): a waiting
//! reader is woken by any write to one of its keys and runs again; XREAD remembers
//! the IDs that `$` stood for when it first ran (in the client), so a wake-up only
//! serves entries added after that point.

use crate::commands::strings::{new_clock, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::stream::{Entry, NodeLimits, Stream, StreamId};
use ferrocache_keyspace::{Collection, Item, Locked};
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::Reply;

mod read;
mod xack;
mod xadd;
mod xautoclaim;
mod xclaim;
mod xdel;
mod xgroup;
mod xinfo;
mod xlen;
mod xpending;
mod xrange;
mod xread;
mod xreadgroup;
mod xrevrange;
mod xsetid;
mod xtrim;

#[cfg(test)]
mod tests;

const fn stream(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

const fn sub(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(2, 2, 1)
}

pub static XGROUP: &[CommandSpec] = &[
    sub("xgroup|create", -5, WRITE | DENYOOM, xgroup::create)
        .acl("write stream slow")
        .doc("stream", "5.0.0", "Create a consumer group."),
    sub(
        "xgroup|createconsumer",
        5,
        WRITE | DENYOOM,
        xgroup::create_consumer,
    )
    .acl("write stream slow")
    .doc("stream", "6.2.0", "Create a consumer in a consumer group."),
    sub("xgroup|delconsumer", 5, WRITE, xgroup::del_consumer)
        .acl("write stream slow")
        .doc(
            "stream",
            "5.0.0",
            "Delete a consumer from a consumer group.",
        ),
    sub("xgroup|destroy", 4, WRITE, xgroup::destroy)
        .acl("write stream slow")
        .doc("stream", "5.0.0", "Destroy a consumer group."),
    CommandSpec::new("xgroup|help", 2, LOADING | STALE, xgroup::help)
        .acl("stream slow")
        .doc(
            "stream",
            "5.0.0",
            "Show helpful text about the different subcommands",
        ),
    sub("xgroup|setid", -5, WRITE, xgroup::setid)
        .acl("write stream slow")
        .doc(
            "stream",
            "5.0.0",
            "Set a consumer group to an arbitrary last delivered ID value.",
        ),
];

pub static XINFO: &[CommandSpec] = &[
    sub("xinfo|consumers", 4, READONLY, xinfo::consumers)
        .acl("read stream slow")
        .doc("stream", "5.0.0", "List the consumers in a consumer group"),
    sub("xinfo|groups", 3, READONLY, xinfo::groups)
        .acl("read stream slow")
        .doc("stream", "5.0.0", "List the consumer groups of a stream"),
    CommandSpec::new("xinfo|help", 2, LOADING | STALE, xinfo::help)
        .acl("stream slow")
        .doc(
            "stream",
            "5.0.0",
            "Show helpful text about the different subcommands",
        ),
    sub("xinfo|stream", -3, READONLY, xinfo::stream)
        .acl("read stream slow")
        .doc("stream", "5.0.0", "Get information about a stream"),
];

pub static COMMANDS: &[CommandSpec] = &[
    stream("xack", -4, WRITE | FAST, xack::run).acl("write stream fast").doc("stream", "5.0.0", "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group."),
    stream("xadd", -5, WRITE | DENYOOM | FAST, xadd::run).acl("write stream fast").doc("stream", "5.0.0", "Appends a new entry to a stream"),
    stream("xautoclaim", -6, WRITE | FAST, xautoclaim::run).acl("write stream fast").doc("stream", "6.2.0", "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer."),
    stream("xclaim", -6, WRITE | FAST, xclaim::run).acl("write stream fast").doc("stream", "5.0.0", "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer."),
    stream("xdel", -3, WRITE | FAST, xdel::run).acl("write stream fast").doc("stream", "5.0.0", "Removes the specified entries from the stream."),
    CommandSpec::new("xgroup", -2, 0, xgroup::help).acl("slow").doc("stream", "5.0.0", "A container for consumer groups commands").subcommands(XGROUP),
    CommandSpec::new("xinfo", -2, 0, xinfo::help).acl("slow").doc("stream", "5.0.0", "A container for stream introspection commands").subcommands(XINFO),
    stream("xlen", 2, READONLY | FAST, xlen::run).acl("read stream fast").doc("stream", "5.0.0", "Return the number of entries in a stream"),
    stream("xpending", -3, READONLY, xpending::run).acl("read stream slow").doc("stream", "5.0.0", "Return information and entries from a stream consumer group pending entries list."),
    stream("xrange", -4, READONLY, xrange::run).acl("read stream slow").doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval"),
    CommandSpec::new("xread", -4, READONLY | BLOCKING | MOVABLEKEYS, xread::run).acl("read stream slow blocking").doc("stream", "5.0.0", "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.").lock(read::lock),
    CommandSpec::new("xreadgroup", -7, WRITE | BLOCKING | MOVABLEKEYS, xreadgroup::run).acl("write stream slow blocking").doc("stream", "5.0.0", "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.").lock(read::lock),
    stream("xrevrange", -4, READONLY, xrevrange::run).acl("read stream slow").doc("stream", "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order"),
    stream("xsetid", -3, WRITE | DENYOOM | FAST, xsetid::run).acl("write stream fast").doc("stream", "5.0.0", "An internal command for replicating stream values"),
    stream("xtrim", -4, WRITE, xtrim::run).acl("write stream slow").doc("stream", "5.0.0", "Trims the stream to (approximately if '~' is passed) a certain size"),
];

pub const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

/// `-NOGROUP No such key 'k' or consumer group 'g'` (+ `suffix`).
pub fn no_group(key: &[u8], group: &[u8], suffix: &str) -> String {
    format!(
        "NOGROUP No such key '{}' or consumer group '{}'{suffix}",
        String::from_utf8_lossy(key),
        String::from_utf8_lossy(group)
    )
}

/// `-NOGROUP No such consumer group 'g' for key name 'k'`
pub fn no_group_for_key(key: &[u8], group: &[u8]) -> String {
    format!(
        "NOGROUP No such consumer group '{}' for key name '{}'",
        String::from_utf8_lossy(group),
        String::from_utf8_lossy(key)
    )
}

fn parse_u64(text: &[u8]) -> Option<u64> {
    // redis-server's string2ull: digits only (a leading '-' or '+' is refused;
    // overflow is refused).
    if text.is_empty() || text.len() > 20 || !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// How an ID argument was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdArg {
    Id(StreamId),
    /// `<ms>-*` (only where `allow_ms_star`).
    MsStar(u64),
}

/// Parses `<ms>[-<seq>]`, `-` and `+` (unless `strict`), with a missing sequence
/// taken as `missing_seq`; `<ms>-*` too when `allow_ms_star`.
pub fn parse_id_arg(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    allow_ms_star: bool,
) -> Option<IdArg> {
    if arg.len() > 127 {
        return None;
    }
    match arg {
        b"-" | b"+" if strict => return None,
        b"-" => return Some(IdArg::Id(StreamId::MIN)),
        b"+" => return Some(IdArg::Id(StreamId::MAX)),
        _ => {}
    }
    match arg.iter().position(|&b| b == b'-') {
        None => Some(IdArg::Id(StreamId::new(parse_u64(arg)?, missing_seq))),
        Some(dash) => {
            let ms = parse_u64(&arg[..dash])?;
            let seq = &arg[dash + 1..];
            if allow_ms_star && seq == b"*" {
                return Some(IdArg::MsStar(ms));
            }
            Some(IdArg::Id(StreamId::new(ms, parse_u64(seq)?)))
        }
    }
}

/// A full ID argument (`-` and `+` allowed unless `strict`), or replies the error.
pub fn parse_id(ctx: &mut Ctx<'_>, arg: &[u8], missing_seq: u64, strict: bool) -> Option<StreamId> {
    match parse_id_arg(arg, missing_seq, strict, false) {
        Some(IdArg::Id(id)) => Some(id),
        _ => {
            ctx.err(INVALID_ID);
            None
        }
    }
}

/// A range bound: `(id` is exclusive. Start bounds take a missing sequence as 0, end
/// bounds as the maximum. Replies the error on failure.
pub fn parse_bound(ctx: &mut Ctx<'_>, arg: &[u8], is_end: bool) -> Option<StreamId> {
    let missing_seq = if is_end { u64::MAX } else { 0 };
    if arg.len() > 1 && arg[0] == b'(' {
        let id = parse_id(ctx, &arg[1..], missing_seq, true)?;
        let moved = if is_end { id.prev() } else { id.next() };
        if moved.is_none() {
            ctx.err(if is_end {
                "ERR invalid end ID for the interval"
            } else {
                "ERR invalid start ID for the interval"
            });
        }
        return moved;
    }
    parse_id(ctx, arg, missing_seq, false)
}

/// Parses an integer option value, replying `ERR value is not an integer...`.
pub fn parse_int(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<i64> {
    let n = parse_i64(arg);
    if n.is_none() {
        ctx.err(errors::NOT_INTEGER);
    }
    n
}

pub fn reply_id(out: &mut Reply, id: StreamId) {
    out.bulk(id.to_string().as_bytes());
}

/// `[id, [field, value, ...]]`
pub fn reply_entry(out: &mut Reply, id: StreamId, entry: Entry<'_>) {
    out.array(2);
    reply_id(out, id);
    out.array(entry.pairs_len() * 2);
    for item in entry.items() {
        out.bulk(item);
    }
}

/// Replies an array of the entries (at most `count`, 0: all) that `entries` walks
/// (called twice: to count, then to reply).
pub fn reply_entries<'a, I>(out: &mut Reply, entries: impl Fn() -> I, count: usize) -> usize
where
    I: Iterator<Item = (StreamId, Entry<'a>)>,
{
    let limit = if count == 0 { usize::MAX } else { count };
    let n = entries().take(limit).count();
    out.array(n);
    for (id, entry) in entries().take(n) {
        reply_entry(out, id, entry);
    }
    n
}

/// The stream an item holds, if it is one.
pub fn as_stream(item: &mut Item) -> Option<&mut Stream> {
    item.collection_as_mut::<Box<Stream>>()
        .map(|stream| &mut **stream)
}

/// Looks up a stream for reading (counts a hit or miss). Replies WRONGTYPE on
/// another type.
pub fn read_stream<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k mut Stream>, Replied> {
    crate::lookup::checked(keys.read(db, key, lfu), out)
        .map(|s| s.map(|s: &mut Box<Stream>| &mut **s))
}

/// Looks up a stream for writing. Replies WRONGTYPE on another type.
pub fn write_stream<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k mut Stream>, Replied> {
    crate::lookup::checked(keys.get(db, key), out).map(|s| s.map(|s: &mut Box<Stream>| &mut **s))
}

/// The stream at `key` (already checked to exist and be one).
pub fn stream_mut<'k>(ctx: &'k mut Ctx<'_>, key: &[u8]) -> Option<&'k mut Stream> {
    ctx.keys.get(ctx.db, key).and_then(as_stream)
}

/// Stores a new, empty stream under `key` (which does not exist).
pub fn create(ctx: &mut Ctx<'_>, key: &[u8]) {
    let clock = new_clock(ctx);
    let item = Item::new_collection(
        key,
        Box::new(Collection::Stream(Box::new(Stream::new()))),
        None,
        clock,
    );
    ctx.keys.insert(ctx.db, item);
}

/// The node limits in force.
pub fn node_limits(ctx: &Ctx<'_>) -> NodeLimits {
    let get = |name: &str, fallback: usize| {
        ctx.settings
            .get(name)
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(fallback)
    };
    NodeLimits {
        max_entries: get("stream-node-max-entries", 100),
        max_bytes: get("stream-node-max-bytes", 4096),
    }
}

/// Records a write to `key`: WATCH, dirty counter, and a stream keyspace event.
pub fn written(ctx: &mut Ctx<'_>, key: &[u8], event: &str, changes: u64) {
    ctx.keys.touch_watched(ctx.db, key);
    ctx.dirty += changes;
    ctx.notify(notify::STREAM, event, key);
}
