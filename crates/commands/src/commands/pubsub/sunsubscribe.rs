//! SUNSUBSCRIBE [channel [channel ...]]

use crate::ctx::Ctx;
use crate::pubsub::Table;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    super::unsubscribe(ctx, Table::Shard, &args[1..], b"sunsubscribe");
}
