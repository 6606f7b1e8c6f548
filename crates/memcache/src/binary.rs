//! The binary protocol (memcached's older wire format, still used by some clients):
//! a 24-byte header, then extras, key and value; quiet variants of most commands
//! answer only on error (or, for gets, on a hit); SASL PLAIN authentication when the
//! node runs with `-S`.

use crate::cache::{Arith, Cache, Deleted, Delta, Mode, Store, Stored, KEY_MAX_LENGTH};
use crate::session::{Session, Step};

const HEADER: usize = 24;
const RESPONSE: u8 = 0x81;

mod op {
    pub const GET: u8 = 0x00;
    pub const SET: u8 = 0x01;
    pub const ADD: u8 = 0x02;
    pub const REPLACE: u8 = 0x03;
    pub const DELETE: u8 = 0x04;
    pub const INCREMENT: u8 = 0x05;
    pub const DECREMENT: u8 = 0x06;
    pub const QUIT: u8 = 0x07;
    pub const FLUSH: u8 = 0x08;
    pub const GETQ: u8 = 0x09;
    pub const NOOP: u8 = 0x0a;
    pub const VERSION: u8 = 0x0b;
    pub const GETK: u8 = 0x0c;
    pub const GETKQ: u8 = 0x0d;
    pub const APPEND: u8 = 0x0e;
    pub const PREPEND: u8 = 0x0f;
    pub const STAT: u8 = 0x10;
    pub const SETQ: u8 = 0x11;
    pub const ADDQ: u8 = 0x12;
    pub const REPLACEQ: u8 = 0x13;
    pub const DELETEQ: u8 = 0x14;
    pub const INCREMENTQ: u8 = 0x15;
    pub const DECREMENTQ: u8 = 0x16;
    pub const QUITQ: u8 = 0x17;
    pub const FLUSHQ: u8 = 0x18;
    pub const APPENDQ: u8 = 0x19;
    pub const PREPENDQ: u8 = 0x1a;
    pub const TOUCH: u8 = 0x1c;
    pub const GAT: u8 = 0x1d;
    pub const GATQ: u8 = 0x1e;
    pub const SASL_LIST_MECHS: u8 = 0x20;
    pub const SASL_AUTH: u8 = 0x21;
    pub const SASL_STEP: u8 = 0x22;
    pub const GATK: u8 = 0x23;
    pub const GATKQ: u8 = 0x24;
}

mod status {
    pub const KEY_ENOENT: u16 = 0x01;
    pub const KEY_EEXISTS: u16 = 0x02;
    pub const E2BIG: u16 = 0x03;
    pub const EINVAL: u16 = 0x04;
    pub const NOT_STORED: u16 = 0x05;
    pub const DELTA_BADVAL: u16 = 0x06;
    pub const AUTH_ERROR: u16 = 0x20;
    pub const UNKNOWN_COMMAND: u16 = 0x81;
    pub const ENOMEM: u16 = 0x82;
}

fn error_text(code: u16) -> &'static [u8] {
    match code {
        status::ENOMEM => b"Out of memory",
        status::UNKNOWN_COMMAND => b"Unknown command",
        status::KEY_ENOENT => b"Not found",
        status::EINVAL => b"Invalid arguments",
        status::KEY_EEXISTS => b"Data exists for key.",
        status::E2BIG => b"Too large.",
        status::DELTA_BADVAL => b"Non-numeric server-side value for incr or decr",
        status::NOT_STORED => b"Not stored.",
        _ => b"Auth failure.",
    }
}

/// The fields of a request header.
#[derive(Clone, Copy)]
struct Header {
    opcode: u8,
    keylen: usize,
    extlen: usize,
    bodylen: usize,
    opaque: [u8; 4],
    cas: u64,
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn be64(b: &[u8]) -> u64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    u64::from_be_bytes(a)
}

#[allow(clippy::too_many_arguments)]
fn response(
    out: &mut Vec<u8>,
    h: &Header,
    status: u16,
    extras: &[u8],
    key: &[u8],
    value: &[u8],
    cas: u64,
) {
    out.push(RESPONSE);
    out.push(h.opcode);
    out.extend_from_slice(&(key.len() as u16).to_be_bytes());
    out.push(extras.len() as u8);
    out.push(0);
    out.extend_from_slice(&status.to_be_bytes());
    out.extend_from_slice(&((extras.len() + key.len() + value.len()) as u32).to_be_bytes());
    out.extend_from_slice(&h.opaque);
    out.extend_from_slice(&cas.to_be_bytes());
    out.extend_from_slice(extras);
    out.extend_from_slice(key);
    out.extend_from_slice(value);
}

