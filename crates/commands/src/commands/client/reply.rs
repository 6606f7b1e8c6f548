//! CLIENT REPLY ON|OFF|SKIP
//!
//! ON replies +OK; OFF and SKIP reply nothing. SKIP drops the reply of the next
//! command only, and does nothing while replies are off. The dispatcher applies the
//! mode once the command has run (`ReplyMode::SkipNext` becomes `Skip` for the next
//! command, whose reply is then dropped).

use crate::args::is;
use crate::client::ReplyMode;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if is(args[2], "on") {
        ctx.client.reply_mode = ReplyMode::On;
        ctx.client.shared.info.lock().reply_off = false;
        ctx.out.ok();
    } else if is(args[2], "off") {
        ctx.client.reply_mode = ReplyMode::Off;
        ctx.client.shared.info.lock().reply_off = true;
    } else if is(args[2], "skip") {
        if ctx.client.reply_mode != ReplyMode::Off {
            ctx.client.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        ctx.err(errors::SYNTAX);
    }
}
