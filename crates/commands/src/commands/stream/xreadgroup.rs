//! XREADGROUP GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK]
//! STREAMS key [key ...] id [id ...]
//!
//! With `>`, delivers entries the group has not delivered yet to the consumer
//! (pending until XACK, unless NOACK), waiting for new ones with BLOCK. With an ID,
//! replays the consumer's own pending entries after it (never blocks).

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::read::run(ctx, args, true);
}
