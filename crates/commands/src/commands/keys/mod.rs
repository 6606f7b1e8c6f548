//! Generic keyspace commands: DEL, UNLINK, EXISTS, TYPE, the EXPIRE and TTL families,
//! PERSIST, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, COPY, MOVE, TOUCH, OBJECT, and the
//! database-wide DBSIZE, FLUSHDB, FLUSHALL and SWAPDB.

use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::Item;
use ferrocache_protocol::number::parse_i64;

mod copy;
mod dbsize;
mod del;
mod exists;
mod expire;
mod expireat;
mod expiretime;
mod flushall;
mod flushdb;
#[allow(clippy::module_inception)]
mod keys;
mod r#move;
mod object;
mod persist;
mod pexpire;
mod pexpireat;
mod pexpiretime;
mod pttl;
mod randomkey;
mod rename;
mod renamenx;
mod scan;
mod swapdb;
mod touch;
mod ttl;
mod r#type;
mod unlink;

#[cfg(test)]
mod tests;

const fn generic(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    generic("del", -2, WRITE, del::run).keys(1, -1, 1).acl("keyspace write slow").doc("generic", "1.0.0", "Delete a key"),
    generic("unlink", -2, WRITE | FAST, unlink::run).keys(1, -1, 1).acl("keyspace write fast").doc("generic", "4.0.0", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking."),
    generic("exists", -2, READONLY | FAST, exists::run).keys(1, -1, 1).acl("keyspace read fast").doc("generic", "1.0.0", "Determine if a key exists"),
    generic("type", 2, READONLY | FAST, r#type::run).acl("keyspace read fast").doc("generic", "1.0.0", "Determine the type stored at key"),
    generic("expire", -3, WRITE | FAST, expire::run).acl("keyspace write fast").doc("generic", "1.0.0", "Set a key's time to live in seconds"),
    generic("pexpire", -3, WRITE | FAST, pexpire::run).acl("keyspace write fast").doc("generic", "2.6.0", "Set a key's time to live in milliseconds"),
    generic("expireat", -3, WRITE | FAST, expireat::run).acl("keyspace write fast").doc("generic", "1.2.0", "Set the expiration for a key as a UNIX timestamp"),
    generic("pexpireat", -3, WRITE | FAST, pexpireat::run).acl("keyspace write fast").doc("generic", "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in milliseconds"),
    generic("ttl", 2, READONLY | FAST, ttl::run).acl("keyspace read fast").doc("generic", "1.0.0", "Get the time to live for a key in seconds"),
    generic("pttl", 2, READONLY | FAST, pttl::run).acl("keyspace read fast").doc("generic", "2.6.0", "Get the time to live for a key in milliseconds"),
    generic("expiretime", 2, READONLY | FAST, expiretime::run).acl("keyspace read fast").doc("generic", "7.0.0", "Get the expiration Unix timestamp for a key"),
    generic("pexpiretime", 2, READONLY | FAST, pexpiretime::run).acl("keyspace read fast").doc("generic", "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds"),
    generic("persist", 2, WRITE | FAST, persist::run).acl("keyspace write fast").doc("generic", "2.2.0", "Remove the expiration from a key"),
    CommandSpec::new("keys", 2, READONLY | WHOLE_DB, keys::run).acl("keyspace read slow dangerous").doc("generic", "1.0.0", "Find all keys matching the given pattern"),
    CommandSpec::new("scan", -2, READONLY | WHOLE_DB, scan::run).acl("keyspace read slow").doc("generic", "2.8.0", "Incrementally iterate the keys space"),
    CommandSpec::new("randomkey", 1, READONLY | WHOLE_DB, randomkey::run).acl("keyspace read slow").doc("generic", "1.0.0", "Return a random key from the keyspace"),
    generic("rename", 3, WRITE, rename::run).keys(1, 2, 1).acl("keyspace write slow").doc("generic", "1.0.0", "Rename a key"),
    generic("renamenx", 3, WRITE | FAST, renamenx::run).keys(1, 2, 1).acl("keyspace write fast").doc("generic", "1.0.0", "Rename a key, only if the new key does not exist"),
    generic("copy", -3, WRITE | DENYOOM, copy::run).keys(1, 2, 1).acl("keyspace write slow").doc("generic", "6.2.0", "Copy a key").lock(copy::lock),
    generic("move", 3, WRITE | FAST, r#move::run).acl("keyspace write fast").doc("generic", "1.0.0", "Move a key to another database").lock(r#move::lock),
    generic("touch", -2, READONLY | FAST, touch::run).keys(1, -1, 1).acl("keyspace read fast").doc("generic", "3.2.1", "Alters the last access time of a key(s). Returns the number of existing keys specified."),
    CommandSpec::new("object", -2, 0, object::help).acl("slow").doc("generic", "2.2.3", "A container for object introspection commands").subcommands(object::SUBCOMMANDS),
    CommandSpec::new("dbsize", 1, READONLY | FAST | WHOLE_DB, dbsize::run).acl("keyspace read fast").doc("server", "1.0.0", "Return the number of keys in the selected database"),
    CommandSpec::new("flushdb", -1, WRITE | WHOLE_DB, flushdb::run).acl("keyspace write slow dangerous").doc("server", "1.0.0", "Remove all keys from the current database"),
    CommandSpec::new("flushall", -1, WRITE | ALL_DBS, flushall::run).acl("keyspace write slow dangerous").doc("server", "1.0.0", "Remove all keys from all databases"),
    CommandSpec::new("swapdb", 3, WRITE | FAST, swapdb::run).acl("keyspace write fast dangerous").doc("server", "4.0.0", "Swaps two Redis databases").lock(swapdb::lock),
];

/// `ERR source and destination objects are the same` (COPY, MOVE).
pub const SAME_OBJECT: &str = "ERR source and destination objects are the same";

/// The name TYPE and SCAN's TYPE filter use for an item's kind.
pub fn type_name(item: &Item) -> &'static str {
    item.kind().name()
}

/// Parses a database number as MOVE and COPY do (redis-server's
/// `getIntFromObjectOrReply` then `selectDb`), with their exact errors.
pub fn db_index(arg: &[u8], databases: usize) -> Result<usize, String> {
    let Some(value) = parse_i64(arg) else {
        return Err(crate::errors::NOT_INTEGER.to_string());
    };
    if value < i32::MIN as i64 || value > i32::MAX as i64 {
        return Err(format!(
            "ERR value is out of range, value must between {} and {}",
            i32::MIN,
            i32::MAX
        ));
    }
    if value < 0 || value as usize >= databases {
        return Err(crate::errors::DB_INDEX.to_string());
    }
    Ok(value as usize)
}
