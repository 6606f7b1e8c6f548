//! Set commands: SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
//! SRANDMEMBER, SMOVE, the SINTER / SUNION / SDIFF families, SINTERCARD and SSCAN.
//!
//! A set is a [`Collection::Set`] (a hash set of binary members) owned by its item. A
//! set that becomes empty is deleted, as redis-server does.

use crate::commands::strings::{new_clock, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::{Collection, Item, Locked};
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::Reply;

mod ops;
mod sadd;
mod scard;
mod sdiff;
mod sdiffstore;
mod sinter;
mod sintercard;
mod sinterstore;
mod sismember;
mod smembers;
mod smismember;
mod smove;
mod spop;
mod srandmember;
mod srem;
mod sscan;
mod sunion;
mod sunionstore;

#[cfg(test)]
mod tests;

/// The value of a set key.
pub type Set = ferrocache_keyspace::MemberSet;

const fn set(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    set("sadd", -3, WRITE | DENYOOM | FAST, sadd::run)
        .acl("write set fast")
        .doc("set", "1.0.0", "Add one or more members to a set"),
    set("srem", -3, WRITE | FAST, srem::run)
        .acl("write set fast")
        .doc("set", "1.0.0", "Remove one or more members from a set"),
    set("smembers", 2, READONLY, smembers::run)
        .acl("read set slow")
        .doc("set", "1.0.0", "Get all the members in a set"),
    set("sismember", 3, READONLY | FAST, sismember::run)
        .acl("read set fast")
        .doc(
            "set",
            "1.0.0",
            "Determine if a given value is a member of a set",
        ),
    set("smismember", -3, READONLY | FAST, smismember::run)
        .acl("read set fast")
        .doc(
            "set",
            "6.2.0",
            "Returns the membership associated with the given elements for a set",
        ),
    set("scard", 2, READONLY | FAST, scard::run)
        .acl("read set fast")
        .doc("set", "1.0.0", "Get the number of members in a set"),
    set("spop", -2, WRITE | FAST, spop::run)
        .acl("write set fast")
        .doc(
            "set",
            "1.0.0",
            "Remove and return one or multiple random members from a set",
        ),
    set("srandmember", -2, READONLY, srandmember::run)
        .acl("read set slow")
        .doc(
            "set",
            "1.0.0",
            "Get one or multiple random members from a set",
        ),
    set("smove", 4, WRITE | FAST, smove::run)
        .keys(1, 2, 1)
        .acl("write set fast")
        .doc("set", "1.0.0", "Move a member from one set to another"),
    set("sinter", -2, READONLY, sinter::run)
        .keys(1, -1, 1)
        .acl("read set slow")
        .doc("set", "1.0.0", "Intersect multiple sets"),
    set("sintercard", -3, READONLY, sintercard::run)
        .keys(0, 0, 0)
        .acl("read set slow")
        .doc(
            "set",
            "7.0.0",
            "Intersect multiple sets and return the cardinality of the result",
        )
        .lock(sintercard::lock),
    set("sunion", -2, READONLY, sunion::run)
        .keys(1, -1, 1)
        .acl("read set slow")
        .doc("set", "1.0.0", "Add multiple sets"),
    set("sdiff", -2, READONLY, sdiff::run)
        .keys(1, -1, 1)
        .acl("read set slow")
        .doc("set", "1.0.0", "Subtract multiple sets"),
    set("sinterstore", -3, WRITE | DENYOOM, sinterstore::run)
        .keys(1, -1, 1)
        .acl("write set slow")
        .doc(
            "set",
            "1.0.0",
            "Intersect multiple sets and store the resulting set in a key",
        ),
    set("sunionstore", -3, WRITE | DENYOOM, sunionstore::run)
        .keys(1, -1, 1)
        .acl("write set slow")
        .doc(
            "set",
            "1.0.0",
            "Add multiple sets and store the resulting set in a key",
        ),
    set("sdiffstore", -3, WRITE | DENYOOM, sdiffstore::run)
        .keys(1, -1, 1)
        .acl("write set slow")
        .doc(
            "set",
            "1.0.0",
            "Subtract multiple sets and store the resulting set in a key",
        ),
    set("sscan", -3, READONLY, sscan::run)
        .acl("read set slow")
        .doc("set", "2.8.0", "Incrementally iterate Set elements"),
];

/// The set an item holds, if it holds one.
fn as_set(item: &Item) -> Option<&Set> {
    item.collection_as()
}

/// Looks up a set for reading (counts a hit or miss, refreshes the access clock).
/// Replies WRONGTYPE and returns Err when the key holds another type.
pub fn read_set<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
    lfu: bool,
) -> Result<Option<&'k Set>, Replied> {
    crate::lookup::checked(keys.read(db, key, lfu), out).map(|set| set.map(|set| &*set))
}

/// Looks up a set for writing (no hit/miss). Replies WRONGTYPE on another type.
pub fn write_set<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    key: &[u8],
) -> Result<Option<&'k mut Set>, Replied> {
    crate::lookup::checked(keys.get(db, key), out)
}

/// The set at `key` through a shared borrow, after a lookup already checked its type.
fn peek_set<'k>(keys: &'k Locked<'_>, db: usize, key: &[u8]) -> Option<&'k Set> {
    keys.peek(db, key).and_then(as_set)
}

