//! GEODIST key member1 member2 [M|KM|FT|MI]
//!
//! The distance between two members (meters by default, four decimals), or nil when
//! either is missing.

use super::hash::{decode_score, distance, format_distance};
use super::search::unit;
use crate::commands::strings::Replied;
use crate::commands::zset::read_zset;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let to_meter = match args.len() {
        4 => 1.0,
        5 => match unit(ctx, args[4]) {
            Some(u) => u,
            None => return,
        },
        _ => return ctx.err(errors::SYNTAX),
    };
    let lfu = ctx.lfu();
    let z = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.null(),
        Ok(Some(z)) => z,
    };
    let (Some(a), Some(b)) = (z.score(args[2]), z.score(args[3])) else {
        return ctx.out.null();
    };
    match (decode_score(a), decode_score(b)) {
        (Some((x1, y1)), Some((x2, y2))) => {
            let d = distance(x1, y1, x2, y2) / to_meter;
            ctx.out.bulk(format_distance(d).as_bytes());
        }
        _ => ctx.out.null(),
    }
}
