//! SUBSTR key start end (the old name of GETRANGE)

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::getrange::run(ctx, args);
}
