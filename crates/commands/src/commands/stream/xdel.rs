//! XDEL key id [id ...]
//!
//! Deletes entries, replying how many existed. Every ID is checked before anything
//! is deleted.

use super::{parse_id, write_stream, written};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let key = args[1];
    let db = ctx.db;
    match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(_)) => {}
    }
    let mut ids = Vec::with_capacity(args.len() - 2);
    for arg in &args[2..] {
        let Some(id) = parse_id(ctx, arg, 0, true) else {
            return;
        };
        ids.push(id);
    }
    let Some(stream) = super::stream_mut(ctx, key) else {
        return;
    };
    let deleted = ids
        .iter()
        .filter(|&&id| stream.log_mut().delete(id))
        .count() as u64;
    ctx.out.int(deleted as i64);
    if deleted > 0 {
        written(ctx, key, "xdel", deleted);
    }
}
