//! The text protocol: one command line, `\r\n`-terminated, split on spaces, then for
//! storage commands a data block of the announced length followed by `\r\n`.
//!
//! Replies and errors are memcached 1.6's, byte for byte, including its corner
//! cases: token counts decide between `ERROR` and `CLIENT_ERROR`, `noreply` silences
//! every reply of the command it ends (errors included), a refused storage command
//! swallows its data block, a request line ending in `HTTP/...` closes the connection.

use crate::cache::{Arith, Cache, Deleted, Delta, Mode, Store, Stored, KEY_MAX_LENGTH};
use crate::number::{push_u64, strtol, strtoul, strtoull};
use crate::session::{Session, Step};

/// memcached tokenizes at most this many tokens (the last one keeps the rest).
const MAX_TOKENS: usize = 24;
/// A line this long without a newline is only acceptable as a large multi-get.
const MAX_PLAIN_LINE: usize = 2048;
/// Upper bound for a multi-get line, so no client can grow a buffer without end.
const MAX_GET_LINE: usize = 16 * 1024 * 1024;

pub(crate) fn out_line(sess: &mut Session, out: &mut Vec<u8>, line: &[u8]) {
    if sess.noreply {
        return;
    }
    out.extend_from_slice(line);
    out.extend_from_slice(b"\r\n");
}

/// Splits a line into at most `MAX_TOKENS - 1` tokens; the rest of the line, if any,
/// is returned separately (memcached's terminal token).
fn tokenize<'a>(line: &'a [u8], tokens: &mut smallvec::SmallVec<[&'a [u8]; 8]>) -> &'a [u8] {
    let mut start = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b' ' {
            if i > start {
                tokens.push(&line[start..i]);
                if tokens.len() == MAX_TOKENS - 1 {
                    return &line[i + 1..];
                }
            }
            start = i + 1;
        }
    }
    if start < line.len() {
        tokens.push(&line[start..]);
    }
    &[]
}

