//! Hash commands: HSET, HSETNX, HGET, HMGET, HMSET, HDEL, HEXISTS, HLEN, HSTRLEN,
//! HKEYS, HVALS, HGETALL, HINCRBY, HINCRBYFLOAT, HRANDFIELD, HSCAN.
//!
//! A hash is a [`Collection::Hash`] owned by its item. A key holding an empty hash
//! never exists: the command that removes the last field deletes the key.

use crate::commands::strings::{new_clock, Replied};
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::{Collection, Item, Locked};
use ferrocache_protocol::Reply;

mod hdel;
mod hexists;
mod hget;
mod hgetall;
mod hincrby;
mod hincrbyfloat;
mod hkeys;
mod hlen;
mod hmget;
mod hmset;
mod hrandfield;
mod hscan;
mod hset;
mod hsetnx;
mod hstrlen;
mod hvals;

#[cfg(test)]
mod tests;

/// The fields of a hash and their values.
pub type Fields = ferrocache_keyspace::FieldMap;

const fn hash(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

#[rustfmt::skip]
pub static COMMANDS: &[CommandSpec] = &[
    hash("hset", -4, WRITE | DENYOOM | FAST, hset::run).acl("write hash fast").doc("hash", "2.0.0", "Set the string value of a hash field"),
    hash("hsetnx", 4, WRITE | DENYOOM | FAST, hsetnx::run).acl("write hash fast").doc("hash", "2.0.0", "Set the value of a hash field, only if the field does not exist"),
    hash("hget", 3, READONLY | FAST, hget::run).acl("read hash fast").doc("hash", "2.0.0", "Get the value of a hash field"),
    hash("hmget", -3, READONLY | FAST, hmget::run).acl("read hash fast").doc("hash", "2.0.0", "Get the values of all the given hash fields"),
    hash("hmset", -4, WRITE | DENYOOM | FAST, hmset::run).acl("write hash fast").doc("hash", "2.0.0", "Set multiple hash fields to multiple values"),
    hash("hdel", -3, WRITE | FAST, hdel::run).acl("write hash fast").doc("hash", "2.0.0", "Delete one or more hash fields"),
    hash("hexists", 3, READONLY | FAST, hexists::run).acl("read hash fast").doc("hash", "2.0.0", "Determine if a hash field exists"),
    hash("hlen", 2, READONLY | FAST, hlen::run).acl("read hash fast").doc("hash", "2.0.0", "Get the number of fields in a hash"),
    hash("hstrlen", 3, READONLY | FAST, hstrlen::run).acl("read hash fast").doc("hash", "3.2.0", "Get the length of the value of a hash field"),
    hash("hkeys", 2, READONLY, hkeys::run).acl("read hash slow").doc("hash", "2.0.0", "Get all the fields in a hash"),
    hash("hvals", 2, READONLY, hvals::run).acl("read hash slow").doc("hash", "2.0.0", "Get all the values in a hash"),
    hash("hgetall", 2, READONLY, hgetall::run).acl("read hash slow").doc("hash", "2.0.0", "Get all the fields and values in a hash"),
    hash("hincrby", 4, WRITE | DENYOOM | FAST, hincrby::run).acl("write hash fast").doc("hash", "2.0.0", "Increment the integer value of a hash field by the given number"),
    hash("hincrbyfloat", 4, WRITE | DENYOOM | FAST, hincrbyfloat::run).acl("write hash fast").doc("hash", "2.6.0", "Increment the float value of a hash field by the given amount"),
    hash("hrandfield", -2, READONLY, hrandfield::run).acl("read hash slow").doc("hash", "6.2.0", "Get one or multiple random fields from a hash"),
    hash("hscan", -3, READONLY, hscan::run).acl("read hash slow").doc("hash", "2.8.0", "Incrementally iterate hash fields and associated values"),
];

/// Looks up a hash for reading (counts a hit or miss, refreshes the access clock).
/// Replies WRONGTYPE and returns Err when the key holds another type. Takes the
/// context's parts so the fields can be read while the reply is written.
pub fn read_hash<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k Fields>, Replied> {
    crate::lookup::checked(keys.read(db, key, lfu), out).map(|fields| fields.map(|f| &*f))
}

/// Looks up a hash for writing (no hit/miss). Replies WRONGTYPE on another type.
pub fn write_hash<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k mut Fields>, Replied> {
    crate::lookup::checked(keys.get(db, key), out)
}

/// Stores a new hash at `key` (which does not exist), without a TTL.
pub fn create_hash(ctx: &mut Ctx<'_>, key: &[u8], fields: Fields) {
    let clock = new_clock(ctx);
    let item = Item::new_collection(key, Box::new(Collection::Hash(fields)), None, clock);
    ctx.keys.insert(ctx.db, item);
}

/// The largest reply a command may build from a client-chosen repetition count
/// (HRANDFIELD with a negative count) when no hard output buffer limit is set for
/// normal clients: past it the client is disconnected, as redis-server does when a
/// reply overruns the output buffer limit.
pub const REPLY_CEILING: usize = 1 << 30;

/// The reply size past which a client building an unbounded reply is disconnected:
/// the normal clients' hard output buffer limit, or [`REPLY_CEILING`].
pub fn reply_budget(ctx: &Ctx<'_>) -> usize {
    match ctx.settings.output_limits[0].hard {
        0 => REPLY_CEILING,
        hard => usize::try_from(hard)
            .unwrap_or(usize::MAX)
            .min(REPLY_CEILING),
    }
}
