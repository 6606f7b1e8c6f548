//! SETBIT key offset value

use super::{parse_offset, BIT_OFFSET, BIT_VALUE};
use crate::commands::strings::{new_clock, write_lookup};
use crate::config::notify;
use crate::ctx::Ctx;
use ferrocache_keyspace::Item;
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[1];
    let Some(offset) = parse_offset(argv[2], 0, ctx.settings.proto_max_bulk_len) else {
        return ctx.err(BIT_OFFSET);
    };
    let on = match parse_i64(argv[3]) {
        Some(v @ (0 | 1)) => v as u8,
        _ => return ctx.err(BIT_VALUE),
    };
    // parse_offset bounds the byte index below proto-max-bulk-len.
    let index = (offset >> 3) as usize;
    let mask = 1u8 << (7 - (offset & 7));
    let clock = new_clock(ctx);
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (value, ttl) = match existing {
        Some(item) => (item.value(), item.expire_at()),
        None => (&[][..], None),
    };
    if index < value.len() {
        let previous = u8::from(value[index] & mask != 0);
        if previous == on {
            // Nothing changes: no write, no event (the string is unshared all the
            // same in redis-server: raw).
            if let Some(item) = ctx.keys.get(db, key) {
                item.mark_raw();
            }
            return ctx.out.int(previous as i64);
        }
        // Same length: flip the bit in place, O(1) whatever the string's size.
        if let Some(item) = ctx.keys.get(db, key) {
            item.mark_raw();
            if let Some(bytes) = item.value_mut() {
                bytes[index] ^= mask;
            }
        }
        ctx.modified(key);
        ctx.notify(notify::STRING, "setbit", key);
        return ctx.out.int(previous as i64);
    }
    let (previous, item) = {
        // Grows (or creates) the string: the new bytes are zero.
        let mut grown = Vec::with_capacity(index + 1);
        grown.extend_from_slice(value);
        grown.resize(index + 1, 0);
        if on == 1 {
            grown[index] |= mask;
        }
        let mut item = Item::build(key, &[&grown], ttl, clock);
        item.mark_raw();
        (0, item)
    };
    ctx.keys.insert(db, item);
    ctx.modified(key);
    ctx.notify(notify::STRING, "setbit", key);
    ctx.out.int(previous as i64);
}
