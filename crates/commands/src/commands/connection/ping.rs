//! PING [message]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 2 {
        return ctx.err(&crate::errors::wrong_arity("ping"));
    }
    if ctx.client.in_subscribe_mode(ctx.out) {
        ctx.out.array(2);
        ctx.out.bulk(b"pong");
        ctx.out.bulk(args.get(1).copied().unwrap_or(b""));
    } else if let Some(message) = args.get(1) {
        ctx.out.bulk(message);
    } else {
        ctx.out.simple("PONG");
    }
}
