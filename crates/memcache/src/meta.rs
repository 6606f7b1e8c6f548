//! The meta protocol (placeholder, filled in below).

use crate::cache::Cache;
use crate::session::{Session, Step};

pub(crate) fn step(
    _sess: &mut Session,
    _cache: &Cache,
    tokens: &[&[u8]],
    _input: &[u8],
    consumed: usize,
    out: &mut Vec<u8>,
    _now_ms: u64,
) -> Step {
    match tokens[0] {
        b"mn" => out.extend_from_slice(b"MN\r\n"),
        _ => out.extend_from_slice(b"ERROR\r\n"),
    }
    Step::Consumed(consumed)
}
