//! OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT key, OBJECT HELP

use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_keyspace::Collection;
use ferrocache_keyspace::{idle_seconds, lfu, EvictionPolicy, Item, Kind};
use ferrocache_protocol::number::parse_i64;

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("object|encoding", 3, READONLY, encoding)
        .keys(2, 2, 1)
        .acl("keyspace read slow")
        .doc(
            "generic",
            "2.2.3",
            "Inspect the internal encoding of a Redis object",
        ),
    CommandSpec::new("object|freq", 3, READONLY, freq)
        .keys(2, 2, 1)
        .acl("keyspace read slow")
        .doc(
            "generic",
            "4.0.0",
            "Get the logarithmic access frequency counter of a Redis object",
        ),
    CommandSpec::new("object|idletime", 3, READONLY, idletime)
        .keys(2, 2, 1)
        .acl("keyspace read slow")
        .doc(
            "generic",
            "2.2.3",
            "Get the time since a Redis object was last accessed",
        ),
    CommandSpec::new("object|refcount", 3, READONLY, refcount)
        .keys(2, 2, 1)
        .acl("keyspace read slow")
        .doc(
            "generic",
            "2.2.3",
            "Get the number of references to the value of the key",
        ),
    CommandSpec::new("object|help", 2, LOADING | STALE, help)
        .acl("keyspace slow")
        .doc(
            "generic",
            "6.2.0",
            "Show helpful text about the different subcommands",
        ),
];

/// The values redis-server shares between keys (integers 0..9999) report this
/// reference count.
const SHARED_REFCOUNT: i64 = i32::MAX as i64;
const SHARED_INTEGERS: i64 = 10_000;
/// Longest string redis-server embeds in its object header.
const EMBSTR_SIZE_LIMIT: usize = 44;

const LFU_SELECTED: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
const LFU_NOT_SELECTED: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

/// The integer a string value would be stored as by redis-server, if any.
fn as_integer(value: &[u8]) -> Option<i64> {
    if value.len() <= 20 {
        parse_i64(value)
    } else {
        None
    }
}

/// The encoding redis-server gives a value of this content.
pub fn encoding_name(item: &Item) -> &'static str {
    match item.kind() {
        Kind::String if item.is_raw() => "raw",
        Kind::String if as_integer(item.value()).is_some() => "int",
        Kind::String if item.value().len() <= EMBSTR_SIZE_LIMIT => "embstr",
        Kind::String => "raw",
        Kind::List => "quicklist",
        Kind::Set => match item.collection() {
            Some(Collection::Set(members)) => members.encoding(),
            _ => "hashtable",
        },
        Kind::Hash => match item.collection() {
            Some(Collection::Hash(fields)) => fields.encoding(),
            _ => "hashtable",
        },
        Kind::ZSet => match item.collection() {
            Some(Collection::ZSet(z)) if crate::commands::zset::is_listpack(z) => "listpack",
            _ => "skiplist",
        },
        Kind::Stream => "stream",
    }
}

/// The item for `args[2]`, without touching its access clock; replies nil when it is
/// missing.
fn lookup<'k>(ctx: &'k mut Ctx<'_>, args: &[&[u8]]) -> Option<&'k Item> {
    match ctx.keys.read_untouched(ctx.db, args[2]) {
        Some(item) => Some(&*item),
        None => {
            ctx.out.null();
            None
        }
    }
}

fn encoding(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if let Some(item) = lookup(ctx, args) {
        let name = encoding_name(item);
        ctx.out.bulk(name.as_bytes());
    }
}

fn refcount(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let settings = ctx.node.settings();
    // Without maxmemory, or with a policy that does not need per-key clocks,
    // redis-server stores small integers as shared objects.
    let shared_allowed = settings.maxmemory == 0
        || !matches!(
            settings.policy,
            EvictionPolicy::AllKeysLru
                | EvictionPolicy::VolatileLru
                | EvictionPolicy::AllKeysLfu
                | EvictionPolicy::VolatileLfu
        );
    drop(settings);
    let Some(item) = lookup(ctx, args) else {
        return;
    };
    let shared = item.kind() == Kind::String
        && shared_allowed
        && as_integer(item.value()).is_some_and(|n| (0..SHARED_INTEGERS).contains(&n));
    ctx.out.int(if shared { SHARED_REFCOUNT } else { 1 });
}

fn idletime(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let Some(item) = lookup(ctx, args) else {
        return;
    };
    let clock = item.clock();
    if lfu {
        return ctx.err(LFU_SELECTED);
    }
    ctx.out.int(idle_seconds(clock) as i64);
}

fn freq(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let Some(item) = lookup(ctx, args) else {
        return;
    };
    let clock = item.clock();
    if !lfu {
        return ctx.err(LFU_NOT_SELECTED);
    }
    ctx.out.int(lfu::decayed_counter(clock) as i64);
}

pub fn help(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let lines = [
        "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        "HELP",
        "    Prints this help.",
    ];
    ctx.out.array(lines.len());
    for line in lines {
        ctx.out.simple(line);
    }
}

#[cfg(test)]
mod tests {
    use super::encoding_name;
    use ferrocache_keyspace::Item;

    #[test]
    fn string_encodings() {
        let enc = |v: &[u8]| encoding_name(&Item::new_string(b"k", v, None, 0));
        assert_eq!(enc(b"123"), "int");
        assert_eq!(enc(b"-9223372036854775808"), "int");
        assert_eq!(enc(b"12345678901234567890"), "embstr");
        assert_eq!(enc(b"007"), "embstr");
        assert_eq!(enc(b""), "embstr");
        assert_eq!(enc(&[b'x'; 44]), "embstr");
        assert_eq!(enc(&[b'x'; 45]), "raw");
    }
}
