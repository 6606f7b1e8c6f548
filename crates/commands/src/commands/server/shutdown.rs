//! SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]
//!
//! Persistence does not exist yet, so SAVE / NOSAVE change nothing. On success there
//! is no reply: the node stops and the connection closes.

use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (mut save, mut nosave, mut other, mut abort) = (false, false, false, false);
    for arg in &args[1..] {
        if is(arg, "nosave") {
            nosave = true;
        } else if is(arg, "save") {
            save = true;
        } else if is(arg, "now") || is(arg, "force") {
            other = true;
        } else if is(arg, "abort") {
            abort = true;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    if (abort && (save || nosave || other)) || (save && nosave) {
        return ctx.err(errors::SYNTAX);
    }
    if abort {
        // Shutting down is immediate: there is never one in progress to abort.
        return ctx.err("ERR No shutdown in progress.");
    }
    ctx.node.request_shutdown();
    ctx.client.close_after_reply = true;
}
