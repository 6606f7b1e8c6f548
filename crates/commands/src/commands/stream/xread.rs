//! XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
//!
//! Entries after the given IDs (`$`: after the last one now), from every stream that
//! has some; with BLOCK and nothing to serve, waits for an XADD (see `read`).

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::read::run(ctx, args, false);
}
