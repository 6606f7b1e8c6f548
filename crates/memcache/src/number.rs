//! Numbers as memcached reads them from a command line.
//!
//! memcached parses with C's `strtol`/`strtoul` family and then checks the rest of
//! the token (`safe_strtol` and friends in its `util.c`). The quirks are part of the
//! protocol clients see, so they are reproduced here: leading whitespace and a sign
//! are accepted, the value is read as a 64-bit C `long` and then narrowed (so a length
//! of `4294967295` becomes -1 and is refused, while client flags wrap to 32 bits), an
//! unsigned parse accepts `-1` only when the result still looks positive as a signed
//! number, and trailing whitespace (but nothing else) may follow the digits.

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// What `strtoll`/`strtoull` see: an optional sign and the digits, after leading
/// whitespace. None when there is no digit or something other than whitespace follows.
fn split_number(s: &[u8]) -> Option<(bool, &[u8])> {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    if i == start {
        return None;
    }
    if i < s.len() && !is_c_space(s[i]) {
        return None;
    }
    Some((negative, &s[start..i]))
}

fn digits_u64(digits: &[u8]) -> Option<u64> {
    let mut value: u64 = 0;
    for &d in digits {
        value = value.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(value)
}

/// `safe_strtoll`: a signed 64-bit number; out of range is an error.
pub fn strtoll(s: &[u8]) -> Option<i64> {
    let (negative, digits) = split_number(s)?;
    let magnitude = digits_u64(digits)?;
    if negative {
        if magnitude > i64::MAX as u64 + 1 {
            return None;
        }
        Some((magnitude as i64).wrapping_neg())
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// `safe_strtol`: read as a 64-bit long, then narrowed to 32 bits as memcached does.
pub fn strtol(s: &[u8]) -> Option<i32> {
    strtoll(s).map(|v| v as i32)
}

/// `safe_strtoull`: an unsigned 64-bit number. A minus sign negates in unsigned
/// arithmetic, which memcached accepts unless the result has the top bit set.
pub fn strtoull(s: &[u8]) -> Option<u64> {
    let (negative, digits) = split_number(s)?;
    let magnitude = digits_u64(digits)?;
    let value = if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    };
    if (value as i64) < 0 && s.contains(&b'-') {
        return None;
    }
    Some(value)
}

/// `safe_strtoul`: as [`strtoull`], then narrowed to 32 bits.
pub fn strtoul(s: &[u8]) -> Option<u32> {
    strtoull(s).map(|v| v as u32)
}

/// Decimal digits of `value` appended to `out`.
pub fn push_u64(out: &mut Vec<u8>, value: u64) {
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(value).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_narrow_like_memcached() {
        assert_eq!(strtol(b"4"), Some(4));
        assert_eq!(strtol(b"-1"), Some(-1));
        assert_eq!(strtol(b"4294967295"), Some(-1));
        assert_eq!(strtol(b"4294967296"), Some(0));
        assert_eq!(strtol(b"99999999999999999999"), None);
        assert_eq!(strtol(b"12abc"), None);
        assert_eq!(strtol(b""), None);
        assert_eq!(strtol(b"-"), None);
        assert_eq!(strtol(b" 7"), Some(7));
        assert_eq!(strtol(b"7\t"), Some(7));
    }

    #[test]
    fn unsigned_and_signs() {
        assert_eq!(strtoul(b"4294967295"), Some(u32::MAX));
        assert_eq!(strtoul(b"4294967296"), Some(0));
        assert_eq!(strtoul(b"-1"), None);
        assert_eq!(strtoull(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(strtoull(b"18446744073709551616"), None);
        assert_eq!(strtoull(b"-1"), None);
        assert_eq!(strtoull(b"+5"), Some(5));
        assert_eq!(strtoll(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(strtoll(b"9223372036854775808"), None);
    }
}
