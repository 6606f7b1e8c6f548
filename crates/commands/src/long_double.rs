//! Float increments with redis-server's exact results.
//!
//! INCRBYFLOAT and HINCRBYFLOAT compute in C's `long double` (80-bit on x86-64) and
//! print `%.17Lf` with trailing zeros removed. Rust has no such type, so the addition
//! and the formatting are done by a few lines of C (`csrc/long_double.c`); this module
//! checks the inputs as redis-server's `string2ld` does and trims the result.

use std::ffi::{c_char, c_int, CString};

extern "C" {
    fn ferrocache_ld_add(
        a: *const c_char,
        b: *const c_char,
        out: *mut c_char,
        out_len: c_int,
    ) -> c_int;
    fn ferrocache_ld_timeout_ms(s: *const c_char, ms: *mut i64) -> c_int;
}

/// redis-server's `MAX_LONG_DOUBLE_CHARS`.
const MAX_CHARS: usize = 5 * 1024;

/// Why an increment failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncrError {
    /// An operand is not a valid float.
    NotFloat,
    /// The result would be NaN or infinite.
    NanOrInfinity,
}

/// True when `s` would be accepted by `string2ld`.
pub fn is_valid(s: &[u8]) -> bool {
    !s.is_empty() && s.len() <= MAX_CHARS && !s[0].is_ascii_whitespace() && !s.contains(&0)
}

/// `a + b` printed as redis-server prints it.
pub fn add(a: &[u8], b: &[u8]) -> Result<String, IncrError> {
    if !is_valid(a) || !is_valid(b) {
        return Err(IncrError::NotFloat);
    }
    let (Ok(a), Ok(b)) = (CString::new(a), CString::new(b)) else {
        return Err(IncrError::NotFloat);
    };
    let mut out = vec![0u8; MAX_CHARS + 32];
    // SAFETY: both inputs are NUL-terminated and live for the call; `out` has
    // `out.len()` writable bytes and the C side never writes past `out_len`.
    let n = unsafe {
        ferrocache_ld_add(
            a.as_ptr(),
            b.as_ptr(),
            out.as_mut_ptr().cast(),
            out.len() as c_int,
        )
    };
    match n {
        -2 => return Err(IncrError::NanOrInfinity),
        n if n < 0 => return Err(IncrError::NotFloat),
        _ => {}
    }
    out.truncate(n as usize);
    let mut text = String::from_utf8(out).map_err(|_| IncrError::NotFloat)?;
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(trimmed);
    }
    if text == "-0" {
        text = "0".into();
    }
    Ok(text)
}

/// A blocking command's timeout in seconds converted to milliseconds exactly as
/// redis-server does (`ceill(seconds * 1000)` in `long double`); None when the
/// argument is not a float `string2ld` accepts. Out of range values are negative.
pub fn timeout_ms(s: &[u8]) -> Option<i64> {
    // string2ld: its buffer holds MAX_LONG_DOUBLE_CHARS - 1 bytes, and C's isspace.
    if s.is_empty() || s.len() >= MAX_CHARS || s.contains(&0) {
        return None;
    }
    if matches!(s[0], b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r') {
        return None;
    }
    let s = CString::new(s).ok()?;
    let mut ms = 0i64;
    // SAFETY: `s` is NUL-terminated and `ms` is a valid place for one i64.
    let ok = unsafe { ferrocache_ld_timeout_ms(s.as_ptr(), &mut ms) };
    (ok == 1).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_redis_server() {
        assert_eq!(add(b"10.5", b"0").unwrap(), "10.5");
        assert_eq!(add(b"0.1", b"0.2").unwrap(), "0.3");
        assert_eq!(
            add(b"9223372036854775801", b"1.5").unwrap(),
            "9223372036854775802.5"
        );
        assert_eq!(add(b"17179869184", b"1.5").unwrap(), "17179869185.5");
        assert_eq!(add(b"1", b"-1").unwrap(), "0");
        assert_eq!(add(b"5.0e3", b"0").unwrap(), "5000");
        assert_eq!(add(b"1", b" 1"), Err(IncrError::NotFloat));
        assert_eq!(add(b"1", b"1x"), Err(IncrError::NotFloat));
        assert_eq!(add(b"1", b"nan"), Err(IncrError::NotFloat));
        assert_eq!(add(b"inf", b"1"), Err(IncrError::NanOrInfinity));
    }

    #[test]
    fn timeouts_match_redis_server() {
        assert_eq!(timeout_ms(b"0"), Some(0));
        assert_eq!(timeout_ms(b"1.5"), Some(1500));
        assert_eq!(timeout_ms(b"0.0001"), Some(1));
        assert_eq!(timeout_ms(b"-0.0009"), Some(0));
        assert_eq!(timeout_ms(b"0x10"), Some(16000));
        assert_eq!(timeout_ms(b"9223372036854775"), Some(9223372036854775000));
        assert!(timeout_ms(b"1e16").unwrap() < 0);
        assert!(timeout_ms(b"inf").unwrap() < 0);
        assert!(timeout_ms(b"1e4000").unwrap() < 0);
        assert_eq!(timeout_ms(b"1.5e-400"), Some(1));
        for bad in [
            &b"nan"[..],
            b"abc",
            b"",
            b" 1",
            b"1 ",
            b"1e5000",
            b"1e-5000",
            b"1e",
        ] {
            assert_eq!(timeout_ms(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
    }
}
