//! LSET key index element

use super::lindex::position;
use super::{write_list, written, INDEX_RANGE};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, element) = (args[1], args[3]);
    let db = ctx.db;
    // The key is looked up before the index is parsed, as redis-server does.
    let list = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.error(errors::NO_SUCH_KEY),
        Err(Replied) => return,
    };
    let Some(index) = parse_i64(args[2]) else {
        return ctx.out.error(errors::NOT_INTEGER);
    };
    let replaced = position(index, list.len()).is_some_and(|at| list.set(at, element));
    if !replaced {
        return ctx.out.error(INDEX_RANGE);
    }
    ctx.out.ok();
    written(ctx, key, 1);
    ctx.notify(notify::LIST, "lset", key);
}
