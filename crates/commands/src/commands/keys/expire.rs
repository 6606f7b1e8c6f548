//! EXPIRE key seconds [NX | XX | GT | LT]

use crate::args::{is, text};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    expire_generic(ctx, args, true, true);
}

/// The conditions NX, XX, GT and LT put on a new expiry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Conditions {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
}

impl Conditions {
    /// Parses the options after the time, with redis-server's errors.
    pub fn parse(options: &[&[u8]]) -> Result<Conditions, String> {
        let mut c = Conditions::default();
        for option in options {
            if is(option, "nx") {
                c.nx = true;
            } else if is(option, "xx") {
                c.xx = true;
            } else if is(option, "gt") {
                c.gt = true;
            } else if is(option, "lt") {
                c.lt = true;
            } else {
                return Err(format!("ERR Unsupported option {}", text(option)));
            }
        }
        if c.nx && (c.xx || c.gt || c.lt) {
            return Err(
                "ERR NX and XX, GT or LT options at the same time are not compatible".into(),
            );
        }
        if c.gt && c.lt {
            return Err("ERR GT and LT options at the same time are not compatible".into());
        }
        Ok(c)
    }

    /// True when a key whose expiry is `current` (None: no TTL) may get `when`.
    /// Without a TTL a key counts as living forever: GT always fails, LT succeeds.
    pub fn allow(&self, current: Option<i64>, when: i64) -> bool {
        !((self.nx && current.is_some())
            || (self.xx && current.is_none())
            || (self.gt && current.is_none_or(|c| when <= c))
            || (self.lt && current.is_some_and(|c| when >= c)))
    }
}

/// Converts the time argument to absolute unix milliseconds: `relative` adds the
/// command's time, `seconds` scales. Negative results are allowed (they delete).
pub fn absolute_ms(raw: i64, relative: bool, seconds: bool, now_ms: u64) -> Option<i64> {
    let ms = if seconds { raw.checked_mul(1000)? } else { raw };
    let base = if relative { now_ms as i64 } else { 0 };
    if ms > i64::MAX - base {
        return None;
    }
    Some(ms + base)
}

/// The shared body of EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT.
pub fn expire_generic(ctx: &mut Ctx<'_>, args: &[&[u8]], relative: bool, seconds: bool) {
    let key = args[1];
    let conditions = match Conditions::parse(&args[3..]) {
        Ok(c) => c,
        Err(e) => return ctx.err(&e),
    };
    let Some(raw) = parse_i64(args[2]) else {
        return ctx.err(errors::NOT_INTEGER);
    };
    let now = ctx.keys.now_ms;
    let Some(when) = absolute_ms(raw, relative, seconds, now) else {
        return ctx.err(&errors::invalid_expire(ctx.spec.name));
    };
    let current = match ctx.keys.get(ctx.db, key) {
        Some(item) => item
            .expire_at()
            .map(|t| i64::try_from(t).unwrap_or(i64::MAX)),
        None => return ctx.out.int(0),
    };
    if !conditions.allow(current, when) {
        return ctx.out.int(0);
    }
    if when <= now as i64 {
        // Already in the past: the key goes now, and replicas are told so plainly.
        ctx.keys.remove(ctx.db, key);
        ctx.modified(key);
        ctx.propagate_as(vec![b"DEL".to_vec(), key.to_vec()]);
        ctx.notify(notify::GENERIC, "del", key);
        return ctx.out.int(1);
    }
    ctx.keys.set_expire(ctx.db, key, Some(when as u64));
    ctx.modified(key);
    if ctx.spec.name != "pexpireat" {
        // Replicas and the append-only file get an absolute time in milliseconds.
        let mut rewritten = vec![
            b"PEXPIREAT".to_vec(),
            key.to_vec(),
            when.to_string().into_bytes(),
        ];
        rewritten.extend(args[3..].iter().map(|a| a.to_vec()));
        ctx.propagate_as(rewritten);
    }
    ctx.notify(notify::GENERIC, "expire", key);
    ctx.out.int(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_parse_like_redis() {
        assert_eq!(Conditions::parse(&[]).unwrap(), Conditions::default());
        assert!(Conditions::parse(&[b"NX"]).unwrap().nx);
        assert_eq!(
            Conditions::parse(&[b"nx", b"gt"]).unwrap_err(),
            "ERR NX and XX, GT or LT options at the same time are not compatible"
        );
        assert_eq!(
            Conditions::parse(&[b"gt", b"LT"]).unwrap_err(),
            "ERR GT and LT options at the same time are not compatible"
        );
        assert_eq!(
            Conditions::parse(&[b"xx", b"bad"]).unwrap_err(),
            "ERR Unsupported option bad"
        );
        // XX with GT or LT is fine.
        assert!(Conditions::parse(&[b"xx", b"gt"]).is_ok());
    }

    #[test]
    fn conditions_against_current_expiry() {
        let gt = Conditions {
            gt: true,
            ..Default::default()
        };
        let lt = Conditions {
            lt: true,
            ..Default::default()
        };
        let nx = Conditions {
            nx: true,
            ..Default::default()
        };
        let xx = Conditions {
            xx: true,
            ..Default::default()
        };
        assert!(!gt.allow(None, 100));
        assert!(gt.allow(Some(50), 100));
        assert!(!gt.allow(Some(100), 100));
        assert!(lt.allow(None, 100));
        assert!(lt.allow(Some(150), 100));
        assert!(!lt.allow(Some(100), 100));
        assert!(nx.allow(None, 1) && !nx.allow(Some(1), 1));
        assert!(!xx.allow(None, 1) && xx.allow(Some(1), 1));
    }

    #[test]
    fn absolute_times_and_overflow() {
        assert_eq!(absolute_ms(10, true, true, 1_000), Some(11_000));
        assert_eq!(absolute_ms(10, false, false, 1_000), Some(10));
        assert_eq!(absolute_ms(-5, true, true, 1_000), Some(-4_000));
        assert_eq!(absolute_ms(i64::MAX / 1000 + 1, false, true, 0), None);
        assert_eq!(absolute_ms(i64::MIN / 1000 - 1, false, true, 0), None);
        assert_eq!(absolute_ms(i64::MAX, true, false, 1), None);
        assert_eq!(absolute_ms(i64::MAX, false, false, 1), Some(i64::MAX));
    }
}
