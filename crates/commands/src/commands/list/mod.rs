//! List commands: pushes and pops at both ends, indexed access, ranges, trimming,
//! searching, moves between lists, and the blocking pops.
//!
//! A list is a [`Collection::List`] owned by its item. A list never exists empty: the
//! command that removes its last element deletes the key (and publishes `del`), as
//! redis-server does.
//!
//! The blocking commands (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP) do not block yet:
//! when there is something to pop they behave as their non-blocking form; when there
//! is nothing, they reply at once as if their timeout had expired (see
//! [`time_out`]).

use crate::blocking::{Block, TimeoutReply};
use crate::commands::strings::{new_clock, Replied};
use crate::ctx::Ctx;
use crate::errors;
use crate::long_double;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::{Collection, Item, Keyspace, LockSet, Locked};
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::Reply;

mod blmove;
mod blmpop;
mod blpop;
mod brpop;
mod brpoplpush;
mod lindex;
mod linsert;
mod llen;
mod lmove;
mod lmpop;
mod lpop;
mod lpos;
mod lpush;
mod lpushx;
mod lrange;
mod lrem;
mod lset;
mod ltrim;
mod rpop;
mod rpoplpush;
mod rpush;
mod rpushx;

#[cfg(test)]
mod tests;

/// The value of a list key.
pub type List = ferrocache_keyspace::packedlist::PackedList;

const fn list(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    list("lpush", -3, WRITE | DENYOOM | FAST, lpush::run).acl("write list fast").doc("list", "1.0.0", "Prepend one or multiple elements to a list"),
    list("rpush", -3, WRITE | DENYOOM | FAST, rpush::run).acl("write list fast").doc("list", "1.0.0", "Append one or multiple elements to a list"),
    list("lpushx", -3, WRITE | DENYOOM | FAST, lpushx::run).acl("write list fast").doc("list", "2.2.0", "Prepend an element to a list, only if the list exists"),
    list("rpushx", -3, WRITE | DENYOOM | FAST, rpushx::run).acl("write list fast").doc("list", "2.2.0", "Append an element to a list, only if the list exists"),
    list("lpop", -2, WRITE | FAST, lpop::run).acl("write list fast").doc("list", "1.0.0", "Remove and get the first elements in a list"),
    list("rpop", -2, WRITE | FAST, rpop::run).acl("write list fast").doc("list", "1.0.0", "Remove and get the last elements in a list"),
    list("llen", 2, READONLY | FAST, llen::run).acl("read list fast").doc("list", "1.0.0", "Get the length of a list"),
    list("lindex", 3, READONLY, lindex::run).acl("read list slow").doc("list", "1.0.0", "Get an element from a list by its index"),
    list("lset", 4, WRITE | DENYOOM, lset::run).acl("write list slow").doc("list", "1.0.0", "Set the value of an element in a list by its index"),
    list("lrange", 4, READONLY, lrange::run).acl("read list slow").doc("list", "1.0.0", "Get a range of elements from a list"),
    list("ltrim", 4, WRITE, ltrim::run).acl("write list slow").doc("list", "1.0.0", "Trim a list to the specified range"),
    list("lrem", 4, WRITE, lrem::run).acl("write list slow").doc("list", "1.0.0", "Remove elements from a list"),
    list("linsert", 5, WRITE | DENYOOM, linsert::run).acl("write list slow").doc("list", "2.2.0", "Insert an element before or after another element in a list"),
    list("lpos", -3, READONLY, lpos::run).acl("read list slow").doc("list", "6.0.6", "Return the index of matching elements on a list"),
    list("lmove", 5, WRITE | DENYOOM, lmove::run).keys(1, 2, 1).acl("write list slow").doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it"),
    list("rpoplpush", 3, WRITE | DENYOOM, rpoplpush::run).keys(1, 2, 1).acl("write list slow").doc("list", "1.2.0", "Remove the last element in a list, prepend it to another list and return it"),
    CommandSpec::new("lmpop", -4, WRITE | MOVABLEKEYS, lmpop::run).acl("write list slow").doc("list", "7.0.0", "Pop elements from a list").lock(lmpop::lock),
    list("blpop", -3, WRITE | NOSCRIPT | BLOCKING, blpop::run).keys(1, -2, 1).acl("write list slow blocking").doc("list", "2.0.0", "Remove and get the first element in a list, or block until one is available"),
    list("brpop", -3, WRITE | NOSCRIPT | BLOCKING, brpop::run).keys(1, -2, 1).acl("write list slow blocking").doc("list", "2.0.0", "Remove and get the last element in a list, or block until one is available"),
    list("blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, blmove::run).keys(1, 2, 1).acl("write list slow blocking").doc("list", "6.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available"),
    list("brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, brpoplpush::run).keys(1, 2, 1).acl("write list slow blocking").doc("list", "2.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available"),
    CommandSpec::new("blmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, blmpop::run).acl("write list slow blocking").doc("list", "7.0.0", "Pop elements from a list, or block until one is available").lock(blmpop::lock),
];

/// `ERR value is out of range, must be positive` (LPOP/RPOP count).
pub const NOT_POSITIVE: &str = "ERR value is out of range, must be positive";
pub const INDEX_RANGE: &str = "ERR index out of range";
pub const TIMEOUT_NOT_FLOAT: &str = "ERR timeout is not a float or out of range";

/// One end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

impl End {
    /// `LEFT` or `RIGHT`, case-insensitively.
    pub fn parse(arg: &[u8]) -> Option<End> {
        if arg.eq_ignore_ascii_case(b"left") {
            Some(End::Left)
        } else if arg.eq_ignore_ascii_case(b"right") {
            Some(End::Right)
        } else {
            None
        }
    }

    pub fn pop_event(self) -> &'static str {
        match self {
            End::Left => "lpop",
            End::Right => "rpop",
        }
    }

    pub fn push_event(self) -> &'static str {
        match self {
            End::Left => "lpush",
            End::Right => "rpush",
        }
    }

    /// The command a pop at this end is propagated as.
    pub fn pop_command(self) -> &'static [u8] {
        match self {
            End::Left => b"LPOP",
            End::Right => b"RPOP",
        }
    }

    pub fn pop(self, list: &mut List) -> Option<Vec<u8>> {
        match self {
            End::Left => list.pop_front(),
            End::Right => list.pop_back(),
        }
    }

    pub fn push(self, list: &mut List, value: &[u8]) {
        match self {
            End::Left => list.push_front(value),
            End::Right => list.push_back(value),
        }
    }
}

