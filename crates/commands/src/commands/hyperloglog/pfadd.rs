//! PFADD key [element ...]

use super::{hll, load};
use crate::commands::strings::store_raw;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let Ok(existing) = load(ctx, key, false) else {
        return;
    };
    let max = ctx.settings.hll_sparse_max_bytes;
    let (mut value, ttl, mut updated) = match existing {
        Some((value, ttl)) => (value, ttl, false),
        None => (hll::new_sparse(), None, true),
    };
    for element in &args[2..] {
        match hll::add(&mut value, element, max) {
            Ok(changed) => updated |= changed,
            Err(e) => return ctx.err(e.message()),
        }
    }
    if updated {
        hll::invalidate_cache(&mut value);
        store_raw(ctx, key, &[&value], ttl);
        ctx.notify(notify::STRING, "pfadd", key);
    }
    ctx.out.int(updated as i64);
}