fn error(out: &mut Vec<u8>, h: &Header, code: u16) {
    response(out, h, code, &[], &[], error_text(code), 0);
}

/// The quiet opcode's loud twin, and whether it was quiet.
fn unquiet(opcode: u8) -> (u8, bool) {
    let loud = match opcode {
        op::SETQ => op::SET,
        op::ADDQ => op::ADD,
        op::REPLACEQ => op::REPLACE,
        op::DELETEQ => op::DELETE,
        op::INCREMENTQ => op::INCREMENT,
        op::DECREMENTQ => op::DECREMENT,
        op::QUITQ => op::QUIT,
        op::FLUSHQ => op::FLUSH,
        op::APPENDQ => op::APPEND,
        op::PREPENDQ => op::PREPEND,
        op::GETQ => op::GET,
        op::GETKQ => op::GETK,
        op::GATQ => op::GAT,
        op::GATKQ => op::GATK,
        other => return (other, false),
    };
    (loud, true)
}

pub(crate) fn step(
    sess: &mut Session,
    cache: &Cache,
    input: &[u8],
    out: &mut Vec<u8>,
    now_ms: u64,
) -> Step {
    if input.len() < HEADER {
        return Step::Incomplete { wanted: HEADER };
    }
    if input[0] != crate::session::BINARY_REQUEST {
        return Step::Close;
    }
    let h = Header {
        opcode: input[1],
        keylen: u16::from_be_bytes([input[2], input[3]]) as usize,
        extlen: input[4] as usize,
        bodylen: be32(&input[8..12]) as usize,
        opaque: [input[12], input[13], input[14], input[15]],
        cas: be64(&input[16..24]),
    };
    let fixed = HEADER + h.extlen + h.keylen;
    if input.len() < fixed {
        return Step::Incomplete { wanted: fixed };
    }
    if h.keylen > h.bodylen || h.keylen + h.extlen > h.bodylen {
        error(out, &h, status::UNKNOWN_COMMAND);
        return Step::Close;
    }
    let (opcode, quiet) = unquiet(h.opcode);
    let loud = Header {
        opcode: h.opcode,
        ..h
    };
    if cache.config.sasl
        && !sess.authenticated
        && !matches!(opcode, op::SASL_LIST_MECHS | op::SASL_AUTH | op::SASL_STEP)
    {
        error(out, &loud, status::AUTH_ERROR);
        return Step::Close;
    }
    if h.keylen > KEY_MAX_LENGTH {
        error(out, &loud, status::EINVAL);
        return Step::Close;
    }
    let vlen = h.bodylen - h.keylen - h.extlen;
    let extras = &input[HEADER..HEADER + h.extlen];
    let key = &input[HEADER + h.extlen..fixed];
    let is_store = matches!(
        opcode,
        op::SET | op::ADD | op::REPLACE | op::APPEND | op::PREPEND
    );
    if is_store {
        let flags = if extras.len() >= 4 { be32(extras) } else { 0 };
        let valid = if matches!(opcode, op::APPEND | op::PREPEND) {
            h.extlen == 0
        } else {
            h.extlen == 8
        };
        if valid && h.keylen > 0 && !cache.size_ok(key.len(), flags, vlen) {
            sess.stats.store_too_large += 1;
            if opcode == op::SET {
                cache.delete(key, 0, now_ms, &mut Default::default());
            }
            error(out, &loud, status::E2BIG);
            sess.swallow = vlen;
            return Step::Consumed(fixed);
        }
    } else if vlen > 1024 * 1024 {
        // No other command carries a large body: refuse it without buffering.
        error(out, &loud, status::UNKNOWN_COMMAND);
        sess.swallow = vlen;
        return Step::Consumed(fixed);
    }
    let total = fixed + vlen;
    if input.len() < total {
        return Step::Incomplete { wanted: total };
    }
    let value = &input[fixed..total];
    let reply = Header {
        opcode: h.opcode,
        ..h
    };
    let protocol_error = |out: &mut Vec<u8>| {
        error(out, &reply, status::EINVAL);
        Step::Close
    };
    match opcode {
        op::VERSION => {
            if h.extlen != 0 || h.keylen != 0 || h.bodylen != 0 {
                return protocol_error(out);
            }
            response(out, &reply, 0, &[], &[], b"1.6.18", 0);
        }
        op::NOOP => {
            if h.extlen != 0 || h.keylen != 0 || h.bodylen != 0 {
                return protocol_error(out);
            }
            response(out, &reply, 0, &[], &[], &[], 0);
        }
        op::QUIT => {
            if h.extlen != 0 || h.keylen != 0 || h.bodylen != 0 {
                return protocol_error(out);
            }
            if !quiet {
                response(out, &reply, 0, &[], &[], &[], 0);
            }
            return Step::Close;
        }
        op::FLUSH => {
            if h.keylen != 0 || h.bodylen != h.extlen || !(h.extlen == 0 || h.extlen == 4) {
                return protocol_error(out);
            }
            if !cache.config.flush_enabled {
                error(out, &reply, status::AUTH_ERROR);
                return Step::Consumed(total);
            }
            let delay = if h.extlen == 4 {
                be32(extras) as i64
            } else {
                0
            };
            cache.flush_all(delay, now_ms);
            sess.stats.cmd_flush += 1;
            if !quiet {
                response(out, &reply, 0, &[], &[], &[], 0);
            }
        }
        op::GET | op::GETK | op::TOUCH | op::GAT | op::GATK => {
            let touch = matches!(opcode, op::TOUCH | op::GAT | op::GATK);
            let valid = if touch {
                h.extlen == 4 && h.keylen != 0
            } else {
                h.extlen == 0 && h.bodylen == h.keylen && h.keylen > 0
            };
            if !valid {
                return protocol_error(out);
            }
            let with_key = matches!(opcode, op::GETK | op::GATK);
            let with_value = opcode != op::TOUCH;
            let exptime = touch.then(|| be32(extras) as i64);
            let hit = cache.get(key, exptime, true, now_ms, |view| {
                let Some(view) = view else { return false };
                let flags = view.parts.flags.to_be_bytes();
                let data: &[u8] = if with_value { view.parts.data } else { &[] };
                let k: &[u8] = if with_key { key } else { &[] };
                response(out, &reply, 0, &flags, k, data, view.parts.cas);
                true
            });
            let stats = &mut sess.stats;
            if touch {
                stats.cmd_touch += 1;
                if hit {
                    stats.touch_hits += 1;
                } else {
                    stats.touch_misses += 1;
                }
            } else {
                stats.cmd_get += 1;
                if hit {
                    stats.get_hits += 1;
                } else {
                    stats.get_misses += 1;
                }
            }
            if !hit && !quiet {
                if with_key {
                    response(out, &reply, status::KEY_ENOENT, &[], key, &[], 0);
                } else {
                    error(out, &reply, status::KEY_ENOENT);
                }
            }
        }
        op::SET | op::ADD | op::REPLACE | op::APPEND | op::PREPEND => {
            let valid = if matches!(opcode, op::APPEND | op::PREPEND) {
                h.keylen > 0 && h.extlen == 0
            } else {
                h.extlen == 8 && h.keylen != 0 && h.bodylen >= h.keylen + 8
            };
            if !valid {
                return protocol_error(out);
            }
            let (flags, exptime) = if h.extlen == 8 {
                (be32(extras), be32(&extras[4..]) as i64)
            } else {
                (0, 0)
            };
            let mut mode = match opcode {
                op::SET => Mode::Set,
                op::ADD => Mode::Add,
                op::REPLACE => Mode::Replace,
                op::APPEND => Mode::Append,
                _ => Mode::Prepend,
            };
            if h.cas != 0 && matches!(mode, Mode::Set | Mode::Replace) {
                mode = Mode::Cas;
            }
            sess.stats.cmd_set += 1;
            let req = Store {
                mode,
                key,
                flags,
                exptime,
                data: value,
                cas: h.cas,
                invalidate: false,
                key_state: 0,
                returns_cas: true,
            };
            match cache.store(&req, now_ms, &mut sess.stats) {
                Stored::Stored { cas } => {
                    if !quiet {
                        response(out, &reply, 0, &[], &[], &[], cas);
                    }
                }
                Stored::Exists => error(out, &reply, status::KEY_EEXISTS),
                Stored::NotFound => error(out, &reply, status::KEY_ENOENT),
                Stored::TooLarge => error(out, &reply, status::E2BIG),
                Stored::NoMemory => error(out, &reply, status::ENOMEM),
                Stored::NotStored => {
                    let code = match opcode {
                        op::ADD => status::KEY_EEXISTS,
                        op::REPLACE => status::KEY_ENOENT,
                        _ => status::NOT_STORED,
                    };
                    error(out, &reply, code);
                }
            }
        }
        op::DELETE => {
            if h.keylen == 0 || h.extlen != 0 || h.bodylen != h.keylen {
                return protocol_error(out);
            }
            match cache.delete(key, h.cas, now_ms, &mut sess.stats) {
                Deleted::Deleted => {
                    if !quiet {
                        response(out, &reply, 0, &[], &[], &[], 0);
                    }
                }
                Deleted::Exists => error(out, &reply, status::KEY_EEXISTS),
                Deleted::NotFound => error(out, &reply, status::KEY_ENOENT),
            }
        }
        op::INCREMENT | op::DECREMENT => {
            if h.keylen == 0 || h.extlen != 20 || h.bodylen != h.keylen + h.extlen {
                return protocol_error(out);
            }
            let delta = be64(extras);
            let initial = be64(&extras[8..]);
            let expiration = be32(&extras[16..]);
            let req = Arith {
                key,
                incr: opcode == op::INCREMENT,
                delta,
                cas: h.cas,
                vivify: (expiration != u32::MAX).then_some((initial, expiration as i64)),
                ttl: None,
                returns_cas: true,
            };
            match cache.arith(&req, now_ms, &mut sess.stats) {
                Delta::Value { value, cas, .. } => {
                    if !quiet {
                        response(out, &reply, 0, &[], &[], &value.to_be_bytes(), cas);
                    }
                }
                Delta::NonNumeric => error(out, &reply, status::DELTA_BADVAL),
                Delta::NoMemory => error(out, &reply, status::ENOMEM),
                Delta::Exists => error(out, &reply, status::KEY_EEXISTS),
                Delta::NotFound => error(out, &reply, status::KEY_ENOENT),
            }
        }
        op::STAT => {
            if h.extlen != 0 {
                return protocol_error(out);
            }
            stats(sess, cache, key, &reply, out, now_ms);
        }
        op::SASL_LIST_MECHS => {
            if h.extlen != 0 || h.keylen != 0 || h.bodylen != 0 {
                return protocol_error(out);
            }
            if !cache.config.sasl {
                error(out, &reply, status::UNKNOWN_COMMAND);
            } else {
                response(out, &reply, 0, &[], &[], b"PLAIN", 0);
            }
        }
        op::SASL_AUTH | op::SASL_STEP => {
            if h.extlen != 0 || h.keylen == 0 {
                return protocol_error(out);
            }
            if !cache.config.sasl {
                error(out, &reply, status::UNKNOWN_COMMAND);
            } else if key == b"PLAIN" && opcode == op::SASL_AUTH && plain_ok(value) {
                sess.authenticated = true;
                sess.stats.auth_cmds += 1;
                response(out, &reply, 0, &[], &[], b"Authenticated", 0);
            } else {
                sess.stats.auth_cmds += 1;
                sess.stats.auth_errors += 1;
                error(out, &reply, status::AUTH_ERROR);
            }
        }
        _ => error(out, &reply, status::UNKNOWN_COMMAND),
    }
    Step::Consumed(total)
}

