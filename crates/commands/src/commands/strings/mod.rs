//! String commands.

use crate::ctx::Ctx;
use crate::errors;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::{lfu, Item, Kind, Locked};
use ferrocache_protocol::Reply;

mod append;
mod decr;
mod decrby;
mod get;
mod getdel;
mod getex;
mod getrange;
mod getset;
mod incr;
mod incrby;
mod incrbyfloat;
mod lcs;
mod mget;
mod mset;
mod msetnx;
mod psetex;
mod set;
mod setex;
mod setnx;
mod setrange;
mod strlen;
mod substr;

const fn string(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    string("get", 2, READONLY | FAST, get::run).acl("read string fast").doc("string", "1.0.0", "Returns the string value of a key."),
    string("set", -3, WRITE | DENYOOM, set::run).acl("write string slow").doc("string", "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist."),
    string("setnx", 3, WRITE | DENYOOM | FAST, setnx::run).acl("write string fast").doc("string", "1.0.0", "Set the string value of a key only when the key doesn't exist."),
    string("setex", 4, WRITE | DENYOOM, setex::run).acl("write string slow").doc("string", "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist."),
    string("psetex", 4, WRITE | DENYOOM, psetex::run).acl("write string slow").doc("string", "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist."),
    string("getex", -2, WRITE | FAST, getex::run).acl("write string fast").doc("string", "6.2.0", "Returns the string value of a key after setting its expiration time."),
    string("getdel", 2, WRITE | FAST, getdel::run).acl("write string fast").doc("string", "6.2.0", "Returns the string value of a key after deleting the key."),
    string("getset", 3, WRITE | DENYOOM | FAST, getset::run).acl("write string fast").doc("string", "1.0.0", "Returns the previous string value of a key after setting it to a new value."),
    string("mget", -2, READONLY | FAST, mget::run).keys(1, -1, 1).acl("read string fast").doc("string", "1.0.0", "Atomically returns the string values of one or more keys."),
    string("mset", -3, WRITE | DENYOOM, mset::run).keys(1, -1, 2).acl("write string slow").doc("string", "1.0.1", "Atomically creates or modifies the string values of one or more keys."),
    string("msetnx", -3, WRITE | DENYOOM, msetnx::run).keys(1, -1, 2).acl("write string slow").doc("string", "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist."),
    string("append", 3, WRITE | DENYOOM | FAST, append::run).acl("write string fast").doc("string", "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist."),
    string("strlen", 2, READONLY | FAST, strlen::run).acl("read string fast").doc("string", "2.2.0", "Returns the length of a string value."),
    string("incr", 2, WRITE | DENYOOM | FAST, incr::run).acl("write string fast").doc("string", "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
    string("decr", 2, WRITE | DENYOOM | FAST, decr::run).acl("write string fast").doc("string", "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist."),
    string("incrby", 3, WRITE | DENYOOM | FAST, incrby::run).acl("write string fast").doc("string", "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
    string("decrby", 3, WRITE | DENYOOM | FAST, decrby::run).acl("write string fast").doc("string", "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist."),
    string("incrbyfloat", 3, WRITE | DENYOOM | FAST, incrbyfloat::run).acl("write string fast").doc("string", "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist."),
    string("getrange", 4, READONLY, getrange::run).acl("read string slow").doc("string", "2.4.0", "Returns a substring of the string stored at a key."),
    string("substr", 4, READONLY, substr::run).acl("read string slow").doc("string", "1.0.0", "Returns a substring from a string value."),
    string("setrange", 4, WRITE | DENYOOM, setrange::run).acl("write string slow").doc("string", "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist."),
    string("lcs", -3, READONLY, lcs::run).keys(1, 2, 1).acl("read string slow").doc("string", "7.0.0", "Finds the longest common substring."),
];

/// The access clock a new item starts with under the current policy.
pub fn new_clock(ctx: &Ctx<'_>) -> u32 {
    if ctx.lfu() {
        lfu::initial_clock()
    } else {
        // The command's own time: no extra clock read on the write path.
        ((ctx.keys.now_ms / 1000) & 0x00ff_ffff) as u32
    }
}

/// An error reply was already written; the command has nothing more to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replied;

/// Looks up a string for reading (counts a hit or miss). Replies WRONGTYPE and returns
/// Err when the key holds another type. Takes the context's parts so the item can be
/// used while the reply is written.
pub fn read_string<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k Item>, Replied> {
    match keys.read(db, key, lfu) {
        Some(item) if item.kind() != Kind::String => {
            out.error(errors::WRONGTYPE);
            Err(Replied)
        }
        Some(item) => Ok(Some(&*item)),
        None => Ok(None),
    }
}

/// Looks up a string for writing (no hit/miss). Replies WRONGTYPE on another type.
pub fn write_lookup<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k Item>, Replied> {
    match keys.get(db, key) {
        Some(item) if item.kind() != Kind::String => {
            out.error(errors::WRONGTYPE);
            Err(Replied)
        }
        Some(item) => Ok(Some(&*item)),
        None => Ok(None),
    }
}

/// Stores a string value, keeping or dropping the TTL, and signals the write.
pub fn store(ctx: &mut Ctx<'_>, key: &[u8], parts: &[&[u8]], expire_at: Option<u64>) {
    let clock = new_clock(ctx);
    ctx.keys
        .store_string(ctx.db, key, parts, expire_at, clock, false);
    ctx.modified(key);
}

/// [`store`] for a value changed in place (APPEND, SETRANGE, SETBIT, BITFIELD, BITOP,
/// the HyperLogLog commands): redis-server keeps those `raw`.
pub fn store_raw(ctx: &mut Ctx<'_>, key: &[u8], parts: &[&[u8]], expire_at: Option<u64>) {
    let clock = new_clock(ctx);
    ctx.keys
        .store_string(ctx.db, key, parts, expire_at, clock, true);
    ctx.modified(key);
}

/// The longest string value allowed (`proto-max-bulk-len`).
pub fn check_length(ctx: &mut Ctx<'_>, total: u64) -> bool {
    if total > ctx.settings.proto_max_bulk_len as u64 {
        ctx.err(errors::STRING_TOO_LONG);
        return false;
    }
    true
}
