//! The binary protocol (placeholder).

use crate::cache::Cache;
use crate::session::{Session, Step};

pub(crate) fn step(_sess: &mut Session, _cache: &Cache, _input: &[u8], _out: &mut Vec<u8>, _now_ms: u64) -> Step {
    Step::Close
}
