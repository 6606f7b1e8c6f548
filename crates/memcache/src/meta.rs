//! The meta protocol: `mg`, `ms`, `md`, `ma`, `me`, `mn`.
//!
//! A meta command is a key and single-letter flags; the reply is a two-letter code
//! (`VA`, `HD`, `EN`, `NS`, `EX`, `NF`, `MN`, `ME`) followed by the return flags the
//! request asked for, in the order it asked for them. Besides the classic operations
//! this gives clients stale-while-revalidate caching: `md <key> I` marks an item stale
//! instead of deleting it, and `mg` then hands exactly one client the win flag (`W`)
//! so that only it recomputes the value, while others see `Z` and the stale value `X`.

use crate::cache::{lru_age, Arith, Cache, Delta, Mode, Store, Stored, View, KEY_MAX_LENGTH};
use crate::number::{push_u64, strtol, strtoul, strtoull};
use crate::session::{Session, Step};
use crate::value::{FETCHED, KEY_BINARY, STALE, TOKEN_SENT};

const MAX_OPT_TOKENS: usize = 20;
const MAX_OPAQUE_LENGTH: usize = 32;

/// The flags of one meta request, parsed as memcached's `_meta_flag_preparse` does.
#[derive(Default)]
struct Flags {
    base64: bool,
    vivify: Option<i64>,
    ttl: Option<i64>,
    recache: Option<i64>,
    value: bool,
    /// The `c` return flag: the reply shows the item's CAS.
    show_cas: bool,
    no_update: bool,
    quiet: bool,
    client_flags: u32,
    cas: Option<u64>,
    mode: Option<u8>,
    initial: u64,
    delta: u64,
    invalidate: bool,
}

/// Parses flags; Err carries memcached's error text for mg and ms.
fn parse_flags(flags: &[&[u8]]) -> Result<Flags, &'static str> {
    let mut f = Flags {
        delta: 1,
        ..Flags::default()
    };
    let mut seen = [false; 128];
    let mut error: Option<&'static str> = None;
    for token in flags {
        let o = token[0];
        if o >= 127 || seen[o as usize] {
            return Err("CLIENT_ERROR duplicate flag");
        }
        seen[o as usize] = true;
        let arg = &token[1..];
        let bad_token = "CLIENT_ERROR bad token in command line format";
        match o {
            b'b' => f.base64 = true,
            b'N' => match strtol(arg) {
                Some(t) => f.vivify = Some(t as i64),
                None => error = Some(bad_token),
            },
            b'T' => match strtol(arg) {
                Some(t) => f.ttl = Some(t as i64),
                None => error = Some(bad_token),
            },
            b'R' => match strtol(arg) {
                Some(t) => f.recache = Some(t as i64),
                None => error = Some(bad_token),
            },
            b'l' | b'O' | b'P' | b'L' | b'k' | b's' | b't' | b'f' | b'h' => {}
            b'c' => f.show_cas = true,
            b'v' => f.value = true,
            b'u' => f.no_update = true,
            b'q' => f.quiet = true,
            b'F' => match strtoul(arg) {
                Some(v) => f.client_flags = v,
                None => error = Some(error.unwrap_or("CLIENT_ERROR bad command line format")),
            },
            b'C' => match strtoull(arg) {
                Some(v) => f.cas = Some(v),
                None => error = Some(bad_token),
            },
            b'M' => {
                if token.len() != 2 {
                    error = Some("CLIENT_ERROR incorrect length for M token");
                } else {
                    f.mode = Some(token[1]);
                }
            }
            b'J' => match strtoull(arg) {
                Some(v) => f.initial = v,
                None => error = Some("CLIENT_ERROR invalid numeric initial value"),
            },
            b'D' => match strtoull(arg) {
                Some(v) => f.delta = v,
                None => error = Some("CLIENT_ERROR invalid numeric delta value"),
            },
            b'I' => f.invalidate = true,
            _ => return Err("CLIENT_ERROR invalid flag"),
        }
    }
    match error {
        Some(e) => Err(e),
        None => Ok(f),
    }
}

