//! ZREMRANGEBYSCORE key min max
//!
//! Removes the members with a score in the range (`(` excludes a bound); replies how many.

use super::zremrangebyrank::{generic, By};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, By::Score);
}
