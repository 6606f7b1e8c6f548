//! Sorted set commands: ZADD, ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZCOUNT,
//! ZLEXCOUNT, ZRANK, ZREVRANK, the ZRANGE family (by rank, score or lex, stored or
//! not), the ZREMRANGEBY* family, ZPOPMIN/ZPOPMAX, ZRANDMEMBER, ZSCAN, the
//! ZUNION / ZINTER / ZDIFF families, ZINTERCARD, ZMPOP and the blocking pops.
//!
//! A sorted set is a [`Collection::ZSet`] ([`ZSet`]: a member index plus a treap
//! ordered by (score, member)) owned by its item. A sorted set that becomes empty is
//! deleted, as redis-server does.

use crate::commands::strings::{new_clock, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_keyspace::{Collection, Item, Locked};
use ferrocache_protocol::Reply;

mod bzmpop;
mod bzpopmax;
mod bzpopmin;
mod pop;
pub mod range;
mod setops;
pub mod zadd;
mod zcard;
mod zcount;
mod zdiff;
mod zdiffstore;
mod zincrby;
mod zinter;
mod zintercard;
mod zinterstore;
mod zlexcount;
mod zmpop;
mod zmscore;
mod zpopmax;
mod zpopmin;
mod zrandmember;
mod zrange;
mod zrangebylex;
mod zrangebyscore;
mod zrangestore;
mod zrank;
mod zrem;
mod zremrangebylex;
mod zremrangebyrank;
mod zremrangebyscore;
mod zrevrange;
mod zrevrangebylex;
mod zrevrangebyscore;
mod zrevrank;
mod zscan;
mod zscore;
mod zunion;
mod zunionstore;

#[cfg(test)]
mod tests;

const fn zset(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

const G: &str = "sorted-set";

pub static COMMANDS: &[CommandSpec] = &[
    zset("zadd", -4, WRITE | DENYOOM | FAST, zadd::run)
        .acl("write sortedset fast")
        .doc(G, "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists"),
    zset("zincrby", 4, WRITE | DENYOOM | FAST, zincrby::run)
        .acl("write sortedset fast")
        .doc(G, "1.2.0", "Increment the score of a member in a sorted set"),
    zset("zrem", -3, WRITE | FAST, zrem::run)
        .acl("write sortedset fast")
        .doc(G, "1.2.0", "Remove one or more members from a sorted set"),
    zset("zcard", 2, READONLY | FAST, zcard::run)
        .acl("read sortedset fast")
        .doc(G, "1.2.0", "Get the number of members in a sorted set"),
    zset("zscore", 3, READONLY | FAST, zscore::run)
        .acl("read sortedset fast")
        .doc(G, "1.2.0", "Get the score associated with the given member in a sorted set"),
    zset("zmscore", -3, READONLY | FAST, zmscore::run)
        .acl("read sortedset fast")
        .doc(G, "6.2.0", "Get the score associated with the given members in a sorted set"),
    zset("zcount", 4, READONLY | FAST, zcount::run)
        .acl("read sortedset fast")
        .doc(G, "2.0.0", "Count the members in a sorted set with scores within the given values"),
    zset("zlexcount", 4, READONLY | FAST, zlexcount::run)
        .acl("read sortedset fast")
        .doc(G, "2.8.9", "Count the number of members in a sorted set between a given lexicographical range"),
    zset("zrank", 3, READONLY | FAST, zrank::run)
        .acl("read sortedset fast")
        .doc(G, "2.0.0", "Determine the index of a member in a sorted set"),
    zset("zrevrank", 3, READONLY | FAST, zrevrank::run)
        .acl("read sortedset fast")
        .doc(G, "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low"),
    zset("zrange", -4, READONLY, zrange::run)
        .acl("read sortedset slow")
        .doc(G, "1.2.0", "Return a range of members in a sorted set"),
    zset("zrangestore", -5, WRITE | DENYOOM, zrangestore::run)
        .keys(1, 2, 1)
        .acl("write sortedset slow")
        .doc(G, "6.2.0", "Store a range of members from sorted set into another key"),
    zset("zrangebyscore", -4, READONLY, zrangebyscore::run)
        .acl("read sortedset slow")
        .doc(G, "1.0.5", "Return a range of members in a sorted set, by score"),
    zset("zrevrangebyscore", -4, READONLY, zrevrangebyscore::run)
        .acl("read sortedset slow")
        .doc(G, "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low"),
    zset("zrangebylex", -4, READONLY, zrangebylex::run)
        .acl("read sortedset slow")
        .doc(G, "2.8.9", "Return a range of members in a sorted set, by lexicographical range"),
    zset("zrevrangebylex", -4, READONLY, zrevrangebylex::run)
        .acl("read sortedset slow")
        .doc(G, "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings."),
    zset("zrevrange", -4, READONLY, zrevrange::run)
        .acl("read sortedset slow")
        .doc(G, "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low"),
    zset("zremrangebyrank", 4, WRITE, zremrangebyrank::run)
        .acl("write sortedset slow")
        .doc(G, "2.0.0", "Remove all members in a sorted set within the given indexes"),
    zset("zremrangebyscore", 4, WRITE, zremrangebyscore::run)
        .acl("write sortedset slow")
        .doc(G, "1.2.0", "Remove all members in a sorted set within the given scores"),
    zset("zremrangebylex", 4, WRITE, zremrangebylex::run)
        .acl("write sortedset slow")
        .doc(G, "2.8.9", "Remove all members in a sorted set between the given lexicographical range"),
    zset("zpopmin", -2, WRITE | FAST, zpopmin::run)
        .acl("write sortedset fast")
        .doc(G, "5.0.0", "Remove and return members with the lowest scores in a sorted set"),
    zset("zpopmax", -2, WRITE | FAST, zpopmax::run)
        .acl("write sortedset fast")
        .doc(G, "5.0.0", "Remove and return members with the highest scores in a sorted set"),
    zset("zrandmember", -2, READONLY, zrandmember::run)
        .acl("read sortedset slow")
        .doc(G, "6.2.0", "Get one or multiple random elements from a sorted set"),
    zset("zscan", -3, READONLY, zscan::run)
        .acl("read sortedset slow")
        .doc(G, "2.8.0", "Incrementally iterate sorted sets elements and associated scores"),
    zset("zunionstore", -4, WRITE | DENYOOM | MOVABLEKEYS, zunionstore::run)
        .acl("write sortedset slow")
        .doc(G, "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key")
        .lock(setops::lock_store),
    zset("zinterstore", -4, WRITE | DENYOOM | MOVABLEKEYS, zinterstore::run)
        .acl("write sortedset slow")
        .doc(G, "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key")
        .lock(setops::lock_store),
    zset("zdiffstore", -4, WRITE | DENYOOM | MOVABLEKEYS, zdiffstore::run)
        .acl("write sortedset slow")
        .doc(G, "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key")
        .lock(setops::lock_store),
    CommandSpec::new("zunion", -3, READONLY | MOVABLEKEYS, zunion::run)
        .acl("read sortedset slow")
        .doc(G, "6.2.0", "Add multiple sorted sets")
        .lock(setops::lock_read),
    CommandSpec::new("zinter", -3, READONLY | MOVABLEKEYS, zinter::run)
        .acl("read sortedset slow")
        .doc(G, "6.2.0", "Intersect multiple sorted sets")
        .lock(setops::lock_read),
    CommandSpec::new("zdiff", -3, READONLY | MOVABLEKEYS, zdiff::run)
        .acl("read sortedset slow")
        .doc(G, "6.2.0", "Subtract multiple sorted sets")
        .lock(setops::lock_read),
    CommandSpec::new("zintercard", -3, READONLY | MOVABLEKEYS, zintercard::run)
        .acl("read sortedset slow")
        .doc(G, "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result")
        .lock(setops::lock_read),
    CommandSpec::new("zmpop", -4, WRITE | MOVABLEKEYS, zmpop::run)
        .acl("write sortedset slow")
        .doc(G, "7.0.0", "Remove and return members with scores in a sorted set")
        .lock(zmpop::lock),
    zset("bzpopmin", -3, WRITE | NOSCRIPT | BLOCKING | FAST, bzpopmin::run)
        .keys(1, -2, 1)
        .acl("write sortedset fast blocking")
        .doc(G, "5.0.0", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available"),
    zset("bzpopmax", -3, WRITE | NOSCRIPT | BLOCKING | FAST, bzpopmax::run)
        .keys(1, -2, 1)
        .acl("write sortedset fast blocking")
        .doc(G, "5.0.0", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available"),
    CommandSpec::new("bzmpop", -5, WRITE | BLOCKING | MOVABLEKEYS, bzmpop::run)
        .acl("write sortedset slow blocking")
        .doc(G, "7.0.0", "Remove and return members with scores in a sorted set or block until one is available")
        .lock(bzmpop::lock),
];

/// The sorted set an item holds, if it holds one.
pub fn as_zset(item: &Item) -> Option<&ZSet> {
    item.collection_as()
}

pub fn as_zset_mut(item: &mut Item) -> Option<&mut ZSet> {
    item.collection_as_mut()
}

/// Looks up a sorted set for reading (counts a hit or miss, refreshes the access
/// clock). Replies WRONGTYPE and returns Err when the key holds another type.
pub fn read_zset<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k ZSet>, Replied> {
    crate::lookup::checked(keys.read(db, key, lfu), out).map(|z| z.map(|z| &*z))
}

/// Looks up a sorted set for writing (no hit/miss). Replies WRONGTYPE on another type.
pub fn write_zset<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k mut ZSet>, Replied> {
    crate::lookup::checked(keys.get(db, key), out)
}

/// The sorted set at `key` for writing, after a lookup already checked its type.
pub fn zset_mut<'k>(keys: &'k mut Locked<'_>, db: usize, key: &[u8]) -> Option<&'k mut ZSet> {
    keys.get(db, key).and_then(as_zset_mut)
}

/// A new sorted set item without TTL.
pub fn new_zset_item(key: &[u8], z: ZSet, clock: u32) -> Item {
    Item::new_collection(key, Box::new(Collection::ZSet(z)), None, clock)
}

/// Stores a new sorted set under `key` (replacing whatever is there) and wakes a
/// client blocked on it.
pub fn create(ctx: &mut Ctx<'_>, key: &[u8], z: ZSet) {
    let clock = new_clock(ctx);
    ctx.keys.insert(ctx.db, new_zset_item(key, z, clock));
    ctx.signal_ready(key);
}

/// After removals from `key`: deletes it when its sorted set is empty, publishing
/// `del`. True when the key was deleted.
pub fn delete_if_empty(ctx: &mut Ctx<'_>, key: &[u8]) -> bool {
    match zset_mut(&mut ctx.keys, ctx.db, key) {
        Some(z) if z.is_empty() => {}
        _ => return false,
    }
    ctx.keys.remove(ctx.db, key);
    ctx.notify(notify::GENERIC, "del", key);
    true
}

/// The array header of `n` elements, with scores or not: RESP2 flattens the
/// (member, score) pairs, RESP3 nests them.
pub fn reply_len(out: &mut Reply, n: usize, withscores: bool) {
    if withscores && !out.is_resp3() {
        out.array(n * 2);
    } else {
        out.array(n);
    }
}

/// One element of a reply started by [`reply_len`].
pub fn reply_element(out: &mut Reply, member: &[u8], score: f64, withscores: bool) {
    if withscores {
        if out.is_resp3() {
            out.array(2);
        }
        out.bulk(member);
        out.double(score);
    } else {
        out.bulk(member);
    }
}

/// The STORE variants' ending: replaces `destination` with `result` (dropping any
/// TTL) and publishes `event`, or deletes it when the result is empty; replies the
/// result's size.
pub fn store(ctx: &mut Ctx<'_>, destination: &[u8], mut result: ZSet, event: &str) {
    result.compact(ctx.settings.zset_pack);
    if is_listpack(&result) {
        // A listpack keeps scores as text, where `-0` reads back as `0`.
        let negative_zeros: Vec<Vec<u8>> = result
            .iter()
            .filter(|(_, s)| *s == 0.0 && s.is_sign_negative())
            .map(|(m, _)| m.to_vec())
            .collect();
        for member in negative_zeros {
            result.insert(&member, 0.0);
        }
    }
    if result.is_empty() {
        ctx.out.int(0);
        if ctx.keys.remove(ctx.db, destination).is_some() {
            ctx.modified(destination);
            ctx.notify(notify::GENERIC, "del", destination);
        }
        return;
    }
    let len = result.len();
    create(ctx, destination, result);
    ctx.modified(destination);
    ctx.out.int(len as i64);
    ctx.notify(notify::ZSET, event, destination);
}

/// True when the set is held packed (a listpack).
pub fn is_listpack(z: &ZSet) -> bool {
    z.encoding() == "listpack"
}
