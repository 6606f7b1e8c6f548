//! LASTSAVE

use crate::ctx::Ctx;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out
        .int(ctx.node.last_save_unix.load(Ordering::Relaxed) as i64);
}
