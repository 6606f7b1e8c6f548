//! GEOPOS key member [member ...]
//!
//! Each member's `[longitude, latitude]`, or a null array when missing.

use super::hash::{decode_score, format_coord};
use crate::commands::strings::Replied;
use crate::commands::zset::read_zset;
use crate::ctx::Ctx;

/// A coordinate: a bulk string in RESP2, a double in RESP3.
pub fn reply_coord(out: &mut ferrocache_protocol::Reply, value: f64) {
    let text = format_coord(value);
    if out.is_resp3() {
        out.raw(format!(",{text}\r\n").as_bytes());
    } else {
        out.bulk(text.as_bytes());
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => return,
        Ok(z) => z,
    };
    ctx.out.array(args.len() - 2);
    for member in &args[2..] {
        match z.and_then(|z| z.score(member)).and_then(decode_score) {
            Some((lon, lat)) => {
                ctx.out.array(2);
                reply_coord(ctx.out, lon);
                reply_coord(ctx.out, lat);
            }
            None => ctx.out.null_array(),
        }
    }
}