/// Read lookups of every key in `names` (as redis-server's `lookupKeyRead`, in order),
/// then the sets themselves, None standing for a missing key. Replies WRONGTYPE and
/// returns Err when a key holds another type.
fn read_sets<'k>(
    keys: &'k mut Locked<'_>,
    out: &mut Reply,
    db: usize,
    names: &[&[u8]],
    lfu: bool,
) -> Result<Vec<Option<&'k Set>>, Replied> {
    for name in names {
        read_set(keys, out, db, name, lfu)?;
    }
    let keys: &'k Locked<'_> = keys;
    Ok(names.iter().map(|name| peek_set(keys, db, name)).collect())
}

/// A new set item without TTL, starting with a fresh access clock.
fn new_set_item(key: &[u8], set: Set, clock: u32) -> Item {
    Item::new_collection(key, Box::new(Collection::Set(set)), None, clock)
}

/// The most members a set of integers has when redis-server keeps it as an intset
/// (`set-max-intset-entries`' default, as OBJECT ENCODING assumes).
const INTSET_ENTRIES: usize = 512;

/// Members of a computed result in the order redis-server replies them: it builds the
/// result as a set, an intset (iterating in ascending order) when it can be.
fn reply_order(members: Vec<&[u8]>) -> Vec<&[u8]> {
    if members.len() > INTSET_ENTRIES {
        return members;
    }
    let numbers: Option<Vec<(i64, &[u8])>> = members
        .iter()
        .map(|m| {
            (m.len() <= 20)
                .then(|| parse_i64(m))
                .flatten()
                .map(|n| (n, *m))
        })
        .collect();
    match numbers {
        Some(mut numbers) => {
            numbers.sort_unstable_by_key(|(n, _)| *n);
            numbers.into_iter().map(|(_, m)| m).collect()
        }
        None => members,
    }
}

/// Writes members as a set reply (`~n` in RESP3, an array in RESP2), in
/// [`reply_order`].
fn reply_members(out: &mut Reply, members: Vec<&[u8]>) {
    let members = reply_order(members);
    out.set(members.len());
    for member in members {
        out.bulk(member);
    }
}

/// Writes a whole set as a set reply, in its own order (ascending for an intset).
fn reply_set(out: &mut Reply, set: &Set) {
    out.set(set.len());
    for member in set {
        out.bulk(member);
    }
}

/// The STORE variants' ending: replaces `destination` with `result` (dropping any TTL),
/// or deletes it when the result is empty; replies the result's size.
fn store(ctx: &mut Ctx<'_>, destination: &[u8], result: Set, event: &str) {
    if result.is_empty() {
        ctx.out.int(0);
        if ctx.keys.remove(ctx.db, destination).is_some() {
            ctx.modified(destination);
            ctx.notify(notify::GENERIC, "del", destination);
        }
        return;
    }
    let len = result.len();
    let clock = new_clock(ctx);
    ctx.keys
        .insert(ctx.db, new_set_item(destination, result, clock));
    ctx.modified(destination);
    ctx.out.int(len as i64);
    ctx.notify(notify::SET, event, destination);
}

/// Copies borrowed members into an owned set (an intset while it can be, within
/// `set-max-intset-entries`).
fn owned<'a>(max_ints: usize, members: impl Iterator<Item = &'a [u8]>) -> Set {
    let mut set = Set::new();
    for member in members {
        set.insert(member, max_ints);
    }
    set
}

/// A uniformly random member of a non-empty set. The hash set has no random access:
/// this walks the table up to a random rank, O(size).
fn random_member(set: &Set) -> Option<&[u8]> {
    use rand::Rng;
    if set.is_empty() {
        return None;
    }
    let rank = rand::thread_rng().gen_range(0..set.len());
    set.iter().nth(rank)
}

/// `count` distinct members chosen uniformly (`count` < size), in random order, in one
/// walk of the table.
fn distinct_members(set: &Set, count: usize) -> Vec<&[u8]> {
    let mut rng = rand::thread_rng();
    let count = count.min(set.len());
    let ranks = rand::seq::index::sample(&mut rng, set.len(), count).into_vec();
    members_at(set, ranks)
}

/// `count` independent uniform draws (members may repeat), in one walk of the table.
fn drawn_members(set: &Set, count: usize) -> Vec<&[u8]> {
    use rand::Rng;
    let mut rng = rand::thread_rng();
    if set.is_empty() {
        return Vec::new();
    }
    let ranks = (0..count).map(|_| rng.gen_range(0..set.len())).collect();
    members_at(set, ranks)
}

/// The members at the given ranks of the table's order (a rank may repeat), shuffled:
/// a shuffled sample has the distribution of the draws in the order they were made.
fn members_at(set: &Set, mut ranks: Vec<usize>) -> Vec<&[u8]> {
    use rand::seq::SliceRandom;
    ranks.sort_unstable();
    let mut chosen = Vec::with_capacity(ranks.len());
    let mut wanted = ranks.into_iter().peekable();
    for (rank, member) in set.iter().enumerate() {
        while wanted.peek() == Some(&rank) {
            chosen.push(member);
            wanted.next();
        }
        if wanted.peek().is_none() {
            break;
        }
    }
    chosen.shuffle(&mut rand::thread_rng());
    chosen
}