/// Handles one text request at the start of `input`.
pub(crate) fn step(
    sess: &mut Session,
    cache: &Cache,
    input: &[u8],
    out: &mut Vec<u8>,
    now_ms: u64,
) -> Step {
    let Some(nl) = memchr::memchr(b'\n', input) else {
        if input.len() > MAX_PLAIN_LINE {
            let trimmed = input.iter().position(|&b| b != b' ').unwrap_or(input.len());
            let rest = &input[trimmed..];
            if trimmed > 100
                || !(rest.starts_with(b"get ") || rest.starts_with(b"gets "))
                || input.len() > MAX_GET_LINE
            {
                return Step::Close;
            }
        }
        return Step::Incomplete {
            wanted: input.len() + 1,
        };
    };
    let mut line = &input[..nl];
    if line.len() > 1 && line[line.len() - 1] == b'\r' {
        line = &line[..line.len() - 1];
    }
    let consumed = nl + 1;
    sess.noreply = false;
    // Filled where it stays: returning a vector of slices by value is a copy of it.
    let mut tokens = smallvec::SmallVec::new();
    let rest = tokenize(line, &mut tokens);
    // memcached counts a terminal (empty) token.
    let ntokens = tokens.len() + 1;
    if tokens.is_empty() || tokens[0].len() < 2 {
        out.extend_from_slice(b"ERROR\r\n");
        return Step::Consumed(consumed);
    }
    let cmd = tokens[0];
    macro_rules! want {
        ($ok:expr) => {
            if !$ok {
                out.extend_from_slice(b"ERROR\r\n");
                return Step::Consumed(consumed);
            }
        };
    }
    if cmd.len() == 2 && cmd[0] == b'm' {
        return crate::meta::step(sess, cache, &tokens, input, consumed, out, now_ms);
    }
    match cmd {
        b"get" | b"bget" => {
            want!(ntokens >= 3);
            get(sess, cache, &tokens[1..], rest, false, None, out, now_ms);
        }
        b"gets" => {
            want!(ntokens >= 3);
            get(sess, cache, &tokens[1..], rest, true, None, out, now_ms);
        }
        b"gat" | b"gats" => {
            want!(ntokens >= 3);
            let Some(exptime) = strtol(tokens[1]) else {
                out.extend_from_slice(b"CLIENT_ERROR invalid exptime argument\r\n");
                return Step::Consumed(consumed);
            };
            get(
                sess,
                cache,
                &tokens[2..],
                rest,
                cmd == b"gats",
                Some(exptime as i64),
                out,
                now_ms,
            );
        }
        b"set" | b"add" | b"replace" | b"append" | b"prepend" => {
            want!(ntokens == 6 || ntokens == 7);
            let mode = match cmd {
                b"set" => Mode::Set,
                b"add" => Mode::Add,
                b"replace" => Mode::Replace,
                b"append" => Mode::Append,
                _ => Mode::Prepend,
            };
            return update(
                sess, cache, &tokens, ntokens, mode, input, consumed, out, now_ms,
            );
        }
        b"cas" => {
            want!(ntokens == 7 || ntokens == 8);
            return update(
                sess,
                cache,
                &tokens,
                ntokens,
                Mode::Cas,
                input,
                consumed,
                out,
                now_ms,
            );
        }
        b"incr" | b"decr" => {
            want!(ntokens == 4 || ntokens == 5);
            arith(sess, cache, &tokens, ntokens, cmd == b"incr", out, now_ms);
        }
        b"delete" => {
            want!((3..=5).contains(&ntokens));
            delete(sess, cache, &tokens, ntokens, out, now_ms);
        }
        b"touch" => {
            want!(ntokens == 4 || ntokens == 5);
            set_noreply(sess, &tokens, ntokens);
            if tokens[1].len() > KEY_MAX_LENGTH {
                out_line(sess, out, b"CLIENT_ERROR bad command line format");
            } else if let Some(exptime) = strtol(tokens[2]) {
                let hit = cache.touch(tokens[1], exptime as i64, now_ms, &mut sess.stats);
                out_line(sess, out, if hit { b"TOUCHED" } else { b"NOT_FOUND" });
            } else {
                out_line(sess, out, b"CLIENT_ERROR invalid exptime argument");
            }
        }
        b"flush_all" => {
            want!((2..=4).contains(&ntokens));
            set_noreply(sess, &tokens, ntokens);
            sess.stats.cmd_flush += 1;
            if !cache.config.flush_enabled {
                out_line(sess, out, b"CLIENT_ERROR flush_all not allowed");
                return Step::Consumed(consumed);
            }
            let mut delay = 0i64;
            if ntokens != if sess.noreply { 3 } else { 2 } {
                match strtol(tokens[1]) {
                    Some(d) => delay = d as i64,
                    None => {
                        out_line(sess, out, b"CLIENT_ERROR invalid exptime argument");
                        return Step::Consumed(consumed);
                    }
                }
            }
            cache.flush_all(delay, now_ms);
            out_line(sess, out, b"OK");
        }
        b"version" => out.extend_from_slice(b"VERSION 1.6.18\r\n"),
        b"quit" => return Step::Close,
        b"verbosity" => {
            want!(ntokens == 3 || ntokens == 4);
            set_noreply(sess, &tokens, ntokens);
            match strtoul(tokens[1]) {
                Some(level) => {
                    cache
                        .verbosity
                        .store(level.min(2), std::sync::atomic::Ordering::Relaxed);
                    out_line(sess, out, b"OK");
                }
                None => out_line(sess, out, b"CLIENT_ERROR bad command line format"),
            }
        }
        b"stats" => crate::report::stats(sess, cache, &tokens, out, now_ms),
        b"cache_memlimit" => {
            want!(ntokens == 3 || ntokens == 4);
            set_noreply(sess, &tokens, ntokens);
            match strtoul(tokens[1]) {
                Some(mb) if mb >= 8 => {
                    cache.set_memory_limit(mb as u64 * 1024 * 1024);
                    out_line(sess, out, b"OK");
                }
                Some(_) => out_line(
                    sess,
                    out,
                    b"MEMLIMIT_TOO_SMALL cannot set maxbytes to less than 8m",
                ),
                None => out_line(sess, out, b"CLIENT_ERROR bad command line format"),
            }
        }
        b"shutdown" => {
            if !cache.config.shutdown_command {
                out.extend_from_slice(b"ERROR: shutdown not enabled\r\n");
            } else if ntokens == 2 || (ntokens == 3 && tokens[1] == b"graceful") {
                sess.shutdown_requested = true;
                return Step::Close;
            } else {
                out.extend_from_slice(b"CLIENT_ERROR invalid shutdown mode\r\n");
            }
        }
        b"slabs" => crate::report::slabs_command(&tokens, out),
        b"lru_crawler" => crate::report::lru_crawler(cache, &tokens, out, now_ms),
        b"lru" => {
            want!(ntokens >= 3);
            out.extend_from_slice(b"OK\r\n");
        }
        b"watch" => out.extend_from_slice(b"OK\r\n"),
        _ => {
            let last = if rest.is_empty() {
                tokens[tokens.len() - 1]
            } else {
                rest
            };
            if last.starts_with(b"HTTP/") {
                return Step::Close;
            }
            out.extend_from_slice(b"ERROR\r\n");
        }
    }
    Step::Consumed(consumed)
}

