//! Argument parsing helpers that reply with redis-server's errors on failure.

use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::{parse_f64, parse_i64};

/// Parses an integer argument or replies `value is not an integer or out of range`.
pub fn int(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<i64> {
    let value = parse_i64(arg);
    if value.is_none() {
        ctx.err(errors::NOT_INTEGER);
    }
    value
}

/// Parses a float argument or replies `value is not a valid float`.
pub fn float(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<f64> {
    let value = parse_f64(arg);
    if value.is_none() {
        ctx.err(errors::NOT_FLOAT);
    }
    value
}

/// Case-insensitive comparison of an argument with an option name.
pub fn is(arg: &[u8], name: &str) -> bool {
    arg.eq_ignore_ascii_case(name.as_bytes())
}

/// Lossy text of an argument, for error messages.
pub fn text(arg: &[u8]) -> String {
    String::from_utf8_lossy(arg).into_owned()
}
