//! ZDIFF numkeys key [key ...] [WITHSCORES]
//!
//! The members of the first input found in no other one, with their scores.

use super::setops::{generic, Op, Output};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Op::Diff, Output::Reply);
}
