//! SETRANGE key offset value

use super::{check_length, store_raw, write_lookup};
use crate::args;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (key, patch) = (argv[1], argv[3]);
    let Some(offset) = args::int(ctx, argv[2]) else {
        return;
    };
    if offset < 0 {
        return ctx.err(errors::OFFSET_RANGE);
    }
    let offset = offset as u64;
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (current_len, ttl) = match existing {
        Some(item) => (item.value().len(), item.expire_at()),
        None => (0, None),
    };
    if patch.is_empty() {
        // Nothing to write: the key is neither created nor changed.
        return ctx.out.int(current_len as i64);
    }
    if !check_length(ctx, offset + patch.len() as u64) {
        return;
    }
    let offset = offset as usize;
    let mut value = match ctx.keys.get(db, key) {
        Some(item) => item.value().to_vec(),
        None => Vec::new(),
    };
    if value.len() < offset + patch.len() {
        value.resize(offset + patch.len(), 0);
    }
    value[offset..offset + patch.len()].copy_from_slice(patch);
    store_raw(ctx, key, &[&value], ttl);
    ctx.notify(notify::STRING, "setrange", key);
    ctx.out.int(value.len() as i64);
}