/// Appends ` O<opaque>` and ` k<key>` for the flags that ask for them; false when an
/// opaque token is too long.
fn echo_flags(out: &mut Vec<u8>, flags: &[&[u8]], key: &[u8], binary: bool) -> bool {
    for token in flags {
        match token[0] {
            b'O' => {
                if token.len() > MAX_OPAQUE_LENGTH {
                    return false;
                }
                out.push(b' ');
                out.extend_from_slice(token);
            }
            b'k' => push_key(out, key, binary),
            _ => {}
        }
    }
    true
}

fn push_key(out: &mut Vec<u8>, key: &[u8], binary: bool) {
    out.extend_from_slice(b" k");
    if binary {
        base64_encode(key, out);
        out.extend_from_slice(b" b");
    } else {
        out.extend_from_slice(key);
    }
}

fn remaining_ttl(expire_at: Option<u64>, now_ms: u64) -> i64 {
    match expire_at {
        None => -1,
        Some(at) => (at / 1000) as i64 - (now_ms / 1000) as i64,
    }
}

fn error(sess: &mut Session, out: &mut Vec<u8>, text: &str) {
    sess.noreply = false;
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(b"\r\n");
}

pub(crate) fn step(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    input: &[u8],
    consumed: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) -> Step {
    let sub = tokens[0][1];
    if sub == b'n' {
        out.extend_from_slice(b"MN\r\n");
        return Step::Consumed(consumed);
    }
    if !matches!(sub, b'g' | b's' | b'd' | b'a' | b'e') || tokens.len() < 2 {
        out.extend_from_slice(b"ERROR\r\n");
        return Step::Consumed(consumed);
    }
    let ntokens = tokens.len() + 1;
    if tokens[1].len() > KEY_MAX_LENGTH {
        error(sess, out, "CLIENT_ERROR bad command line format");
        return Step::Consumed(consumed);
    }
    match sub {
        b'g' => mg(sess, cache, tokens, ntokens, out, now_ms),
        b's' => return ms(sess, cache, tokens, ntokens, input, consumed, out, now_ms),
        b'd' => md(sess, cache, tokens, ntokens, out, now_ms),
        b'a' => ma(sess, cache, tokens, ntokens, out, now_ms),
        _ => me(cache, tokens, out, now_ms),
    }
    Step::Consumed(consumed)
}

/// Decodes a base64 key when the `b` flag is given.
fn key_of(raw: &[u8], base64: bool) -> Option<Vec<u8>> {
    if base64 {
        base64_decode(raw)
    } else {
        Some(raw.to_vec())
    }
}

