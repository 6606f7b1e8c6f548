//! ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
//!
//! Pops up to `count` (default 1) elements from the first non-empty sorted set,
//! replying `[key, [[member, score], ...]]`, or a null array when every key is
//! missing. Propagated as `ZPOPMIN|ZPOPMAX key n`.

use super::pop::{lock_mpop_keys, zmpop};
use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// The keys' positions depend on `numkeys`: they are locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_mpop_keys(ks, db, args, 1, set);
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    zmpop(ctx, args);
}
