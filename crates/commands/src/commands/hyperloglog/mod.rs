//! HyperLogLog commands: PFADD, PFCOUNT, PFMERGE, and PFDEBUG / PFSELFTEST for
//! inspection. Values are strings in redis-server's HyperLogLog format (`hll.rs`).

use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::Kind;

pub mod hll;
mod pfadd;
mod pfcount;
mod pfdebug;
mod pfmerge;
mod pfselftest;

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("pfadd", -2, WRITE | DENYOOM | FAST, pfadd::run).keys(1, 1, 1).acl("write hyperloglog fast").doc("hyperloglog", "2.8.9", "Adds elements to a HyperLogLog key. Creates the key if it doesn't exist."),
    CommandSpec::new("pfcount", -2, READONLY | MAY_REPLICATE, pfcount::run).keys(1, -1, 1).acl("read hyperloglog slow").doc("hyperloglog", "2.8.9", "Returns the approximated cardinality of the set(s) observed by the HyperLogLog key(s)."),
    CommandSpec::new("pfmerge", -2, WRITE | DENYOOM, pfmerge::run).keys(1, -1, 1).acl("write hyperloglog slow").doc("hyperloglog", "2.8.9", "Merges one or more HyperLogLog values into a single key."),
    CommandSpec::new("pfdebug", 3, WRITE | DENYOOM | ADMIN, pfdebug::run).keys(2, 2, 1).acl("write hyperloglog admin slow dangerous").doc("hyperloglog", "2.8.9", "Internal commands for debugging HyperLogLog values."),
    CommandSpec::new("pfselftest", 1, ADMIN, pfselftest::run).acl("hyperloglog admin slow dangerous").doc("hyperloglog", "2.8.9", "An internal command for testing HyperLogLog values."),
];

/// A stored HyperLogLog: a copy of the value to work on, and the key's expiry.
type Stored = (Vec<u8>, Option<u64>);

/// The HyperLogLog stored at `key`, `None` when the key is missing; replies with the
/// error and returns `Err` when it is not one.
fn load(ctx: &mut Ctx<'_>, key: &[u8], read: bool) -> Result<Option<Stored>, Replied> {
    let db = ctx.db;
    let lfu = ctx.lfu();
    let item = if read {
        ctx.keys.read(db, key, lfu).map(|i| &*i)
    } else {
        ctx.keys.get(db, key).map(|i| &*i)
    };
    let Some(item) = item else {
        return Ok(None);
    };
    if item.kind() != Kind::String {
        ctx.out.error(errors::WRONGTYPE);
        return Err(Replied);
    }
    let value = item.value().to_vec();
    let ttl = item.expire_at();
    if let Err(e) = hll::validate(&value) {
        ctx.out.error(e.message());
        return Err(Replied);
    }
    Ok(Some((value, ttl)))
}

#[cfg(test)]
mod tests;
