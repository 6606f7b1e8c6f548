//! The static command table: one row per command (name, arity, flags, key positions,
//! ACL categories, handler). It drives dispatch, arity checks, lock sets, COMMAND INFO
//! and COMMAND DOCS, and decides what is propagated to the write stream.

use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// A command handler: parse `args` (the command name is `args[0]`), act, reply.
pub type Handler = fn(&mut Ctx<'_>, &[&[u8]]);

/// Adds to `set` the stripes a command needs when its key positions are not enough
/// (MOVE touches a second database, SWAPDB whole databases).
pub type LockFn = fn(&Keyspace, usize, &[&[u8]], &mut LockSet);

pub mod flags {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 3;
    pub const PUBSUB: u32 = 1 << 4;
    pub const NOSCRIPT: u32 = 1 << 5;
    pub const LOADING: u32 = 1 << 6;
    pub const STALE: u32 = 1 << 7;
    pub const FAST: u32 = 1 << 8;
    pub const NO_AUTH: u32 = 1 << 9;
    pub const NO_MULTI: u32 = 1 << 10;
    pub const SKIP_MONITOR: u32 = 1 << 11;
    pub const SKIP_SLOWLOG: u32 = 1 << 12;
    pub const ALLOW_BUSY: u32 = 1 << 13;
    pub const MAY_REPLICATE: u32 = 1 << 14;
    pub const SENTINEL: u32 = 1 << 15;
    /// Locks every stripe of the client's current database.
    pub const WHOLE_DB: u32 = 1 << 16;
    /// Locks every stripe of every database.
    pub const ALL_DBS: u32 = 1 << 17;
    /// Allowed while a RESP2 client is in subscribe mode.
    pub const PUBSUB_CONTEXT: u32 = 1 << 18;
    /// Keys are only named, never touched (WATCH): no locks are taken.
    pub const NO_KEY_LOCK: u32 = 1 << 19;
    /// Refused while a replica loads its data in the background (SAVE, BGSAVE).
    pub const NO_ASYNC_LOADING: u32 = 1 << 20;
    /// May block the client (BLPOP, ...): shown as `blocking` by COMMAND INFO.
    pub const BLOCKING: u32 = 1 << 21;
    /// Key positions depend on the arguments (LMPOP, ...): shown as `movablekeys`.
    pub const MOVABLEKEYS: u32 = 1 << 22;

    /// Names in COMMAND INFO order.
    pub const NAMES: &[(u32, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MULTI, "no_multi"),
        (MOVABLEKEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
    ];
}

/// One command or subcommand.
pub struct CommandSpec {
    /// Lower-case name (`get`, or the subcommand's own name such as `getname`).
    pub name: &'static str,
    /// Redis arity: exact count if positive, minimum count if negative (name included).
    pub arity: i32,
    pub flags: u32,
    /// Key positions: first, last (negative counts from the end), step. 0,0,0 = none.
    pub keys: (i32, i32, i32),
    /// ACL categories, space separated, without `@` (`read string fast`).
    pub acl: &'static str,
    /// COMMAND DOCS group (`string`, `generic`, `server`, ...).
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    pub handler: Handler,
    /// Extra stripes to lock beyond `keys`.
    pub lock: Option<LockFn>,
    pub subcommands: &'static [CommandSpec],
}

impl CommandSpec {
    pub const fn new(name: &'static str, arity: i32, flags: u32, handler: Handler) -> CommandSpec {
        CommandSpec {
            name,
            arity,
            flags,
            keys: (0, 0, 0),
            acl: "",
            group: "generic",
            since: "1.0.0",
            summary: "",
            handler,
            lock: None,
            subcommands: &[],
        }
    }

    pub const fn keys(mut self, first: i32, last: i32, step: i32) -> Self {
        self.keys = (first, last, step);
        self
    }

    pub const fn acl(mut self, categories: &'static str) -> Self {
        self.acl = categories;
        self
    }

    pub const fn doc(
        mut self,
        group: &'static str,
        since: &'static str,
        summary: &'static str,
    ) -> Self {
        self.group = group;
        self.since = since;
        self.summary = summary;
        self
    }

    pub const fn lock(mut self, lock: LockFn) -> Self {
        self.lock = Some(lock);
        self
    }

    pub const fn subcommands(mut self, subs: &'static [CommandSpec]) -> Self {
        self.subcommands = subs;
        self
    }

    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }

    pub fn arity_ok(&self, argc: usize) -> bool {
        let argc = argc as i32;
        (self.arity > 0 && argc == self.arity) || (self.arity < 0 && argc >= -self.arity)
    }

    /// Positions of the key arguments in `args`, following `keys`.
    pub fn key_positions(&self, argc: usize) -> impl Iterator<Item = usize> {
        let (first, last, step) = self.keys;
        let argc = argc as i32;
        let last = if last < 0 {
            argc + last
        } else {
            last.min(argc - 1)
        };
        let range = if first <= 0 || step <= 0 || first > last {
            0..0
        } else {
            first..last + 1
        };
        range.step_by(step.max(1) as usize).map(|p| p as usize)
    }

    /// The subcommand named by `name`, if this command has subcommands. Subcommand
    /// rows are named in full (`config|get`), as COMMAND INFO and INFO show them.
    pub fn subcommand(&self, name: &[u8]) -> Option<&'static CommandSpec> {
        self.subcommands.iter().find(|s| {
            let short = s.name.rsplit('|').next().unwrap_or(s.name);
            short.as_bytes().eq_ignore_ascii_case(name)
        })
    }
}

