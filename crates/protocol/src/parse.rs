//! Incremental request parsing.
//!
//! [`parse_request`] looks at the bytes received so far and either finds one whole
//! request, or says how many bytes it needs at least before it is worth looking again
//! (so a 100 MB value arriving in 16 KB reads is not re-scanned for every read). A
//! multibulk request is returned as byte ranges of the buffer: arguments are never copied.

use crate::split::split_args;

/// Longest inline request, or multibulk/bulk count line, accepted without a newline
/// (redis-server's `PROTO_INLINE_MAX_SIZE`).
pub const INLINE_MAX: usize = 64 * 1024;

/// Arguments before authentication are limited, so that an unauthenticated client
/// cannot make the server buffer much (redis-server does the same).
const UNAUTH_MAX_ARGS: i64 = 10;
const UNAUTH_MAX_BULK: i64 = 16384;

/// The bounds a request must respect.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// `proto-max-bulk-len`: the longest single argument.
    pub max_bulk_len: i64,
    /// False while the client must still authenticate.
    pub authenticated: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bulk_len: 512 * 1024 * 1024,
            authenticated: true,
        }
    }
}

/// One parsed request.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    /// Not enough bytes yet; do not call again before the buffer holds `min_len` bytes.
    Incomplete { min_len: usize },
    /// A multibulk request of `consumed` bytes; its argument ranges were written to
    /// the caller's vector. No arguments (`*0\r\n`) is a request to skip.
    Multibulk { consumed: usize },
    /// An inline request, tokenised like redis-server does (quotes, escapes).
    Inline { consumed: usize, args: Vec<Vec<u8>> },
}

/// A malformed request. The text is exactly what redis-server replies (after `-`);
/// the connection is closed after the reply is sent.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct ParseError(pub &'static str);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ParseError {}

/// Parses one request from the front of `buf`.
///
/// Multibulk argument ranges go to `args` (cleared first), a vector the caller reuses
/// from request to request so parsing allocates nothing.
#[inline]
pub fn parse_request(
    buf: &[u8],
    limits: &Limits,
    args: &mut Vec<(usize, usize)>,
) -> Result<Request, ParseError> {
    args.clear();
    match buf.first() {
        None => Ok(Request::Incomplete { min_len: 1 }),
        Some(b'*') => parse_multibulk(buf, limits, args),
        Some(_) => parse_inline(buf),
    }
}

fn find_crlf(buf: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(offset) = memchr(b'\r', &buf[at..]) {
        let cr = at + offset;
        if cr + 1 >= buf.len() {
            return None;
        }
        if buf[cr + 1] == b'\n' {
            return Some(cr);
        }
        at = cr + 1;
    }
    None
}

#[inline]
fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// A count or length line starting at `from`: its value as [`parse_i64`] reads it (None
/// if malformed) and the index of its `\r`; None while the line is incomplete.
#[inline]
fn number_line(buf: &[u8], from: usize) -> Option<(Option<i64>, usize)> {
    if let Some((value, cr)) = plain_number(buf, from) {
        return Some((Some(value), cr));
    }
    let cr = find_crlf(buf, from)?;
    Some((parse_i64(&buf[from..cr]), cr))
}

/// The line every client sends: up to 18 digits without a leading zero (or `0`), then
/// `\r\n`, read in one pass. None for anything else, which the general path reads
/// (the same value, error or incompleteness, only slower).
#[inline(always)]
fn plain_number(buf: &[u8], from: usize) -> Option<(i64, usize)> {
    let digits = buf.get(from..)?;
    let mut value = 0i64;
    let mut len = 0;
    while len < 18 {
        match digits.get(len) {
            Some(&c) if c.is_ascii_digit() => value = value * 10 + (c - b'0') as i64,
            _ => break,
        }
        len += 1;
    }
    let well_formed = len > 0
        && (digits[0] != b'0' || len == 1)
        && digits.get(len) == Some(&b'\r')
        && digits.get(len + 1) == Some(&b'\n');
    well_formed.then_some((value, from + len))
}

