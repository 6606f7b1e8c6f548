//! BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
//!
//! LMPOP that would wait up to `timeout` seconds (0: forever) for a list to pop from.
//! Blocking is not implemented yet: with nothing to pop, it replies at once the null
//! array redis-server replies when the timeout expires (see [`super::time_out`]).

use super::{lock_mpop_keys, mpop, parse_mpop, time_out, timeout, Nothing};
use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// The keys' positions depend on `numkeys`: they are locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_mpop_keys(ks, db, args, 2, set);
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    // The options are checked before the timeout, as redis-server does.
    let options = match parse_mpop(args, 2) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let Some(timeout) = timeout(ctx, args[1]) else {
        return;
    };
    let keys = &args[options.first_key..options.first_key + options.numkeys];
    if !mpop(ctx, keys, options.end, options.count) {
        time_out(ctx, timeout, Nothing::NullArray, keys);
    }
}
