//! CLIENT NO-EVICT ON|OFF

use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let on = if is(args[2], "on") {
        true
    } else if is(args[2], "off") {
        false
    } else {
        return ctx.err(errors::SYNTAX);
    };
    ctx.client.no_evict = on;
    ctx.client.shared.info.lock().no_evict = on;
    ctx.out.ok();
}