fn parse_multibulk(
    buf: &[u8],
    limits: &Limits,
    args: &mut Vec<(usize, usize)>,
) -> Result<Request, ParseError> {
    let Some((count, line_end)) = number_line(buf, 1) else {
        if buf.len() > INLINE_MAX {
            return Err(ParseError("ERR Protocol error: too big mbulk count string"));
        }
        return Ok(Request::Incomplete {
            min_len: buf.len() + 1,
        });
    };
    let count = match count {
        Some(n) if n <= i32::MAX as i64 => n,
        _ => return Err(ParseError("ERR Protocol error: invalid multibulk length")),
    };
    if !limits.authenticated && count > UNAUTH_MAX_ARGS {
        return Err(ParseError(
            "ERR Protocol error: unauthenticated multibulk length",
        ));
    }
    let mut pos = line_end + 2;
    if count <= 0 {
        return Ok(Request::Multibulk { consumed: pos });
    }
    // The count is only a claim: never reserve more than a small bound up front.
    args.reserve((count as usize).min(1024));
    for _ in 0..count {
        if pos >= buf.len() {
            return Ok(Request::Incomplete { min_len: pos + 1 });
        }
        if buf[pos] != b'$' {
            return Err(ParseError(expected_dollar(buf[pos])));
        }
        let Some((len, len_end)) = number_line(buf, pos + 1) else {
            if buf.len() - pos > INLINE_MAX {
                return Err(ParseError("ERR Protocol error: too big bulk count string"));
            }
            return Ok(Request::Incomplete {
                min_len: buf.len() + 1,
            });
        };
        let len = match len {
            Some(n) if n >= 0 && n <= limits.max_bulk_len => n,
            _ => return Err(ParseError("ERR Protocol error: invalid bulk length")),
        };
        if !limits.authenticated && len > UNAUTH_MAX_BULK {
            return Err(ParseError(
                "ERR Protocol error: unauthenticated bulk length",
            ));
        }
        let start = len_end + 2;
        let end = start + len as usize;
        if end + 2 > buf.len() {
            return Ok(Request::Incomplete { min_len: end + 2 });
        }
        args.push((start, end));
        pos = end + 2;
    }
    Ok(Request::Multibulk { consumed: pos })
}

/// redis-server's message names the unexpected byte; a static table keeps the error
/// allocation-free.
fn expected_dollar(got: u8) -> &'static str {
    const PREFIX: &str = "ERR Protocol error: expected '$', got '";
    static MESSAGES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = MESSAGES.get_or_init(|| {
        (0u8..=255)
            .map(|b| format!("{PREFIX}{}'", b as char))
            .collect()
    });
    if got.is_ascii() {
        &all[got as usize]
    } else {
        "ERR Protocol error: expected '$', got '?'"
    }
}

fn parse_inline(buf: &[u8]) -> Result<Request, ParseError> {
    let Some(newline) = memchr(b'\n', buf) else {
        if buf.len() > INLINE_MAX {
            return Err(ParseError("ERR Protocol error: too big inline request"));
        }
        return Ok(Request::Incomplete {
            min_len: buf.len() + 1,
        });
    };
    let mut line = &buf[..newline];
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    let args = split_args(line).ok_or(ParseError(
        "ERR Protocol error: unbalanced quotes in request",
    ))?;
    Ok(Request::Inline {
        consumed: newline + 1,
        args,
    })
}

