//! PSUBSCRIBE channel [channel ...]

use crate::ctx::Ctx;
use crate::pubsub::Table;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::subscribe(ctx, Table::Patterns, &args[1..], b"psubscribe");
}