fn mg(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    if ntokens > MAX_OPT_TOKENS {
        error(sess, out, "CLIENT_ERROR options flags are too long");
        return;
    }
    let opts = &tokens[2..];
    let f = match parse_flags(opts) {
        Ok(f) => f,
        Err(e) => return error(sess, out, e),
    };
    let Some(key) = key_of(tokens[1], f.base64) else {
        return error(sess, out, "CLIENT_ERROR error decoding key");
    };
    if opts
        .iter()
        .any(|t| t[0] == b'O' && t.len() > MAX_OPAQUE_LENGTH)
    {
        return error(sess, out, "CLIENT_ERROR opaque token too long");
    }
    let stats = &mut sess.stats;
    let hit = cache.with_item(&key, now_ms, |access| {
        let mut created = false;
        if !access.exists() {
            let Some(exptime) = f.vivify else {
                return false;
            };
            access.create(if f.base64 { KEY_BINARY } else { 0 }, 0, exptime, b"");
            created = true;
        }
        if let Some(ttl) = f.ttl {
            access.set_exptime(ttl);
        }
        let cas = if f.show_cas { access.cas() } else { 0 };
        let Some(View {
            parts,
            expire_at,
            last_access,
            ..
        }) = access.view()
        else {
            return false;
        };
        let (state, flags, len) = (parts.state, parts.flags, parts.data.len());
        let mut won = created && f.vivify.is_some();
        if let Some(recache) = f.recache {
            let threshold = cache.expire_at(recache, now_ms);
            if state & TOKEN_SENT == 0
                && !created
                && expire_at.is_some()
                && threshold.is_some_and(|t| expire_at.is_some_and(|e| e < t))
            {
                won = true;
            }
        }
        if f.value {
            out.extend_from_slice(b"VA ");
            push_u64(out, len as u64);
        } else {
            out.extend_from_slice(b"HD");
        }
        for token in opts {
            match token[0] {
                b's' => {
                    out.extend_from_slice(b" s");
                    push_u64(out, len as u64);
                }
                b't' => {
                    out.extend_from_slice(b" t");
                    out.extend_from_slice(remaining_ttl(expire_at, now_ms).to_string().as_bytes());
                }
                b'c' => {
                    out.extend_from_slice(b" c");
                    push_u64(out, cas);
                }
                b'f' => {
                    out.extend_from_slice(b" f");
                    push_u64(out, flags as u64);
                }
                b'l' => {
                    out.extend_from_slice(b" l");
                    push_u64(out, lru_age(now_ms, last_access) as u64);
                }
                b'h' => out.extend_from_slice(if state & FETCHED != 0 { b" h1" } else { b" h0" }),
                b'O' => {
                    out.push(b' ');
                    out.extend_from_slice(token);
                }
                b'k' => push_key(out, &key, state & KEY_BINARY != 0),
                _ => {}
            }
        }
        if state & TOKEN_SENT != 0 {
            out.extend_from_slice(b" Z");
        }
        if state & STALE != 0 {
            out.extend_from_slice(b" X");
            if state & TOKEN_SENT == 0 {
                won = true;
            }
        }
        if won {
            out.extend_from_slice(b" W");
            access.set_state(TOKEN_SENT, 0);
        }
        out.extend_from_slice(b"\r\n");
        if f.value {
            if let Some(view) = access.view() {
                out.extend_from_slice(view.parts.data);
            }
            out.extend_from_slice(b"\r\n");
        }
        if !f.no_update {
            access.bump();
            access.set_state(FETCHED, 0);
        }
        true
    });
    match (f.ttl.is_some(), hit) {
        (true, true) => {
            stats.cmd_touch += 1;
            stats.touch_hits += 1;
        }
        (true, false) => {
            stats.cmd_touch += 1;
            stats.touch_misses += 1;
        }
        (false, true) => {
            stats.cmd_get += 1;
            stats.get_hits += 1;
        }
        (false, false) => {
            stats.cmd_get += 1;
            stats.get_misses += 1;
        }
    }
    if !hit && !f.quiet {
        out.extend_from_slice(b"EN");
        echo_flags(out, opts, &key, f.base64);
        out.extend_from_slice(b"\r\n");
    }
}

