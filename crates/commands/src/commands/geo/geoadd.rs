//! GEOADD key [NX|XX] [CH] longitude latitude member [longitude latitude member ...]
//!
//! ZADD of the members with their positions' geohashes as scores (same replies and
//! notifications; propagated as that ZADD).

use super::hash::{encode_score, LAT_MAX, LAT_MIN, LONG_MAX, LONG_MIN};
use crate::args::is;
use crate::commands::zset::zadd;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_f64;

/// Parses a `longitude latitude` pair, replying redis-server's error when invalid.
pub fn lon_lat(ctx: &mut Ctx<'_>, lon: &[u8], lat: &[u8]) -> Option<(f64, f64)> {
    let (Some(x), Some(y)) = (parse_f64(lon), parse_f64(lat)) else {
        ctx.err(errors::NOT_FLOAT);
        return None;
    };
    if !(LONG_MIN..=LONG_MAX).contains(&x) || !(LAT_MIN..=LAT_MAX).contains(&y) {
        ctx.err(&format!(
            "ERR invalid longitude,latitude pair {x:.6},{y:.6}"
        ));
        return None;
    }
    Some((x, y))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (mut nx, mut xx) = (false, false);
    let mut at = 2;
    while at < args.len() {
        if is(args[at], "nx") {
            nx = true;
        } else if is(args[at], "xx") {
            xx = true;
        } else if !is(args[at], "ch") {
            break;
        }
        at += 1;
    }
    if !(args.len() - at).is_multiple_of(3) || (nx && xx) {
        return ctx.err(errors::SYNTAX);
    }
    let mut zadd_args: Vec<Vec<u8>> = Vec::with_capacity(at + (args.len() - at) / 3 * 2);
    zadd_args.push(b"zadd".to_vec());
    zadd_args.extend(args[1..at].iter().map(|a| a.to_vec()));
    for triple in args[at..].chunks_exact(3) {
        let Some((lon, lat)) = lon_lat(ctx, triple[0], triple[1]) else {
            return;
        };
        let score = encode_score(lon, lat).unwrap_or(0);
        zadd_args.push(score.to_string().into_bytes());
        zadd_args.push(triple[2].to_vec());
    }
    let borrowed: Vec<&[u8]> = zadd_args.iter().map(Vec::as_slice).collect();
    zadd::run(ctx, &borrowed);
    if ctx.dirty > 0 {
        ctx.propagate_as(zadd_args);
    }
}
