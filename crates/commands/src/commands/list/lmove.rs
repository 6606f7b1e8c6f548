//! LMOVE source destination LEFT|RIGHT LEFT|RIGHT

use super::{move_element, End};
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(from) = End::parse(args[3]) else {
        return ctx.err(errors::SYNTAX);
    };
    let Some(to) = End::parse(args[4]) else {
        return ctx.err(errors::SYNTAX);
    };
    move_element(ctx, args[1], args[2], from, to);
}
