//! RENAMENX key newkey

use super::rename::rename_generic;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    rename_generic(ctx, args[1], args[2], true);
}
