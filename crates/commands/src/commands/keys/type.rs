//! TYPE key

use super::type_name;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    match ctx.keys.read_untouched(ctx.db, args[1]) {
        Some(item) => ctx.out.simple(type_name(item)),
        None => ctx.out.simple("none"),
    }
}
