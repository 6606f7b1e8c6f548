//! LOLWUT [VERSION version]
//!
//! Prints the version line redis-server 7.0 prints (its LOLWUT 7 art is that line);
//! the VERSION 5 and 6 drawings are not reproduced.

use super::super::connection::REDIS_VERSION;
use crate::args::{int, is};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() >= 3 && is(args[1], "version") && int(ctx, args[2]).is_none() {
        return;
    }
    let text = format!("Redis ver. {REDIS_VERSION}\n");
    ctx.out.verbatim(text.as_bytes());
}
