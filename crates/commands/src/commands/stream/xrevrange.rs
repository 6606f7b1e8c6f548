//! XREVRANGE key end start [COUNT count]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::xrange::range(ctx, args, true);
}
