//! The engine of GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their
//! `_RO` forms, following redis-server's `georadiusGeneric`: the options are parsed
//! in its order with its errors, the nine geohash boxes around the center are
//! scanned as score ranges of the sorted set, the points outside the shape dropped,
//! then sorted, cut to COUNT and replied or stored.

use super::geoadd::lon_lat;
use super::geopos::reply_coord;
use super::hash::{decode_score, format_distance, Search, Shape};
use crate::args::{is, text};
use crate::commands::strings::Replied;
use crate::commands::zset::{read_zset, store};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_keyspace::{Keyspace, LockSet};
use ferrocache_protocol::number::{parse_f64, parse_i64};

/// Which command runs the search.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// GEORADIUS[_RO] key longitude latitude radius unit ...
    Radius { store: bool },
    /// GEORADIUSBYMEMBER[_RO] key member radius unit ...
    RadiusByMember { store: bool },
    /// GEOSEARCH key ...
    Search,
    /// GEOSEARCHSTORE destination source ...
    SearchStore,
}

impl Kind {
    fn is_search(self) -> bool {
        matches!(self, Kind::Search | Kind::SearchStore)
    }
}

/// The meters in one `unit`, or None after replying the error.
pub fn unit(ctx: &mut Ctx<'_>, arg: &[u8]) -> Option<f64> {
    let meters = if is(arg, "m") {
        1.0
    } else if is(arg, "km") {
        1000.0
    } else if is(arg, "ft") {
        0.3048
    } else if is(arg, "mi") {
        1609.34
    } else {
        ctx.err("ERR unsupported unit provided. please use M, KM, FT, MI");
        return None;
    };
    Some(meters)
}

/// `radius unit`: (radius, meters per unit).
fn radius(ctx: &mut Ctx<'_>, value: &[u8], u: &[u8]) -> Option<(f64, f64)> {
    let Some(r) = parse_f64(value) else {
        ctx.err("ERR need numeric radius");
        return None;
    };
    if r < 0.0 {
        ctx.err("ERR radius cannot be negative");
        return None;
    }
    Some((r, unit(ctx, u)?))
}

/// The keys GEORADIUS and GEORADIUSBYMEMBER store to (STORE / STOREDIST options).
pub fn lock_store_keys(ks: &Keyspace, db: usize, args: &[&[u8]], base: usize, set: &mut LockSet) {
    let mut i = base;
    while i + 1 < args.len() {
        if is(args[i], "store") || is(args[i], "storedist") {
            ks.add_key(set, db, args[i + 1]);
            i += 1;
        }
        i += 1;
    }
}

/// One point found.
struct Point<'a> {
    member: &'a [u8],
    score: f64,
    lon: f64,
    lat: f64,
    dist: f64,
}

/// `geoGetPointsInRange` over every box of the search, up to `limit` points (0: no
/// limit).
fn points<'a>(z: &'a ZSet, search: &Search, limit: usize) -> Vec<Point<'a>> {
    let boxes = search.boxes();
    let mut found: Vec<Point<'a>> = Vec::new();
    let mut last: Option<usize> = None;
    for (i, hash) in boxes.iter().enumerate() {
        if hash.is_zero() {
            continue;
        }
        if let Some(l) = last {
            if boxes[l] == *hash {
                continue;
            }
        }
        if !found.is_empty() && limit > 0 && found.len() >= limit {
            break;
        }
        let min = hash.align52() as f64;
        let mut next = *hash;
        next.bits += 1;
        let max = next.align52() as f64;
        let start = z.partition_point(|s, _| s < min);
        for (member, score) in z.iter_from(start, false) {
            if score >= max {
                break;
            }
            if let Some((lon, lat)) = decode_score(score) {
                if let Some(dist) = search.contains(lon, lat) {
                    found.push(Point {
                        member,
                        score,
                        lon,
                        lat,
                        dist,
                    });
                }
            }
            if !found.is_empty() && limit > 0 && found.len() >= limit {
                break;
            }
        }
        last = Some(i);
    }
    found
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sort {
    None,
    Asc,
    Desc,
}

