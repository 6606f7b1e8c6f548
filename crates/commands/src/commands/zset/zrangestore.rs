//! ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
//!
//! ZRANGE's selection stored in `dst` (replacing it, or deleting it when empty);
//! replies the number of elements stored.

use super::zrange::{generic, Direction, RangeType};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(
        ctx,
        args,
        2,
        Some(args[1]),
        RangeType::Auto,
        Direction::Auto,
    );
}
