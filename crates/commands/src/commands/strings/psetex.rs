//! PSETEX key milliseconds value

use super::setex::setex_generic;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    setex_generic(ctx, args, false, "psetex");
}
