//! BLPOP key [key ...] timeout
//!
//! Pops the head element of the first non-empty list, replying `[key, element]`
//! (propagated as `LPOP`), or waits up to `timeout` seconds (0: forever) for one.
//! Blocking is not implemented yet: with nothing to pop, it replies at once the null
//! array redis-server replies when the timeout expires (see [`super::time_out`]).

use super::{blocking_pop, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    blocking_pop(ctx, args, End::Left);
}