/// The list an item holds, if it is one.
pub fn as_list(item: &mut Item) -> Option<&mut List> {
    item.collection_as_mut()
}

/// Looks up a list for reading (counts a hit or miss, refreshes the access clock).
/// Replies WRONGTYPE and returns Err when the key holds another type. Takes the
/// context's parts so the list can be used while the reply is written.
pub fn read_list<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k mut List>, Replied> {
    crate::lookup::checked(keys.read(db, key, lfu), out)
}

/// Looks up a list for writing (no hit/miss). Replies WRONGTYPE on another type.
pub fn write_list<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k mut List>, Replied> {
    crate::lookup::checked(keys.get(db, key), out)
}

/// Stores a new list under `key` (which does not exist).
pub fn create(ctx: &mut Ctx<'_>, key: &[u8], list: List) {
    let clock = new_clock(ctx);
    let item = Item::new_collection(key, Box::new(Collection::List(list)), None, clock);
    ctx.keys.insert(ctx.db, item);
    ctx.signal_ready(key);
}

/// Records a write to `key`: signals WATCH and counts `changes` toward the dirty
/// counter (redis-server counts one per element pushed or removed; a command that
/// counted nothing is not propagated).
pub fn written(ctx: &mut Ctx<'_>, key: &[u8], changes: u64) {
    ctx.keys.touch_watched(ctx.db, key);
    ctx.dirty += changes;
}

/// After elements were removed from `key`: deletes the key if its list is now empty,
/// publishing `del`, or gives back memory when the list has shrunk well below what
/// it holds room for. True when the key was deleted.
pub fn delete_if_empty(ctx: &mut Ctx<'_>, key: &[u8]) -> bool {
    let Some(list) = ctx.keys.get(ctx.db, key).and_then(as_list) else {
        return false;
    };
    if !list.is_empty() {
        // What is left may serve the next client blocked on this key.
        ctx.signal_ready(key);
        return false;
    }
    ctx.keys.remove(ctx.db, key);
    ctx.notify(crate::config::notify::GENERIC, "del", key);
    true
}

/// Pops up to `count` elements from `end` of the list at `key` (which exists and is a
/// list), replying them as an array in pop order, then publishes the pop, deletes the
/// key when emptied and records the write. Returns how many were popped.
pub fn pop_range(ctx: &mut Ctx<'_>, key: &[u8], end: End, count: u64) -> usize {
    let Some(list) = ctx.keys.get(ctx.db, key).and_then(as_list) else {
        ctx.out.array(0);
        return 0;
    };
    // Bounded by the list's length, never by the client's count.
    let popped = count.min(list.len() as u64) as usize;
    ctx.out.array(popped);
    for _ in 0..popped {
        match end.pop(list) {
            Some(value) => ctx.out.bulk(&value),
            None => break,
        }
    }
    ctx.notify(crate::config::notify::LIST, end.pop_event(), key);
    delete_if_empty(ctx, key);
    written(ctx, key, popped as u64);
    popped
}