/// Strict decimal parsing as redis-server's `string2ll`: optional `-`, no `+`, no
/// spaces, no leading zeros, fits in i64.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    crate::number::parse_i64(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(buf: &[u8], limits: &Limits) -> Result<Request, ParseError> {
        parse_request(buf, limits, &mut Vec::new())
    }

    fn args_of(buf: &[u8]) -> Vec<Vec<u8>> {
        let mut args = Vec::new();
        match parse_request(buf, &Limits::default(), &mut args).unwrap() {
            Request::Multibulk { .. } => args.iter().map(|&(s, e)| buf[s..e].to_vec()).collect(),
            Request::Inline { args, .. } => args,
            Request::Incomplete { .. } => panic!("incomplete"),
        }
    }

    #[test]
    fn multibulk_whole() {
        assert_eq!(
            args_of(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"),
            vec![b"GET".to_vec(), b"k".to_vec()]
        );
    }

    #[test]
    fn multibulk_every_prefix_is_incomplete() {
        let full = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\n";
        for cut in 0..full.len() {
            match parse(&full[..cut], &Limits::default()).unwrap() {
                Request::Incomplete { min_len } => assert!(min_len > cut && min_len <= full.len()),
                other => panic!("prefix {cut} parsed as {other:?}"),
            }
        }
    }

    #[test]
    fn binary_safe_arguments() {
        assert_eq!(args_of(b"*1\r\n$4\r\na\r\nb\r\n"), vec![b"a\r\nb".to_vec()]);
    }

    #[test]
    fn empty_multibulk_is_skipped() {
        assert_eq!(
            parse(b"*0\r\n", &Limits::default()).unwrap(),
            Request::Multibulk { consumed: 4 }
        );
        assert_eq!(
            parse(b"*-1\r\n", &Limits::default()).unwrap(),
            Request::Multibulk { consumed: 5 }
        );
    }

    #[test]
    fn errors_have_redis_wording() {
        let l = Limits::default();
        assert_eq!(
            parse(b"*3000000000\r\n", &l).unwrap_err().0,
            "ERR Protocol error: invalid multibulk length"
        );
        assert_eq!(
            parse(b"*1\r\n$-5\r\n", &l).unwrap_err().0,
            "ERR Protocol error: invalid bulk length"
        );
        assert_eq!(
            parse(b"*1\r\nfoo\r\n", &l).unwrap_err().0,
            "ERR Protocol error: expected '$', got 'f'"
        );
        assert_eq!(
            parse(b"*1\r\n$abc\r\n", &l).unwrap_err().0,
            "ERR Protocol error: invalid bulk length"
        );
        let big = vec![b'a'; INLINE_MAX + 1];
        assert_eq!(
            parse(&big, &l).unwrap_err().0,
            "ERR Protocol error: too big inline request"
        );
        assert_eq!(
            parse(b"set \"a\r\n", &l).unwrap_err().0,
            "ERR Protocol error: unbalanced quotes in request"
        );
    }

    #[test]
    fn bulk_length_limit() {
        let l = Limits {
            max_bulk_len: 10,
            authenticated: true,
        };
        assert!(parse(b"*1\r\n$11\r\n", &l).is_err());
        assert!(parse(b"*1\r\n$10\r\n", &l).is_ok());
    }

    #[test]
    fn unauthenticated_limits() {
        let l = Limits {
            authenticated: false,
            ..Limits::default()
        };
        assert_eq!(
            parse(b"*11\r\n", &l).unwrap_err().0,
            "ERR Protocol error: unauthenticated multibulk length"
        );
        assert_eq!(
            parse(b"*1\r\n$16385\r\n", &l).unwrap_err().0,
            "ERR Protocol error: unauthenticated bulk length"
        );
    }

    #[test]
    fn inline_commands() {
        assert_eq!(args_of(b"PING\r\n"), vec![b"PING".to_vec()]);
        assert_eq!(
            args_of(b"set k \"a b\"\n"),
            vec![b"set".to_vec(), b"k".to_vec(), b"a b".to_vec()]
        );
        assert_eq!(args_of(b"\r\n"), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn number_lines_read_as_the_general_path_reads_them() {
        for line in [
            &b"0\r\n"[..],
            b"7\r\n",
            b"16\r\n",
            b"007\r\n",
            b"-1\r\n",
            b"-0\r\n",
            b"+5\r\n",
            b" 5\r\n",
            b"5 \r\n",
            b"12a\r\n",
            b"\r\n",
            b"999999999999999999\r\n",
            b"9999999999999999999\r\n",
            b"99999999999999999999\r\n",
            b"9223372036854775807\r\n",
            b"9223372036854775808\r\n",
            b"12\r",
            b"12\rx\r\n",
            b"12",
        ] {
            let general = find_crlf(line, 0).map(|cr| (parse_i64(&line[..cr]), cr));
            assert_eq!(
                number_line(line, 0),
                general,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    #[test]
    fn huge_count_does_not_allocate() {
        // Two billion arguments claimed, none sent: must ask for more bytes, not memory.
        let r = parse(b"*2000000000\r\n", &Limits::default()).unwrap();
        assert!(matches!(r, Request::Incomplete { .. }));
    }
}
