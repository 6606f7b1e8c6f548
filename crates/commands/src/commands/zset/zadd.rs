//! ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
//!
//! Adds members or updates their scores; replies the number added (CH: added or
//! changed), or with INCR the new score (nil when the update was skipped). Also the
//! engine of ZINCRBY ([`generic`]).

use super::{create, is_listpack, write_zset, zset_mut};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::parse_f64;

const NAN: &str = "ERR resulting score is not a number (NaN)";

#[derive(Debug, Clone, Copy, Default)]
pub struct Flags {
    pub nx: bool,
    pub xx: bool,
    pub gt: bool,
    pub lt: bool,
    pub incr: bool,
}

/// What adding one element did.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Added(f64),
    Updated(f64),
    /// Present with the same score already (the score is the current one).
    Same(f64),
    /// Skipped by NX, XX, GT or LT.
    Nop,
    Nan,
}

/// redis-server's `zsetAdd` on one element.
fn add(z: &mut ZSet, member: &[u8], score: f64, flags: Flags) -> Outcome {
    match z.score(member) {
        Some(current) => {
            if flags.nx {
                return Outcome::Nop;
            }
            let mut score = score;
            if flags.incr {
                score += current;
                if score.is_nan() {
                    return Outcome::Nan;
                }
            }
            if (flags.lt && score >= current) || (flags.gt && score <= current) {
                return Outcome::Nop;
            }
            if score != current {
                z.insert(member, score);
                Outcome::Updated(score)
            } else {
                Outcome::Same(score)
            }
        }
        None if flags.xx => Outcome::Nop,
        None => {
            z.insert(member, score);
            Outcome::Added(score)
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, Flags::default(), false);
}

/// ZADD, or ZINCRBY (`flags.incr` preset, no options).
pub fn generic(ctx: &mut Ctx<'_>, args: &[&[u8]], mut flags: Flags, zincrby: bool) {
    let key = args[1];
    let mut ch = false;
    let mut at = 2;
    if !zincrby {
        while at < args.len() {
            let opt = args[at];
            if is(opt, "nx") {
                flags.nx = true;
            } else if is(opt, "xx") {
                flags.xx = true;
            } else if is(opt, "ch") {
                ch = true;
            } else if is(opt, "incr") {
                flags.incr = true;
            } else if is(opt, "gt") {
                flags.gt = true;
            } else if is(opt, "lt") {
                flags.lt = true;
            } else {
                break;
            }
            at += 1;
        }
    }
    let pairs = &args[at..];
    if pairs.is_empty() || !pairs.len().is_multiple_of(2) {
        return ctx.err(errors::SYNTAX);
    }
    if flags.nx && flags.xx {
        return ctx.err("ERR XX and NX options at the same time are not compatible");
    }
    if (flags.nx && (flags.gt || flags.lt)) || (flags.gt && flags.lt) {
        return ctx.err("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if flags.incr && pairs.len() > 2 {
        return ctx.err("ERR INCR option supports a single increment-element pair");
    }
    let mut scores = Vec::with_capacity(pairs.len() / 2);
    for pair in pairs.chunks_exact(2) {
        match parse_f64(pair[0]) {
            Some(score) => scores.push(score),
            None => return ctx.err(errors::NOT_FLOAT),
        }
    }
    let db = ctx.db;
    let exists = match write_zset(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(z) => z.is_some(),
    };
    if !exists {
        if flags.xx {
            return reply(ctx, flags, ch, 0, 0, None);
        }
        create(ctx, key, ZSet::with_limits(ctx.settings.zset_pack));
    }
    let Some(z) = zset_mut(&mut ctx.keys, db, key) else {
        return;
    };
    let (mut added, mut updated) = (0u64, 0u64);
    let mut last = None;
    for (pair, &score) in pairs.chunks_exact(2).zip(&scores) {
        let outcome = add(z, pair[1], score, flags);
        match normalize_zero(z, pair[1], outcome) {
            Outcome::Added(s) => {
                added += 1;
                last = Some(s);
            }
            Outcome::Updated(s) => {
                updated += 1;
                last = Some(s);
            }
            Outcome::Same(s) => last = Some(s),
            Outcome::Nop => {}
            Outcome::Nan => {
                ctx.err(NAN);
                return;
            }
        }
    }
    if added + updated > 0 {
        ctx.modified(key);
        ctx.dirty += added + updated - 1;
        let event = if flags.incr { "zincr" } else { "zadd" };
        ctx.notify(notify::ZSET, event, key);
        if added > 0 {
            ctx.signal_ready(key);
        }
    }
    reply(ctx, flags, ch, added, updated, last);
}

/// A listpack keeps scores as text, where `-0` reads back as `0`: a negative zero
/// stored in a set redis-server keeps as a listpack becomes `0`.
fn normalize_zero(z: &mut ZSet, member: &[u8], outcome: Outcome) -> Outcome {
    let fix = |s: f64| if s == 0.0 { 0.0 } else { s };
    match outcome {
        Outcome::Added(s) | Outcome::Updated(s)
            if s == 0.0 && s.is_sign_negative() && is_listpack(z) =>
        {
            z.insert(member, 0.0);
            match outcome {
                Outcome::Added(_) => Outcome::Added(0.0),
                _ => Outcome::Updated(0.0),
            }
        }
        Outcome::Same(s) => Outcome::Same(fix(s)),
        other => other,
    }
}

fn reply(ctx: &mut Ctx<'_>, flags: Flags, ch: bool, added: u64, updated: u64, last: Option<f64>) {
    if flags.incr {
        match last {
            Some(score) => ctx.out.double(score),
            None => ctx.out.null(),
        }
    } else {
        ctx.out
            .int((if ch { added + updated } else { added }) as i64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_follows_the_flags() {
        let mut z = ZSet::new();
        let none = Flags::default();
        assert_eq!(add(&mut z, b"a", 1.0, none), Outcome::Added(1.0));
        assert_eq!(add(&mut z, b"a", 1.0, none), Outcome::Same(1.0));
        let gt = Flags { gt: true, ..none };
        assert_eq!(add(&mut z, b"a", 0.5, gt), Outcome::Nop);
        assert_eq!(add(&mut z, b"a", 2.0, gt), Outcome::Updated(2.0));
        let incr = Flags { incr: true, ..none };
        assert_eq!(add(&mut z, b"a", 2.0, incr), Outcome::Updated(4.0));
        z.insert(b"i", f64::INFINITY);
        assert_eq!(add(&mut z, b"i", f64::NEG_INFINITY, incr), Outcome::Nan);
        let xx = Flags { xx: true, ..none };
        assert_eq!(add(&mut z, b"new", 1.0, xx), Outcome::Nop);
    }
}
