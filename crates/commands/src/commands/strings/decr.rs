//! DECR key

use super::incr::incr_by;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    incr_by(ctx, args[1], -1);
}
