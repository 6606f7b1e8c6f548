//! ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
//!
//! The union of the sorted sets (sets count as scores of 1), scores aggregated.

use super::setops::{generic, Op, Output};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Op::Union, Output::Reply);
}
