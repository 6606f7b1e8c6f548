//! RPOP key [count]

use super::{pop, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    pop(ctx, args, End::Right);
}
