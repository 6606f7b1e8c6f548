//! TIME

use crate::ctx::Ctx;
use std::time::{SystemTime, UNIX_EPOCH};

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    ctx.out.array(2);
    ctx.out.bulk_i64(now.as_secs() as i64);
    ctx.out.bulk_i64(now.subsec_micros() as i64);
}
