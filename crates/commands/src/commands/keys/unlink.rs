//! UNLINK key [key ...]
//!
//! The same as DEL here: freeing a key's single allocation is cheap, so there is no
//! work worth handing to another thread.

use super::del::del_generic;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let removed = del_generic(ctx, &args[1..]);
    ctx.out.int(removed);
}
