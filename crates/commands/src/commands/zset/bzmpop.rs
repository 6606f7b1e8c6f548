//! BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
//!
//! ZMPOP that waits up to `timeout` seconds (0: forever) for a sorted set to pop
//! from.

use super::pop::{bzmpop, lock_mpop_keys};
use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// The keys' positions depend on `numkeys`: they are locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_mpop_keys(ks, db, args, 2, set);
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    bzmpop(ctx, args);
}
