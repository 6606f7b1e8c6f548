//! MULTI

use crate::client::Multi;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    if ctx.client.multi.is_some() {
        return ctx.err("ERR MULTI calls can not be nested");
    }
    ctx.client.multi = Some(Multi::default());
    ctx.client.shared.info.lock().multi = Some(0);
    ctx.out.ok();
}