/// Runs a search of `kind` whose source key is `args[src]`.
pub fn generic(ctx: &mut Ctx<'_>, args: &[&[u8]], src: usize, kind: Kind) {
    let lfu = ctx.lfu();
    let exists = match read_zset(&mut ctx.keys, ctx.out, ctx.db, args[src], lfu) {
        Err(Replied) => return,
        Ok(z) => z.is_some(),
    };
    let member_position = |ctx: &mut Ctx<'_>, member: &[u8]| -> Option<(f64, f64)> {
        let position = ctx
            .keys
            .peek(ctx.db, args[src])
            .and_then(crate::commands::zset::as_zset)
            .and_then(|z| z.score(member))
            .and_then(decode_score);
        if position.is_none() {
            ctx.err("ERR could not decode requested zset member");
        }
        position
    };
    let mut center: Option<(f64, f64)> = None;
    let mut shape: Option<Shape> = None;
    let mut conversion = 1.0;
    let mut storekey: Option<&[u8]> = None;
    let mut storedist = false;
    let base = match kind {
        Kind::Radius { .. } => {
            let Some(c) = lon_lat(ctx, args[2], args[3]) else {
                return;
            };
            let Some((r, u)) = radius(ctx, args[4], args[5]) else {
                return;
            };
            center = Some(c);
            shape = Some(Shape::Circle(r));
            conversion = u;
            6
        }
        Kind::RadiusByMember { .. } if !exists => 5,
        Kind::RadiusByMember { .. } => {
            let Some(c) = member_position(ctx, args[2]) else {
                return;
            };
            let Some((r, u)) = radius(ctx, args[3], args[4]) else {
                return;
            };
            center = Some(c);
            shape = Some(Shape::Circle(r));
            conversion = u;
            5
        }
        Kind::Search => 2,
        Kind::SearchStore => {
            storekey = Some(args[1]);
            3
        }
    };
    let can_store = matches!(
        kind,
        Kind::Radius { store: true } | Kind::RadiusByMember { store: true }
    );
    let (mut withdist, mut withhash, mut withcoord) = (false, false, false);
    let (mut frommember, mut fromloc, mut byradius, mut bybox) = (false, false, false, false);
    let mut sort = Sort::None;
    let mut any = false;
    let mut count: i64 = 0;
    let remaining = args.len().saturating_sub(base);
    let mut i = 0;
    while i < remaining {
        let arg = args[base + i];
        let more = remaining - i - 1;
        if is(arg, "withdist") {
            withdist = true;
        } else if is(arg, "withhash") {
            withhash = true;
        } else if is(arg, "withcoord") {
            withcoord = true;
        } else if is(arg, "any") {
            any = true;
        } else if is(arg, "asc") {
            sort = Sort::Asc;
        } else if is(arg, "desc") {
            sort = Sort::Desc;
        } else if is(arg, "count") && more >= 1 {
            let Some(n) = parse_i64(args[base + i + 1]) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            if n <= 0 {
                return ctx.err("ERR COUNT must be > 0");
            }
            count = n;
            i += 1;
        } else if (is(arg, "store") || is(arg, "storedist")) && more >= 1 && can_store {
            storekey = Some(args[base + i + 1]);
            storedist = is(arg, "storedist");
            i += 1;
        } else if is(arg, "storedist") && kind == Kind::SearchStore {
            storedist = true;
        } else if is(arg, "frommember") && more >= 1 && kind.is_search() && !fromloc {
            if exists {
                let Some(c) = member_position(ctx, args[base + i + 1]) else {
                    return;
                };
                center = Some(c);
            }
            frommember = true;
            i += 1;
        } else if is(arg, "fromlonlat") && more >= 2 && kind.is_search() && !frommember {
            let Some(c) = lon_lat(ctx, args[base + i + 1], args[base + i + 2]) else {
                return;
            };
            center = Some(c);
            fromloc = true;
            i += 2;
        } else if is(arg, "byradius") && more >= 2 && kind.is_search() && !bybox {
            let Some((r, u)) = radius(ctx, args[base + i + 1], args[base + i + 2]) else {
                return;
            };
            shape = Some(Shape::Circle(r));
            conversion = u;
            byradius = true;
            i += 2;
        } else if is(arg, "bybox") && more >= 3 && kind.is_search() && !byradius {
            let (Some(w), Some(h)) = (parse_f64(args[base + i + 1]), parse_f64(args[base + i + 2]))
            else {
                let msg = if parse_f64(args[base + i + 1]).is_none() {
                    "ERR need numeric width"
                } else {
                    "ERR need numeric height"
                };
                return ctx.err(msg);
            };
            if h < 0.0 || w < 0.0 {
                return ctx.err("ERR height or width cannot be negative");
            }
            let Some(u) = unit(ctx, args[base + i + 3]) else {
                return;
            };
            shape = Some(Shape::Box(w, h));
            conversion = u;
            bybox = true;
            i += 3;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 1;
    }
    if storekey.is_some() && (withdist || withhash || withcoord) {
        let what = if kind == Kind::SearchStore {
            "GEOSEARCHSTORE"
        } else {
            "STORE option in GEORADIUS"
        };
        return ctx.err(&format!(
            "ERR {what} is not compatible with WITHDIST, WITHHASH and WITHCOORD options"
        ));
    }
    if kind.is_search() && !(frommember || fromloc) {
        return ctx.err(&format!(
            "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for {}",
            text(args[0])
        ));
    }
    if kind.is_search() && !(byradius || bybox) {
        return ctx.err(&format!(
            "ERR exactly one of BYRADIUS and BYBOX can be specified for {}",
            text(args[0])
        ));
    }
    if any && count == 0 {
        return ctx.err("ERR the ANY argument requires COUNT argument");
    }
    let (true, Some(center), Some(shape)) = (exists, center, shape) else {
        match storekey {
            Some(destination) => store(ctx, destination, ZSet::new(), ""),
            None => ctx.out.array(0),
        }
        return;
    };
    if count != 0 && sort == Sort::None && !any {
        sort = Sort::Asc;
    }
    let search = Search {
        shape,
        center,
        conversion,
    };
    let Some(z) = ctx
        .keys
        .peek(ctx.db, args[src])
        .and_then(crate::commands::zset::as_zset)
    else {
        return ctx.out.array(0);
    };
    let limit = if any { count as usize } else { 0 };
    let mut found = points(z, &search, limit);
    if found.is_empty() && storekey.is_none() {
        return ctx.out.array(0);
    }
    let returned = if count == 0 {
        found.len()
    } else {
        found.len().min(count as usize)
    };
    match sort {
        Sort::None => {}
        Sort::Asc => found.sort_by(|a, b| a.dist.total_cmp(&b.dist)),
        Sort::Desc => found.sort_by(|a, b| b.dist.total_cmp(&a.dist)),
    }
    found.truncate(returned);
    let Some(destination) = storekey else {
        let options = withdist as usize + withhash as usize + withcoord as usize;
        ctx.out.array(returned);
        for p in &found {
            if options > 0 {
                ctx.out.array(options + 1);
            }
            ctx.out.bulk(p.member);
            if withdist {
                ctx.out
                    .bulk(format_distance(p.dist / conversion).as_bytes());
            }
            if withhash {
                ctx.out.int(p.score as i64);
            }
            if withcoord {
                ctx.out.array(2);
                reply_coord(ctx.out, p.lon);
                reply_coord(ctx.out, p.lat);
            }
        }
        return;
    };
    let mut result = ZSet::new();
    for p in &found {
        let score = if storedist {
            p.dist / conversion
        } else {
            p.score
        };
        result.insert(p.member, score);
    }
    let event = if kind.is_search() {
        "geosearchstore"
    } else {
        "georadiusstore"
    };
    store(ctx, destination, result, event);
}