/// Moves one element from `source` to `destination` (LMOVE, RPOPLPUSH and their
/// blocking forms when the source has data). Replies the element, or nil when the
/// source does not exist. True when an element moved.
pub fn move_element(
    ctx: &mut Ctx<'_>,
    source: &[u8],
    destination: &[u8],
    from: End,
    to: End,
) -> bool {
    let db = ctx.db;
    match write_list(&mut ctx.keys, ctx.out, db, source) {
        Ok(Some(list)) if !list.is_empty() => {}
        Ok(_) => {
            ctx.out.null();
            return false;
        }
        Err(Replied) => return false,
    }
    // The destination's type is checked before anything changes.
    if write_list(&mut ctx.keys, ctx.out, db, destination).is_err() {
        return false;
    }
    let Some(value) = ctx
        .keys
        .get(db, source)
        .and_then(as_list)
        .and_then(|list| from.pop(list))
    else {
        ctx.out.null();
        return false;
    };
    ctx.out.bulk(&value);
    // The same key may be both ends (a rotation): its list still exists here.
    match ctx.keys.get(db, destination).and_then(as_list) {
        Some(list) => to.push(list, &value),
        None => create(ctx, destination, List::from_iter([&value])),
    }
    ctx.keys.touch_watched(db, destination);
    ctx.notify(crate::config::notify::LIST, to.push_event(), destination);
    ctx.notify(crate::config::notify::LIST, from.pop_event(), source);
    delete_if_empty(ctx, source);
    written(ctx, source, 1);
    true
}

/// Parses a non-negative integer, or None (the caller replies its own error).
pub fn non_negative(arg: &[u8]) -> Option<u64> {
    parse_i64(arg).and_then(|n| u64::try_from(n).ok())
}

/// Parses a blocking command's timeout (seconds, a float) as redis-server does,
/// replying its error when the timeout is invalid or negative. Returns milliseconds
/// (0: forever).
pub fn timeout(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<u64> {
    match long_double::timeout_ms(arg) {
        None => {
            ctx.err(TIMEOUT_NOT_FLOAT);
            None
        }
        Some(ms) if ms < 0 => {
            ctx.err(errors::NEGATIVE_TIMEOUT);
            None
        }
        Some(ms) => Some(ms as u64),
    }
}

/// What a blocking command that found nothing to pop replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nothing {
    /// BLPOP, BRPOP, BLMPOP: a null array, inside MULTI or not.
    NullArray,
    /// BLMOVE, BRPOPLPUSH: a null array when the timeout expires, a null bulk inside
    /// MULTI (where redis-server refuses to block).
    Move,
}

/// Nothing to pop: inside EXEC, reply at once what redis-server replies when the
/// timeout expires (a transaction never blocks); otherwise leave a [`Block`] on `keys`
/// so the connection waits, and the command runs again when one of them gets an
/// element (or replies the timeout reply when `timeout_ms` passes; 0 waits forever).
pub fn time_out(ctx: &mut Ctx<'_>, timeout_ms: u64, nothing: Nothing, keys: &[&[u8]]) {
    if ctx.in_exec {
        return match nothing {
            Nothing::Move => ctx.out.null(),
            _ => ctx.out.null_array(),
        };
    }
    let deadline = (timeout_ms > 0)
        .then(|| std::time::Instant::now() + std::time::Duration::from_millis(timeout_ms));
    ctx.block = Some(Block {
        keys: keys.iter().map(|k| (ctx.db, k.to_vec())).collect(),
        deadline,
        on_timeout: TimeoutReply::NullArray,
        wake_all: false,
    });
}

/// LMPOP/BLMPOP's arguments after the command name (and BLMPOP's timeout):
/// `numkeys key [key ...] LEFT|RIGHT [COUNT count]`.
pub type Mpop = crate::args::Mpop<End>;

pub fn parse_mpop(args: &[&[u8]], numkeys_at: usize) -> Result<Mpop, &'static str> {
    crate::args::parse_mpop(args, numkeys_at, End::parse)
}

/// Adds the stripes of LMPOP/BLMPOP's keys.
pub fn lock_mpop_keys(
    ks: &Keyspace,
    db: usize,
    args: &[&[u8]],
    numkeys_at: usize,
    set: &mut LockSet,
) {
    crate::args::lock_mpop_keys(ks, db, args, numkeys_at, End::parse, set);
}

