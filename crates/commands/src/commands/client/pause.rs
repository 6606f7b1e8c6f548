//! CLIENT PAUSE timeout [WRITE|ALL]
//!
//! Pauses every client (ALL, the default) or only the commands that may write
//! (WRITE) for `timeout` milliseconds. A pause already in force keeps the later end
//! and the stricter mode of the two.

use crate::args::is;
use crate::ctx::Ctx;
use crate::node::Pause;
use ferrocache_protocol::number::parse_i64;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 4 {
        return super::subcommand_syntax(ctx, args);
    }
    let mut write_only = false;
    if args.len() == 4 {
        if is(args[3], "write") {
            write_only = true;
        } else if !is(args[3], "all") {
            return ctx.err("ERR CLIENT PAUSE mode must be WRITE or ALL");
        }
    }
    let Some(millis) = parse_i64(args[2]) else {
        return ctx.err("ERR timeout is not an integer or out of range");
    };
    if millis < 0 {
        return ctx.err(crate::errors::NEGATIVE_TIMEOUT);
    }
    let now = Instant::now();
    // A zero timeout ends at once; so does one whose end, in unix milliseconds, is
    // past i64::MAX (it wraps around to the past in redis-server). Either may still
    // make a running pause stricter.
    let unix_ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let until = if millis == 0 || millis.checked_add(unix_ms).is_none() {
        None
    } else {
        now.checked_add(Duration::from_millis(millis as u64))
    };
    let mut pause = ctx.node.pause.lock();
    *pause = merge(pause.filter(|p| p.until > now), until, write_only);
    ctx.node
        .pause_active
        .store(pause.is_some(), std::sync::atomic::Ordering::Release);
    drop(pause);
    ctx.out.ok();
}

/// The pause in force after a new one ending at `until` (None: already over).
fn merge(current: Option<Pause>, until: Option<Instant>, write_only: bool) -> Option<Pause> {
    match (current, until) {
        (Some(p), until) => Some(Pause {
            until: until.map_or(p.until, |u| u.max(p.until)),
            write_only: p.write_only && write_only,
        }),
        (None, Some(until)) => Some(Pause { until, write_only }),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging() {
        let now = Instant::now();
        let later = now + Duration::from_secs(10);
        let sooner = now + Duration::from_secs(5);
        assert!(merge(None, None, false).is_none());
        let p = merge(None, Some(sooner), true).unwrap();
        assert!(p.write_only && p.until == sooner);
        // A longer pause extends, a stricter mode wins.
        let p = merge(Some(p), Some(later), false).unwrap();
        assert!(!p.write_only && p.until == later);
        // A shorter, looser one changes nothing.
        let p = merge(Some(p), Some(sooner), true).unwrap();
        assert!(!p.write_only && p.until == later);
        // A zero timeout may still make the running pause stricter.
        let w = Pause {
            until: later,
            write_only: true,
        };
        let p = merge(Some(w), None, false).unwrap();
        assert!(!p.write_only && p.until == later);
    }
}