fn set_noreply(sess: &mut Session, tokens: &[&[u8]], ntokens: usize) -> bool {
    // memcached looks at the last token before the terminal one.
    if ntokens >= 2 && tokens.get(ntokens - 2) == Some(&&b"noreply"[..]) {
        sess.noreply = true;
    }
    sess.noreply
}

#[allow(clippy::too_many_arguments)]
fn get(
    sess: &mut Session,
    cache: &Cache,
    keys: &[&[u8]],
    rest: &[u8],
    with_cas: bool,
    touch: Option<i64>,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    let more = rest.split(|&b| b == b' ').filter(|k| !k.is_empty());
    let all = keys.iter().copied().chain(more);
    if all.clone().any(|k| k.len() > KEY_MAX_LENGTH) {
        out.extend_from_slice(b"CLIENT_ERROR bad command line format\r\n");
        return;
    }
    for key in all {
        let hit = cache.get(key, touch, with_cas, now_ms, |view| {
            let Some(view) = view else { return false };
            out.extend_from_slice(b"VALUE ");
            out.extend_from_slice(view.key);
            out.push(b' ');
            push_u64(out, view.parts.flags as u64);
            out.push(b' ');
            push_u64(out, view.parts.data.len() as u64);
            if with_cas {
                out.push(b' ');
                push_u64(out, view.parts.cas);
            }
            out.extend_from_slice(b"\r\n");
            out.extend_from_slice(view.parts.data);
            out.extend_from_slice(b"\r\n");
            true
        });
        let stats = &mut sess.stats;
        match (touch.is_some(), hit) {
            (false, true) => {
                stats.cmd_get += 1;
                stats.get_hits += 1;
            }
            (false, false) => {
                stats.cmd_get += 1;
                stats.get_misses += 1;
            }
            (true, true) => {
                stats.cmd_touch += 1;
                stats.touch_hits += 1;
                stats.cmd_get += 1;
                stats.get_hits += 1;
            }
            (true, false) => {
                stats.cmd_touch += 1;
                stats.touch_misses += 1;
                stats.cmd_get += 1;
                stats.get_misses += 1;
            }
        }
    }
    out.extend_from_slice(b"END\r\n");
}

