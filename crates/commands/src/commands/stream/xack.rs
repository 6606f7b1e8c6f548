//! XACK key group id [id ...]
//!
//! Removes IDs from the group's pending entries list, replying how many were
//! pending. Every ID is checked before anything is acknowledged.

use super::{parse_id, write_stream};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, group) = (args[1], args[2]);
    let db = ctx.db;
    match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(stream)) if stream.group(group).is_some() => {}
        Ok(_) => return ctx.out.int(0),
    }
    let mut ids = Vec::with_capacity(args.len() - 3);
    for arg in &args[3..] {
        let Some(id) = parse_id(ctx, arg, 0, true) else {
            return;
        };
        ids.push(id);
    }
    let Some(group) = super::stream_mut(ctx, key).and_then(|s| s.group_mut(group)) else {
        return ctx.out.int(0);
    };
    let acked = ids.iter().filter(|&&id| group.ack(id)).count();
    ctx.out.int(acked as i64);
    if acked > 0 {
        ctx.keys.touch_watched(db, key);
        ctx.dirty += acked as u64;
    }
}
