//! PFCOUNT key [key ...]: one key answers from (and refreshes) its cached estimate;
//! several keys are merged on the fly and estimated as their union.

use super::{hll, load};
use crate::commands::strings::store_raw;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 2 {
        let mut registers = vec![0u8; hll::REGISTERS];
        for key in &args[1..] {
            let Ok(existing) = load(ctx, key, true) else {
                return;
            };
            if let Some((value, _)) = existing {
                if let Err(e) = hll::merge_into(&mut registers, &value) {
                    return ctx.err(e.message());
                }
            }
        }
        return ctx.out.int(hll::estimate(&registers) as i64);
    }
    let key = args[1];
    let Ok(existing) = load(ctx, key, true) else {
        return;
    };
    let Some((mut value, ttl)) = existing else {
        return ctx.out.int(0);
    };
    match hll::count(&mut value) {
        Ok((cardinality, refreshed)) => {
            if refreshed {
                // The cached estimate is part of the value: store it.
                store_raw(ctx, key, &[&value], ttl);
            }
            ctx.out.int(cardinality as i64);
        }
        Err(e) => ctx.err(e.message()),
    }
}
