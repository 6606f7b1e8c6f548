//! BITFIELD_RO key [GET encoding offset [GET encoding offset ...]]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    super::bitfield::generic(ctx, argv, true)
}