#[allow(clippy::too_many_arguments)]
fn ms(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    input: &[u8],
    consumed: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) -> Step {
    if ntokens == 3 {
        error(sess, out, "CLIENT_ERROR bad command line format");
        return Step::Consumed(consumed);
    }
    if ntokens > MAX_OPT_TOKENS {
        error(sess, out, "CLIENT_ERROR options flags too long");
        return Step::Consumed(consumed);
    }
    let vlen = match strtol(tokens[2]) {
        Some(v) if (0..=i32::MAX - 2).contains(&v) => v as usize,
        _ => {
            error(sess, out, "CLIENT_ERROR bad command line format");
            return Step::Consumed(consumed);
        }
    };
    let opts = &tokens[3..];
    // From here on an error swallows the data block.
    let refuse = |sess: &mut Session, out: &mut Vec<u8>, text: &str| {
        error(sess, out, text);
        sess.swallow = vlen + 2;
        Step::Consumed(consumed)
    };
    let f = match parse_flags(opts) {
        Ok(f) => f,
        Err(e) => return refuse(sess, out, e),
    };
    let Some(key) = key_of(tokens[1], f.base64) else {
        return refuse(sess, out, "CLIENT_ERROR error decoding key");
    };
    if opts
        .iter()
        .any(|t| t[0] == b'O' && t.len() > MAX_OPAQUE_LENGTH)
    {
        return refuse(sess, out, "CLIENT_ERROR opaque token too long");
    }
    let mut mode = match f.mode {
        None | Some(b'S') | Some(b's') => Mode::Set,
        Some(b'E') | Some(b'e') => Mode::Add,
        Some(b'A') | Some(b'a') => Mode::Append,
        Some(b'P') | Some(b'p') => Mode::Prepend,
        Some(b'R') | Some(b'r') => Mode::Replace,
        _ => return refuse(sess, out, "CLIENT_ERROR invalid mode for ms M token"),
    };
    if f.cas.is_some() && matches!(mode, Mode::Set | Mode::Replace) {
        mode = Mode::Cas;
    }
    if !cache.size_ok(key.len(), f.client_flags, vlen) {
        sess.stats.store_too_large += 1;
        cache.delete(&key, 0, now_ms, &mut Default::default());
        return refuse(sess, out, "SERVER_ERROR object too large for cache");
    }
    let total = consumed + vlen + 2;
    if input.len() < total {
        return Step::Incomplete { wanted: total };
    }
    let block = &input[consumed..total];
    sess.stats.cmd_set += 1;
    if &block[vlen..] != b"\r\n" {
        error(sess, out, "CLIENT_ERROR bad data chunk");
        return Step::Consumed(total);
    }
    let req = Store {
        mode,
        key: &key,
        flags: f.client_flags,
        exptime: f.ttl.unwrap_or(0),
        data: &block[..vlen],
        cas: f.cas.unwrap_or(0),
        invalidate: f.invalidate,
        key_state: if f.base64 { KEY_BINARY } else { 0 },
        returns_cas: f.show_cas,
    };
    let result = cache.store(&req, now_ms, &mut sess.stats);
    let (code, cas): (&[u8], u64) = match result {
        Stored::Stored { cas } => (b"HD", cas),
        Stored::Exists => (b"EX", 0),
        Stored::NotFound => (b"NF", 0),
        Stored::NotStored => (b"NS", 0),
        Stored::TooLarge => {
            error(sess, out, "SERVER_ERROR object too large for cache");
            return Step::Consumed(total);
        }
        Stored::NoMemory => {
            error(sess, out, "SERVER_ERROR out of memory storing object");
            return Step::Consumed(total);
        }
    };
    if code == b"HD" && f.quiet {
        return Step::Consumed(total);
    }
    out.extend_from_slice(code);
    for token in opts {
        match token[0] {
            b'O' => {
                out.push(b' ');
                out.extend_from_slice(token);
            }
            b'k' => push_key(out, &key, f.base64),
            b'c' => {
                out.extend_from_slice(b" c");
                push_u64(out, cas);
            }
            _ => {}
        }
    }
    out.extend_from_slice(b"\r\n");
    Step::Consumed(total)
}

