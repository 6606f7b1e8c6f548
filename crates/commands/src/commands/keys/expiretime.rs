//! EXPIRETIME key

use super::ttl::ttl_generic;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    ttl_generic(ctx, args[1], false, true);
}