/// Pops from the first non-empty list among `keys` (LMPOP, BLMPOP): replies
/// `[key, [elements...]]` and propagates `LPOP|RPOP key n`. Replies WRONGTYPE at the
/// first key of another type. Returns false (with nothing replied) when every list is
/// missing.
pub fn mpop(ctx: &mut Ctx<'_>, keys: &[&[u8]], end: End, count: u64) -> bool {
    let db = ctx.db;
    for key in keys {
        if woken_on_other_type(ctx, key) {
            continue;
        }
        match write_list(&mut ctx.keys, ctx.out, db, key) {
            Ok(Some(list)) if !list.is_empty() => {}
            Ok(_) => continue,
            Err(Replied) => return true,
        }
        ctx.out.array(2);
        ctx.out.bulk(key);
        let popped = pop_range(ctx, key, end, count);
        ctx.propagate_as(vec![
            end.pop_command().to_vec(),
            key.to_vec(),
            popped.to_string().into_bytes(),
        ]);
        return true;
    }
    false
}

/// A blocked client woken for `key` finds another type there (the key was replaced
/// after the push that woke it): like redis-server, it keeps waiting instead of
/// failing with WRONGTYPE.
fn woken_on_other_type(ctx: &mut Ctx<'_>, key: &[u8]) -> bool {
    ctx.client.woken_from_block
        && ctx
            .keys
            .get(ctx.db, key)
            .is_some_and(|item| item.kind() != ferrocache_keyspace::Kind::List)
}

/// BLPOP/BRPOP: pops one element from the first non-empty list among the keys.
pub fn blocking_pop(ctx: &mut Ctx<'_>, args: &[&[u8]], end: End) {
    let Some(timeout) = timeout(ctx, args[args.len() - 1]) else {
        return;
    };
    let db = ctx.db;
    for key in &args[1..args.len() - 1] {
        if woken_on_other_type(ctx, key) {
            continue;
        }
        let value = match write_list(&mut ctx.keys, ctx.out, db, key) {
            Ok(Some(list)) => match end.pop(list) {
                Some(value) => value,
                None => continue,
            },
            Ok(None) => continue,
            Err(Replied) => return,
        };
        ctx.out.array(2);
        ctx.out.bulk(key);
        ctx.out.bulk(&value);
        ctx.notify(crate::config::notify::LIST, end.pop_event(), key);
        delete_if_empty(ctx, key);
        written(ctx, key, 1);
        ctx.propagate_as(vec![end.pop_command().to_vec(), key.to_vec()]);
        return;
    }
    time_out(ctx, timeout, Nothing::NullArray, &args[1..args.len() - 1]);
}

/// LPUSH, RPUSH, LPUSHX, RPUSHX: pushes every element in order at `end`, creating the
/// list unless `only_existing`. Replies the new length.
pub fn push(ctx: &mut Ctx<'_>, args: &[&[u8]], end: End, only_existing: bool) {
    let (key, values) = (args[1], &args[2..]);
    let db = ctx.db;
    let len = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(list)) => {
            for value in values {
                end.push(list, value);
            }
            list.len()
        }
        Ok(None) if only_existing => return ctx.out.int(0),
        Ok(None) => {
            let mut list = List::new();
            for value in values {
                end.push(&mut list, value);
            }
            let len = list.len();
            create(ctx, key, list);
            len
        }
    };
    ctx.out.int(len as i64);
    written(ctx, key, values.len() as u64);
    ctx.notify(crate::config::notify::LIST, end.push_event(), key);
}

/// LPOP, RPOP: `key [count]`.
pub fn pop(ctx: &mut Ctx<'_>, args: &[&[u8]], end: End) {
    if args.len() > 3 {
        return ctx.err(&errors::wrong_arity(ctx.spec.name));
    }
    let count = match args.get(2) {
        Some(arg) => match non_negative(arg) {
            Some(n) => Some(n),
            None => return ctx.err(NOT_POSITIVE),
        },
        None => None,
    };
    let key = args[1];
    let db = ctx.db;
    let value = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) if count.is_some() => return ctx.out.null_array(),
        Ok(None) => return ctx.out.null(),
        Ok(Some(list)) => match count {
            Some(0) => return ctx.out.array(0),
            Some(n) => {
                pop_range(ctx, key, end, n);
                return;
            }
            None => end.pop(list),
        },
    };
    match value {
        Some(value) => ctx.out.bulk(&value),
        None => return ctx.out.null(),
    }
    ctx.notify(crate::config::notify::LIST, end.pop_event(), key);
    delete_if_empty(ctx, key);
    written(ctx, key, 1);
}
