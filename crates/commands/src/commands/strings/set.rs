//! SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//! PXAT unix-time-milliseconds | KEEPTTL]

use super::{store, write_lookup};
use crate::args::is;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

/// The options SET, GETEX and friends share.
#[derive(Default, Debug, Clone, Copy)]
pub struct SetOptions {
    pub nx: bool,
    pub xx: bool,
    pub get: bool,
    pub keep_ttl: bool,
    /// Absolute expiry in unix milliseconds.
    pub expire_at: Option<u64>,
}

/// Which expiry option was given.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Seconds,
    Millis,
}

/// Converts an expiry option to absolute unix milliseconds, with redis-server's checks.
pub fn expire_time(
    ctx: &mut Ctx<'_>,
    raw: &[u8],
    seconds: bool,
    absolute: bool,
    command: &str,
) -> Option<u64> {
    let Some(value) = parse_i64(raw) else {
        ctx.err(errors::NOT_INTEGER);
        return None;
    };
    let unit = if seconds { Unit::Seconds } else { Unit::Millis };
    if value <= 0 || (unit == Unit::Seconds && value > i64::MAX / 1000) {
        ctx.err(&errors::invalid_expire(command));
        return None;
    }
    let mut ms = if unit == Unit::Seconds {
        value * 1000
    } else {
        value
    };
    if !absolute {
        let now = ctx.keys.now_ms as i64;
        if ms > i64::MAX - now {
            ctx.err(&errors::invalid_expire(command));
            return None;
        }
        ms += now;
    }
    Some(ms as u64)
}

/// Parses SET's options from `args[3..]`; replies and returns None on error.
fn parse(ctx: &mut Ctx<'_>, args: &[&[u8]]) -> Option<SetOptions> {
    let mut opts = SetOptions::default();
    let mut expire_given = false;
    let mut i = 3;
    while i < args.len() {
        let arg = args[i];
        let next = args.get(i + 1).copied();
        if is(arg, "nx") && !opts.xx {
            opts.nx = true;
        } else if is(arg, "xx") && !opts.nx {
            opts.xx = true;
        } else if is(arg, "get") {
            opts.get = true;
        } else if is(arg, "keepttl") && !expire_given {
            opts.keep_ttl = true;
        } else if !opts.keep_ttl
            && !expire_given
            && next.is_some()
            && (is(arg, "ex") || is(arg, "px") || is(arg, "exat") || is(arg, "pxat"))
        {
            let seconds = is(arg, "ex") || is(arg, "exat");
            let absolute = is(arg, "exat") || is(arg, "pxat");
            opts.expire_at = Some(expire_time(
                ctx,
                next.unwrap_or_default(),
                seconds,
                absolute,
                "set",
            )?);
            expire_given = true;
            i += 1;
        } else {
            ctx.err(errors::SYNTAX);
            return None;
        }
        i += 1;
    }
    Some(opts)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(opts) = parse(ctx, args) else { return };
    match set_generic(ctx, args[1], args[2], opts) {
        // With GET the old value (or nil) was the reply.
        _ if opts.get => {}
        Outcome::Stored => ctx.out.ok(),
        Outcome::NotStored => ctx.out.null(),
        Outcome::Failed => {}
    }
}

/// What [`set_generic`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored,
    /// NX or XX did not hold.
    NotStored,
    /// An error was replied.
    Failed,
}

/// The shared body of SET, SETNX, SETEX, PSETEX and GETSET. Replies only the old value
/// (with GET) or an error; the caller replies the rest.
pub fn set_generic(ctx: &mut Ctx<'_>, key: &[u8], value: &[u8], opts: SetOptions) -> Outcome {
    let db = ctx.db;
    // Only SET ... GET cares about the old value's type: a plain SET replaces a key
    // of any type.
    let existing = if opts.get {
        let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
            return Outcome::Failed;
        };
        existing
    } else {
        ctx.keys.get(db, key).map(|item| &*item)
    };
    let found = existing.is_some();
    let old_ttl = existing.and_then(|i| i.expire_at());
    if opts.get {
        match existing {
            Some(item) => ctx.out.bulk(item.value()),
            None => ctx.out.null(),
        }
    }
    if (opts.nx && found) || (opts.xx && !found) {
        return Outcome::NotStored;
    }
    let expire_at = if opts.keep_ttl {
        old_ttl
    } else {
        opts.expire_at
    };
    store(ctx, key, &[value], expire_at);
    ctx.notify(notify::STRING, "set", key);
    if let Some(when) = opts.expire_at {
        // Replicas and the append-only file get an absolute time.
        let mut rewritten: Vec<Vec<u8>> = vec![
            b"SET".to_vec(),
            key.to_vec(),
            value.to_vec(),
            b"PXAT".to_vec(),
            when.to_string().into_bytes(),
        ];
        if opts.get {
            rewritten.push(b"GET".to_vec());
        }
        ctx.propagate_as(rewritten);
        ctx.notify(notify::GENERIC, "expire", key);
    }
    Outcome::Stored
}
