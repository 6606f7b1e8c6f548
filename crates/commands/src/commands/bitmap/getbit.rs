//! GETBIT key offset

use super::{get_bit, parse_offset, BIT_OFFSET};
use crate::commands::strings::{read_string, Replied};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let Some(offset) = parse_offset(argv[2], 0, ctx.settings.proto_max_bulk_len) else {
        return ctx.err(BIT_OFFSET);
    };
    let lfu = ctx.lfu();
    match read_string(&mut ctx.keys, ctx.out, ctx.db, argv[1], lfu) {
        Ok(Some(item)) => ctx.out.int(get_bit(item.value(), offset) as i64),
        Ok(None) => ctx.out.int(0),
        Err(Replied) => {}
    }
}