/// Case-insensitive lookup of top-level commands.
pub struct CommandTable {
    by_name: hashbrown::HashMap<(u128, u128), &'static CommandSpec, rustc_hash::FxBuildHasher>,
}

/// A command name folded to lowercase and packed with its length into two integers,
/// so a lookup hashes and compares registers (no name is longer than 31 bytes).
fn packed(name: &[u8]) -> Option<(u128, u128)> {
    if name.len() > 31 {
        return None;
    }
    let mut bytes = [0u8; 32];
    bytes[..name.len()].copy_from_slice(name);
    bytes[31] = name.len() as u8;
    let (lo, hi) = bytes.split_at(16);
    Some((
        ascii_lowercase(u128::from_le_bytes(lo.try_into().ok()?)),
        ascii_lowercase(u128::from_le_bytes(hi.try_into().ok()?)),
    ))
}

/// `to_ascii_lowercase` on each of the 16 bytes of `x` at once: `A`..=`Z` gain 0x20,
/// every other byte (non-ASCII ones included) is left as it is.
fn ascii_lowercase(x: u128) -> u128 {
    const EACH: u128 = u128::MAX / 0xff; // 0x0101...01
                                         // Seven low bits of each byte, plus an offset that sets a byte's top bit exactly
                                         // when it is at least `A` (resp. past `Z`): no carry crosses into the next byte.
    let low = x & (EACH * 0x7f);
    let at_least_a = low + EACH * (0x80 - b'A' as u128);
    let past_z = low + EACH * (0x80 - b'Z' as u128 - 1);
    let upper = at_least_a & !past_z & !x & (EACH * 0x80);
    x | (upper >> 2)
}

impl CommandTable {
    pub fn new(groups: &[&'static [CommandSpec]]) -> CommandTable {
        CommandTable {
            by_name: groups
                .iter()
                .flat_map(|g| g.iter())
                .map(|c| (packed(c.name.as_bytes()).expect("command name too long"), c))
                .collect(),
        }
    }

    pub fn get(&self, name: &[u8]) -> Option<&'static CommandSpec> {
        self.by_name.get(&packed(name)?).copied()
    }

    pub fn all(&self) -> impl Iterator<Item = &'static CommandSpec> + '_ {
        self.by_name.values().copied()
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packing_lowercases_each_byte_as_to_ascii_lowercase_does() {
        for b in 0..=255u8 {
            for at in 0..31 {
                let mut name = vec![b'G'; 31];
                name[at] = b;
                let folded: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
                assert_eq!(packed(&name), packed_slowly(&folded), "byte {b:#x} at {at}");
            }
        }
        assert_eq!(packed(b"GET"), packed(b"get"));
        assert_ne!(packed(b"GET"), packed(b"GET\0"));
        assert_eq!(packed(&[b'a'; 32]), None);
    }

    /// The packing spelled out byte by byte.
    fn packed_slowly(folded: &[u8]) -> Option<(u128, u128)> {
        let (mut lo, mut hi) = (0u128, (folded.len() as u128) << 120);
        for (i, &b) in folded.iter().enumerate() {
            if i < 16 {
                lo |= (b as u128) << (8 * i);
            } else {
                hi |= (b as u128) << (8 * (i - 16));
            }
        }
        Some((lo, hi))
    }
}
