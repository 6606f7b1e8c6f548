//! CLIENT UNPAUSE

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    *ctx.node.pause.lock() = None;
    ctx.node
        .pause_active
        .store(false, std::sync::atomic::Ordering::Release);
    ctx.node.unpaused.notify_waiters();
    ctx.out.ok();
}
