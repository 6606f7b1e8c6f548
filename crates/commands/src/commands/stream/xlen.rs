//! XLEN key

use super::read_stream;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (db, lfu) = (ctx.db, ctx.lfu());
    match read_stream(&mut ctx.keys, ctx.out, db, args[1], lfu) {
        Err(Replied) => {}
        Ok(None) => ctx.out.int(0),
        Ok(Some(stream)) => ctx.out.int(stream.len() as i64),
    }
}
