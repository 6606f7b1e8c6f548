//! ROLE
//!
//! A node is always a master for now: `["master", <replication offset>, []]`.

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.array(3);
    ctx.out.bulk(b"master");
    ctx.out.int(ctx.node.stream.offset() as i64);
    ctx.out.array(0);
}
