//! GEORADIUS key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST]
//!   [WITHHASH] [COUNT count [ANY]] [ASC|DESC] [STORE key] [STOREDIST key]
//!
//! The members within `radius` of a position (see [`super::search`]).

use super::search::{generic, lock_store_keys, Kind};
use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// STORE / STOREDIST name a key among the options: it is locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_store_keys(ks, db, args, 6, set);
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Kind::Radius { store: true });
}