#[allow(clippy::too_many_arguments)]
fn update(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    mode: Mode,
    input: &[u8],
    consumed: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) -> Step {
    set_noreply(sess, tokens, ntokens);
    let key = tokens[1];
    if key.len() > KEY_MAX_LENGTH {
        out_line(sess, out, b"CLIENT_ERROR bad command line format");
        return Step::Consumed(consumed);
    }
    let (Some(flags), Some(exptime), Some(vlen)) =
        (strtoul(tokens[2]), strtol(tokens[3]), strtol(tokens[4]))
    else {
        out_line(sess, out, b"CLIENT_ERROR bad command line format");
        return Step::Consumed(consumed);
    };
    let mut cas = 0;
    if mode == Mode::Cas {
        match strtoull(tokens[5]) {
            Some(c) => cas = c,
            None => {
                out_line(sess, out, b"CLIENT_ERROR bad command line format");
                return Step::Consumed(consumed);
            }
        }
    }
    if !(0..=i32::MAX - 2).contains(&vlen) {
        out_line(sess, out, b"CLIENT_ERROR bad command line format");
        return Step::Consumed(consumed);
    }
    let vlen = vlen as usize;
    let total = consumed + vlen + 2;
    if !cache.size_ok(key.len(), flags, vlen) {
        // Too large: refuse at once and swallow the data as it arrives.
        sess.stats.store_too_large += 1;
        if mode == Mode::Set {
            cache.delete(key, 0, now_ms, &mut Default::default());
        }
        out_line(sess, out, b"SERVER_ERROR object too large for cache");
        sess.noreply = false;
        sess.swallow = vlen + 2;
        return Step::Consumed(consumed);
    }
    if input.len() < total {
        sess.noreply = false;
        return Step::Incomplete { wanted: total };
    }
    let block = &input[consumed..total];
    sess.stats.cmd_set += 1;
    if &block[vlen..] != b"\r\n" {
        out_line(sess, out, b"CLIENT_ERROR bad data chunk");
        return Step::Consumed(total);
    }
    let req = Store {
        mode,
        key,
        flags,
        exptime: exptime as i64,
        data: &block[..vlen],
        cas,
        invalidate: false,
        key_state: 0,
        returns_cas: false,
    };
    let reply: &[u8] = match cache.store(&req, now_ms, &mut sess.stats) {
        Stored::Stored { .. } => b"STORED",
        Stored::NotStored => b"NOT_STORED",
        Stored::Exists => b"EXISTS",
        Stored::NotFound => b"NOT_FOUND",
        Stored::TooLarge => b"SERVER_ERROR object too large for cache",
        Stored::NoMemory => b"SERVER_ERROR out of memory storing object",
    };
    out_line(sess, out, reply);
    Step::Consumed(total)
}

fn arith(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    incr: bool,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    set_noreply(sess, tokens, ntokens);
    if tokens[1].len() > KEY_MAX_LENGTH {
        out_line(sess, out, b"CLIENT_ERROR bad command line format");
        return;
    }
    let Some(delta) = strtoull(tokens[2]) else {
        out_line(sess, out, b"CLIENT_ERROR invalid numeric delta argument");
        return;
    };
    let req = Arith {
        key: tokens[1],
        incr,
        delta,
        cas: 0,
        vivify: None,
        ttl: None,
        returns_cas: false,
    };
    match cache.arith(&req, now_ms, &mut sess.stats) {
        Delta::Value { value, .. } => {
            let mut line = Vec::with_capacity(20);
            push_u64(&mut line, value);
            out_line(sess, out, &line);
        }
        Delta::NotFound => out_line(sess, out, b"NOT_FOUND"),
        Delta::NonNumeric => out_line(
            sess,
            out,
            b"CLIENT_ERROR cannot increment or decrement non-numeric value",
        ),
        Delta::Exists => out_line(sess, out, b"EXISTS"),
        Delta::NoMemory => out_line(sess, out, b"SERVER_ERROR out of memory"),
    }
}

fn delete(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    ntokens: usize,
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    if ntokens > 3 {
        let hold_is_zero = tokens[2] == b"0";
        let sets_noreply = set_noreply(sess, tokens, ntokens);
        let valid = (ntokens == 4 && (hold_is_zero || sets_noreply))
            || (ntokens == 5 && hold_is_zero && sets_noreply);
        if !valid {
            out_line(
                sess,
                out,
                b"CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]",
            );
            return;
        }
    }
    if tokens[1].len() > KEY_MAX_LENGTH {
        out_line(sess, out, b"CLIENT_ERROR bad command line format");
        return;
    }
    let reply: &[u8] = match cache.delete(tokens[1], 0, now_ms, &mut sess.stats) {
        Deleted::Deleted => b"DELETED",
        Deleted::NotFound => b"NOT_FOUND",
        Deleted::Exists => b"EXISTS",
    };
    out_line(sess, out, reply);
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn tokens_split_on_spaces_only() {
        let mut t = smallvec::SmallVec::new();
        let rest = tokenize(b"set  k 0\t 0 1", &mut t);
        assert_eq!(t.as_slice(), &[&b"set"[..], b"k", b"0\t", b"0", b"1"]);
        assert!(rest.is_empty());
        let line: Vec<u8> = (0..30)
            .flat_map(|i| format!("k{i} ").into_bytes())
            .collect();
        let mut t = smallvec::SmallVec::new();
        let rest = tokenize(&line, &mut t);
        assert_eq!(t.len(), 23);
        assert!(rest.starts_with(b"k23 "));
    }
}
