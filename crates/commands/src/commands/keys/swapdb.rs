//! SWAPDB index1 index2

use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::{Keyspace, LockSet};
use ferrocache_protocol::number::parse_i64;

/// The two database numbers, with redis-server's errors in its order.
pub fn parse(args: &[&[u8]], databases: usize) -> Result<(usize, usize), &'static str> {
    let index = |arg: &[u8], error: &'static str| {
        parse_i64(arg)
            .filter(|&n| n >= i32::MIN as i64 && n <= i32::MAX as i64)
            .ok_or(error)
    };
    let a = index(args[1], "ERR invalid first DB index")?;
    let b = index(args[2], "ERR invalid second DB index")?;
    let valid = |n: i64| n >= 0 && (n as usize) < databases;
    if !valid(a) || !valid(b) {
        return Err(errors::DB_INDEX);
    }
    Ok((a as usize, b as usize))
}

/// Locks both databases whole.
pub fn lock(ks: &Keyspace, _db: usize, args: &[&[u8]], set: &mut LockSet) {
    if let Ok((a, b)) = parse(args, ks.databases()) {
        if a != b {
            ks.add_db(set, a);
            ks.add_db(set, b);
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (a, b) = match parse(args, ctx.node.keyspace.databases()) {
        Ok(pair) => pair,
        Err(e) => return ctx.err(e),
    };
    if a != b {
        // A client watching a key in either database fails its EXEC if the key exists
        // there before or after the swap (watches stay with the database number).
        ctx.keys.touch_all_watched(a);
        ctx.keys.touch_all_watched(b);
        ctx.keys.swap_db(a, b);
        // Clients blocked in either database may find their keys now.
        ctx.node.blocking.signal_db(a);
        ctx.node.blocking.signal_db(b);
        ctx.keys.touch_all_watched(a);
        ctx.keys.touch_all_watched(b);
    }
    ctx.dirty += 1;
    ctx.out.ok();
}
