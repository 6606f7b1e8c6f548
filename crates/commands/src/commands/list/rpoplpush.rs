//! RPOPLPUSH source destination

use super::{move_element, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    move_element(ctx, args[1], args[2], End::Right, End::Left);
}
