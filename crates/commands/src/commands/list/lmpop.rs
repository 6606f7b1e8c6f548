//! LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
//!
//! Pops up to `count` elements (default 1) from the first non-empty list, replying
//! `[key, [elements...]]`, or a null array when every list is empty. Propagated as
//! `LPOP|RPOP key n`.

use super::{lock_mpop_keys, mpop, parse_mpop};
use crate::ctx::Ctx;
use ferrocache_keyspace::{Keyspace, LockSet};

/// The keys' positions depend on `numkeys`: they are locked here.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_mpop_keys(ks, db, args, 1, set);
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let options = match parse_mpop(args, 1) {
        Ok(options) => options,
        Err(e) => return ctx.err(e),
    };
    let keys = &args[options.first_key..options.first_key + options.numkeys];
    if !mpop(ctx, keys, options.end, options.count) {
        ctx.out.null_array();
    }
}
