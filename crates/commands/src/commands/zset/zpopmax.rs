//! ZPOPMAX key [count]
//!
//! Removes and replies the `count` (default 1) members of highest score.

use super::pop::{zpop, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    zpop(ctx, args, End::Max);
}
