//! BZPOPMAX key [key ...] timeout
//!
//! Pops the member of highest score from the first non-empty sorted set, replying
//! `[key, member, score]` (propagated as ZPOPMAX), or waits up to `timeout` seconds
//! (0: forever) for one.

use super::pop::{bzpop, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    bzpop(ctx, args, End::Max);
}