fn md(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    if ntokens > MAX_OPT_TOKENS {
        return error(sess, out, "CLIENT_ERROR options flags too long");
    }
    let opts = &tokens[2..];
    let Ok(f) = parse_flags(opts) else {
        return error(sess, out, "CLIENT_ERROR invalid or duplicate flag");
    };
    let Some(key) = key_of(tokens[1], f.base64) else {
        return error(sess, out, "CLIENT_ERROR invalid or duplicate flag");
    };
    if opts
        .iter()
        .any(|t| t[0] == b'O' && t.len() > MAX_OPAQUE_LENGTH)
    {
        return error(sess, out, "CLIENT_ERROR opaque token too long");
    }
    let stats = &mut sess.stats;
    let code: &[u8] = cache.with_item(&key, now_ms, |access| {
        let Some(view) = access.view() else {
            stats.delete_misses += 1;
            return b"NF";
        };
        if f.cas.is_some_and(|c| c != view.parts.cas) {
            stats.delete_misses += 1;
            return b"EX";
        }
        if f.invalidate {
            if let Some(ttl) = f.ttl {
                access.set_exptime(ttl);
            }
            access.set_state(STALE, TOKEN_SENT);
            access.renew_cas();
        } else {
            access.remove();
            stats.delete_hits += 1;
        }
        b"HD"
    });
    if code == b"HD" && f.quiet {
        return;
    }
    out.extend_from_slice(code);
    echo_flags(out, opts, &key, f.base64);
    out.extend_from_slice(b"\r\n");
}

fn ma(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    if ntokens > MAX_OPT_TOKENS {
        return error(sess, out, "CLIENT_ERROR options flags too long");
    }
    let opts = &tokens[2..];
    let Ok(f) = parse_flags(opts) else {
        return error(sess, out, "CLIENT_ERROR invalid or duplicate flag");
    };
    let Some(key) = key_of(tokens[1], f.base64) else {
        return error(sess, out, "CLIENT_ERROR invalid or duplicate flag");
    };
    let incr = match f.mode {
        None | Some(b'I') | Some(b'i') | Some(b'+') => true,
        Some(b'D') | Some(b'd') | Some(b'-') => false,
        _ => return error(sess, out, "CLIENT_ERROR invalid mode for ma M token"),
    };
    if opts
        .iter()
        .any(|t| t[0] == b'O' && t.len() > MAX_OPAQUE_LENGTH)
    {
        return error(sess, out, "CLIENT_ERROR opaque token too long");
    }
    let req = Arith {
        key: &key,
        incr,
        delta: f.delta,
        cas: f.cas.unwrap_or(0),
        vivify: f.vivify.map(|t| (f.initial, t)),
        ttl: f.ttl,
        returns_cas: f.show_cas,
    };
    match cache.arith(&req, now_ms, &mut sess.stats) {
        Delta::Value {
            value,
            cas,
            expire_at,
            ..
        } => {
            if f.quiet {
                return;
            }
            let mut digits = Vec::with_capacity(20);
            push_u64(&mut digits, value);
            if f.value {
                out.extend_from_slice(b"VA ");
                push_u64(out, digits.len() as u64);
            } else {
                out.extend_from_slice(b"HD");
            }
            for token in opts {
                match token[0] {
                    b'c' => {
                        out.extend_from_slice(b" c");
                        push_u64(out, cas);
                    }
                    b't' => {
                        out.extend_from_slice(b" t");
                        out.extend_from_slice(
                            remaining_ttl(expire_at, now_ms).to_string().as_bytes(),
                        );
                    }
                    b'O' => {
                        out.push(b' ');
                        out.extend_from_slice(token);
                    }
                    b'k' => push_key(out, &key, f.base64),
                    _ => {}
                }
            }
            out.extend_from_slice(b"\r\n");
            if f.value {
                out.extend_from_slice(&digits);
                out.extend_from_slice(b"\r\n");
            }
        }
        Delta::NonNumeric => error(
            sess,
            out,
            "CLIENT_ERROR cannot increment or decrement non-numeric value",
        ),
        Delta::NoMemory => error(sess, out, "SERVER_ERROR out of memory"),
        other => {
            out.extend_from_slice(if other == Delta::Exists { b"EX" } else { b"NF" });
            echo_flags(out, opts, &key, f.base64);
            out.extend_from_slice(b"\r\n");
        }
    }
}

