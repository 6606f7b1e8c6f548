//! RESET

use crate::client::ReplyMode;
use crate::ctx::Ctx;
use ferrocache_protocol::RespVersion;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    crate::commands::tx::discard_transaction(ctx);
    crate::commands::tx::unwatch_all(ctx);
    crate::commands::pubsub::unsubscribe_all(ctx);
    ctx.client.db = 0;
    ctx.db = 0;
    ctx.client.reply_mode = ReplyMode::On;
    ctx.client.no_evict = false;
    crate::commands::client::disable_tracking(ctx.node, ctx.client);
    if ctx.client.monitor {
        ctx.client.monitor = false;
        let mut monitors = ctx.node.monitors.lock();
        monitors.retain(|m| m.id != ctx.client.id());
        ctx.node
            .monitoring
            .store(!monitors.is_empty(), Ordering::Relaxed);
    }
    {
        let mut info = ctx.client.shared.info.lock();
        info.name.clear();
        info.db = 0;
        info.resp = 2;
        info.monitor = false;
        info.no_evict = false;
    }
    ctx.out.version = RespVersion::Resp2;
    ctx.client.shared.resp3.store(false, Ordering::Relaxed);
    ctx.client.authenticated = ctx.node.settings().requirepass.is_none();
    ctx.out.simple("RESET");
}
