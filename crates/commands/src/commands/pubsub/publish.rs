//! PUBLISH channel message

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let node = ctx.node;
    let receivers = node
        .pubsub
        .publish(args[1], args[2], &|c, f| node.deliver(c, f));
    ctx.out.int(receivers as i64);
}
