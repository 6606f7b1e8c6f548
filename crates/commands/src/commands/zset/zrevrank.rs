//! ZREVRANK key member
//!
//! The member's 0-based rank by descending score, or nil.

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::zrank::rank(ctx, args, true);
}
