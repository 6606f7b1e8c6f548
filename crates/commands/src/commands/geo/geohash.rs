//! GEOHASH key member [member ...]
//!
//! Each member's 11-character standard geohash, or nil when missing.

use super::hash::standard_geohash;
use crate::commands::strings::Replied;
use crate::commands::zset::read_zset;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => return,
        Ok(z) => z,
    };
    ctx.out.array(args.len() - 2);
    for member in &args[2..] {
        match z.and_then(|z| z.score(member)).and_then(standard_geohash) {
            Some(hash) => ctx.out.bulk(&hash),
            None => ctx.out.null(),
        }
    }
}