fn me(cache: &Cache, tokens: &[&[u8]], out: &mut Vec<u8>, now_ms: u64) {
    let base64 = tokens.get(2).is_some_and(|t| t.first() == Some(&b'b'));
    let Some(key) = key_of(tokens[1], base64) else {
        out.extend_from_slice(b"CLIENT_ERROR bad command line format\r\n");
        return;
    };
    let now_secs = now_ms / 1000;
    cache.with_item(&key, now_ms, |access| {
        let cas = access.cas();
        let Some(view) = access.view() else {
            out.extend_from_slice(b"EN\r\n");
            return;
        };
        out.extend_from_slice(b"ME ");
        if view.parts.state & KEY_BINARY != 0 {
            base64_encode(&key, out);
        } else {
            out.extend_from_slice(&key);
        }
        let exp = match view.expire_at {
            None => -1,
            Some(at) => now_secs as i64 - (at / 1000) as i64,
        };
        let la = lru_age(now_ms, view.last_access) as u64;
        let size = Cache::memcached_size(key.len(), view.parts.flags, view.parts.data.len());
        let fetched = if view.parts.state & FETCHED != 0 {
            "yes"
        } else {
            "no"
        };
        out.extend_from_slice(
            format!(" exp={exp} la={la} cas={cas} fetch={fetched} cls=1 size={size}\r\n")
                .as_bytes(),
        );
    });
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(input: &[u8], out: &mut Vec<u8>) {
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out.push(BASE64[(n >> 18) as usize & 63]);
        out.push(BASE64[(n >> 12) as usize & 63]);
        out.push(if chunk.len() > 1 {
            BASE64[(n >> 6) as usize & 63]
        } else {
            b'='
        });
        out.push(if chunk.len() > 2 {
            BASE64[n as usize & 63]
        } else {
            b'='
        });
    }
}

/// Standard base64 with padding; None on anything else (memcached then refuses the key).
fn base64_decode(input: &[u8]) -> Option<Vec<u8>> {
    if input.is_empty() || !input.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| BASE64.iter().position(|&b| b == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(input.len() / 4 * 3);
    for (i, chunk) in input.chunks(4).enumerate() {
        let last = i == input.len() / 4 - 1;
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && !last) {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = n << 6 | value(c)?;
        }
        n <<= 6 * pad as u32;
        out.push((n >> 16) as u8);
        if pad < 2 {
            out.push((n >> 8) as u8);
        }
        if pad < 1 {
            out.push(n as u8);
        }
    }
    if out.is_empty() {
        None
    } else {
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        for input in [&b"f"[..], b"fo", b"foo", b"foob", b"\x00\xff binary"] {
            let mut encoded = Vec::new();
            base64_encode(input, &mut encoded);
            assert_eq!(base64_decode(&encoded).as_deref(), Some(input));
        }
        assert_eq!(base64_decode(b"Zm9v"), Some(b"foo".to_vec()));
        assert_eq!(base64_decode(b"Zm9"), None);
        assert_eq!(base64_decode(b"Z!9v"), None);
    }

    #[test]
    fn flags_parse_like_memcached() {
        let f = parse_flags(&[b"v", b"T30", b"N10", b"Oabc", b"k"])
            .ok()
            .unwrap();
        assert!(f.value);
        assert_eq!((f.ttl, f.vivify), (Some(30), Some(10)));
        assert_eq!(
            parse_flags(&[b"v", b"v"]).err(),
            Some("CLIENT_ERROR duplicate flag")
        );
        assert_eq!(
            parse_flags(&[b"!"]).err(),
            Some("CLIENT_ERROR invalid flag")
        );
        assert_eq!(
            parse_flags(&[b"Tx"]).err(),
            Some("CLIENT_ERROR bad token in command line format")
        );
        assert_eq!(
            parse_flags(&[b"MSS"]).err(),
            Some("CLIENT_ERROR incorrect length for M token")
        );
    }
}
