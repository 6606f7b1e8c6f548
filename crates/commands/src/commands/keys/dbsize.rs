//! DBSIZE
//!
//! Counts every key the database holds, including keys past their TTL that were not
//! reclaimed yet, as redis-server does.

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let count = ctx.keys.len(ctx.db);
    ctx.out.int(count as i64);
}
