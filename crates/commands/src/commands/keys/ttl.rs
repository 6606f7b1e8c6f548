//! TTL key

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    ttl_generic(ctx, args[1], false, false);
}

/// The shared body of TTL, PTTL, EXPIRETIME and PEXPIRETIME: -2 for a missing key,
/// -1 for a key without a TTL, else the remaining time (`absolute`: the expiry time)
/// in milliseconds or rounded to the nearest second.
pub fn ttl_generic(ctx: &mut Ctx<'_>, key: &[u8], millis: bool, absolute: bool) {
    let now = ctx.keys.now_ms as i64;
    let expire_at = match ctx.keys.read_untouched(ctx.db, key) {
        None => return ctx.out.int(-2),
        Some(item) => item.expire_at(),
    };
    let Some(expire_at) = expire_at else {
        return ctx.out.int(-1);
    };
    ctx.out.int(ttl_value(
        i64::try_from(expire_at).unwrap_or(i64::MAX),
        now,
        millis,
        absolute,
    ));
}

/// The reply for a key expiring at `expire_at` (ms), seen at `now` (ms).
pub fn ttl_value(expire_at: i64, now: i64, millis: bool, absolute: bool) -> i64 {
    let ttl = if absolute {
        expire_at
    } else {
        expire_at.saturating_sub(now)
    }
    .max(0);
    if millis {
        ttl
    } else {
        ((ttl as i128 + 500) / 1000) as i64
    }
}

#[cfg(test)]
mod tests {
    use super::ttl_value;

    #[test]
    fn rounding_as_redis() {
        assert_eq!(ttl_value(10_499, 0, false, false), 10);
        assert_eq!(ttl_value(10_500, 0, false, false), 11);
        assert_eq!(ttl_value(1_000, 2_000, false, false), 0);
        assert_eq!(ttl_value(1_000, 2_000, true, false), 0);
        assert_eq!(ttl_value(5_000, 2_000, true, false), 3_000);
        assert_eq!(ttl_value(1_700_000_000_499, 0, false, true), 1_700_000_000);
        assert_eq!(ttl_value(i64::MAX, 0, false, true), 9_223_372_036_854_776);
        assert_eq!(ttl_value(i64::MAX, 5, true, true), i64::MAX);
    }
}
