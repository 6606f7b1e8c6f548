//! ZDIFFSTORE destination numkeys key [key ...]
//!
//! ZDIFF stored in destination (deleted when empty); replies its size.

use super::setops::{generic, Op, Output};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 2, Op::Diff, Output::Store(args[1]));
}
