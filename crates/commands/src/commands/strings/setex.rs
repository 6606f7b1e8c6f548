//! SETEX key seconds value

use super::set::{expire_time, set_generic, SetOptions};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    setex_generic(ctx, args, true, "setex");
}

/// SETEX and PSETEX: `args[2]` is the relative TTL in seconds or milliseconds.
pub fn setex_generic(ctx: &mut Ctx<'_>, args: &[&[u8]], seconds: bool, command: &str) {
    let Some(when) = expire_time(ctx, args[2], seconds, false, command) else {
        return;
    };
    let opts = SetOptions {
        expire_at: Some(when),
        ..Default::default()
    };
    if set_generic(ctx, args[1], args[3], opts) == super::set::Outcome::Stored {
        ctx.out.ok();
    }
}
