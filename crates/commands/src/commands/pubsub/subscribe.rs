//! SUBSCRIBE channel [channel ...]

use crate::ctx::Ctx;
use crate::pubsub::Table;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::subscribe(ctx, Table::Channels, &args[1..], b"subscribe");
}
