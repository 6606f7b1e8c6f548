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
}
