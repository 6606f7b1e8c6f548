//! ZREMRANGEBYLEX key min max
//!
//! Removes the members in the lex range (`[a`, `(a`, `-`, `+`); replies how many.

use super::zremrangebyrank::{generic, By};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, By::Lex);
}
