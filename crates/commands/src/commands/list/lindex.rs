//! LINDEX key index

use super::read_list;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

/// The position `index` designates (negative counts from the end), if in the list.
pub fn position(index: i64, len: usize) -> Option<usize> {
    let len = len as i64;
    let at = if index < 0 { len + index } else { index };
    (0..len).contains(&at).then_some(at as usize)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    // The key is looked up before the index is parsed, as redis-server does.
    let list = match read_list(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.null(),
        Err(Replied) => return,
    };
    let Some(index) = parse_i64(args[2]) else {
        return ctx.out.error(errors::NOT_INTEGER);
    };
    match position(index, list.len()).and_then(|at| list.get(at)) {
        Some(value) => ctx.out.bulk(value),
        None => ctx.out.null(),
    }
}