/// Checks a SASL PLAIN message (`authzid NUL user NUL password`) against the
/// password file named by `MEMCACHED_SASL_PWDB` (`user:password` lines), the file
/// memcached itself reads when built with its own SASL password database.
fn plain_ok(message: &[u8]) -> bool {
    let mut parts = message.split(|&b| b == 0);
    let (Some(_authzid), Some(user), Some(password)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Some(path) = std::env::var_os("MEMCACHED_SASL_PWDB") else {
        return false;
    };
    let Ok(db) = std::fs::read(path) else {
        return false;
    };
    db.split(|&b| b == b'\n').any(|line| {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match line.iter().position(|&b| b == b':') {
            Some(colon) => &line[..colon] == user && &line[colon + 1..] == password,
            None => false,
        }
    })
}

/// `stat [group]`: one response per statistic, then an empty one.
fn stats(
    sess: &mut Session,
    cache: &Cache,
    group: &[u8],
    reply: &Header,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    let mut tokens: Vec<&[u8]> = vec![b"stats"];
    let words: Vec<&[u8]> = group
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty())
        .collect();
    tokens.extend(words.iter().copied());
    if words.first() == Some(&&b"detail"[..])
        && !matches!(
            words.get(1).copied(),
            Some(b"on") | Some(b"off") | Some(b"dump")
        )
    {
        error(out, reply, status::KEY_ENOENT);
        return;
    }
    let mut text = Vec::new();
    crate::report::stats(sess, cache, &tokens, &mut text, now_ms);
    if text == b"ERROR\r\n" {
        error(out, reply, status::KEY_ENOENT);
        return;
    }
    for line in text.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let Some(stat) = line.strip_prefix(b"STAT ") else {
            continue;
        };
        let (name, value) = match stat.iter().position(|&b| b == b' ') {
            Some(i) => (&stat[..i], &stat[i + 1..]),
            None => (stat, &b""[..]),
        };
        response(out, reply, 0, &[], name, value, 0);
    }
    response(out, reply, 0, &[], &[], &[], 0);
}
