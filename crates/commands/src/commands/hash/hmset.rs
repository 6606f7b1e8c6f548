//! HMSET key field value [field value ...]

use super::hset::set_fields;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if set_fields(ctx, args).is_some() {
        ctx.out.ok();
    }
}
