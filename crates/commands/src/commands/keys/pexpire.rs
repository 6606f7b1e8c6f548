//! PEXPIRE key milliseconds [NX | XX | GT | LT]

use super::expire::expire_generic;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    expire_generic(ctx, args, true, false);
}
