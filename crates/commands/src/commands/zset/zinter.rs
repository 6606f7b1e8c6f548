//! ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
//!
//! The members present in every input, scores aggregated.

use super::setops::{generic, Op, Output};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Op::Inter, Output::Reply);
}
