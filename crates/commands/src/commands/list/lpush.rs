//! LPUSH key element [element ...]

use super::{push, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    push(ctx, args, End::Left, false);
}
