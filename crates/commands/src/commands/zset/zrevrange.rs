//! ZREVRANGE key start stop [WITHSCORES]
//!
//! ZRANGE with the range type and direction fixed (see [`super::zrange::generic`]).

use super::zrange::{generic, Direction, RangeType};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, None, RangeType::Rank, Direction::Reverse);
}
