//! CLIENT GETREDIR
//!
//! The id invalidation messages are redirected to, 0 when tracking without
//! redirection, -1 when tracking is off.

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let redirect = ctx
        .client
        .tracking
        .as_ref()
        .map_or(-1, |t| t.redirect as i64);
    ctx.out.int(redirect);
}
