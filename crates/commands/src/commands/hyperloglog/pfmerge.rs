//! PFMERGE destkey [sourcekey ...]: the destination takes, register by register, the
//! maximum over itself and the sources; it turns dense if any input was dense.

use super::{hll, load};
use crate::commands::strings::store_raw;
use crate::config::notify;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let dest = args[1];
    let mut registers = vec![0u8; hll::REGISTERS];
    let mut any_dense = false;
    let mut destination = None;
    for (i, key) in args[1..].iter().enumerate() {
        let Ok(existing) = load(ctx, key, false) else {
            return;
        };
        let Some((value, ttl)) = existing else {
            continue;
        };
        any_dense |= hll::validate(&value) == Ok(hll::Encoding::Dense);
        if let Err(e) = hll::merge_into(&mut registers, &value) {
            return ctx.err(e.message());
        }
        if i == 0 {
            destination = Some((value, ttl));
        }
    }
    let (mut value, ttl) = destination.unwrap_or_else(|| (hll::new_sparse(), None));
    if any_dense {
        if let Err(e) = hll::to_dense(&mut value) {
            return ctx.err(e.message());
        }
    }
    let max = ctx.settings.hll_sparse_max_bytes;
    for (index, register) in registers.iter().enumerate() {
        if *register == 0 {
            continue;
        }
        if let Err(e) = hll::raise(&mut value, index, *register, max) {
            return ctx.err(e.message());
        }
    }
    hll::invalidate_cache(&mut value);
    store_raw(ctx, dest, &[&value], ttl);
    ctx.notify(notify::STRING, "pfadd", dest);
    ctx.out.simple("OK");
}
