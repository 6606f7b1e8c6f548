//! MONITOR

use crate::ctx::Ctx;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    if ctx.in_exec {
        // A transaction expects one reply per command: it cannot start a stream.
        return ctx.err("ERR MONITOR isn't allowed for DENY BLOCKING client");
    }
    if ctx.client.monitor {
        // Already monitoring: ignored without a reply, as redis-server does.
        return;
    }
    ctx.client.monitor = true;
    ctx.client.shared.info.lock().monitor = true;
    let mut monitors = ctx.node.monitors.lock();
    monitors.push(ctx.client.shared.clone());
    ctx.node.monitoring.store(true, Ordering::Relaxed);
    drop(monitors);
    ctx.out.ok();
}
