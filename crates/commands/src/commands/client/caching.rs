//! CLIENT CACHING YES|NO
//!
//! In OPTIN mode `YES` (in OPTOUT mode `NO`) changes whether the keys of the next
//! command or transaction are tracked; the dispatcher clears it after that command.

use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(tracking) = ctx.client.tracking.as_mut() else {
        return ctx.err(
            "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        );
    };
    if is(args[2], "yes") {
        if !tracking.optin {
            return ctx.err(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            );
        }
    } else if is(args[2], "no") {
        if !tracking.optout {
            return ctx.err(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            );
        }
    } else {
        return ctx.err(errors::SYNTAX);
    }
    tracking.caching = true;
    ctx.out.ok();
}
