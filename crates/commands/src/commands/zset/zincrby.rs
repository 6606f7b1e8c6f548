//! ZINCRBY key increment member
//!
//! ZADD INCR without options: replies the member's new score.

use super::zadd::{generic, Flags};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let flags = Flags {
        incr: true,
        ..Flags::default()
    };
    generic(ctx, args, flags, true);
}
