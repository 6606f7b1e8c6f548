//! SELECT index

use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(index) = parse_i64(args[1]) else {
        return ctx.err(errors::NOT_INTEGER);
    };
    if index < 0 || index as usize >= ctx.node.keyspace.databases() {
        return ctx.err(errors::DB_INDEX);
    }
    ctx.client.db = index as usize;
    ctx.db = index as usize;
    ctx.client.shared.info.lock().db = index as usize;
    ctx.out.ok();
}
