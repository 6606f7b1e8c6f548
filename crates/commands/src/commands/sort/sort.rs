//! SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]

use crate::args::is;
use crate::commands::strings::new_clock;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::{Collection, Item, Locked};
use ferrocache_protocol::number::parse_i64;
use std::cmp::Ordering;

/// `ERR One or more scores can't be converted into double`.
pub const BAD_SCORE: &str = "ERR One or more scores can't be converted into double";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, false);
}

/// The parsed options of a SORT or SORT_RO call.
struct Options<'a> {
    desc: bool,
    alpha: bool,
    limit_start: i64,
    limit_count: i64,
    by: Option<&'a [u8]>,
    /// BY names a constant key (no `*`): keep the native order.
    dont_sort: bool,
    gets: Vec<&'a [u8]>,
    store: Option<&'a [u8]>,
}

fn parse<'a>(ctx: &mut Ctx<'_>, args: &[&'a [u8]], readonly: bool) -> Option<Options<'a>> {
    let mut o = Options {
        desc: false,
        alpha: false,
        limit_start: 0,
        limit_count: -1,
        by: None,
        dont_sort: false,
        gets: Vec::new(),
        store: None,
    };
    let mut j = 2;
    while j < args.len() {
        let left = args.len() - j - 1;
        let arg = args[j];
        if is(arg, "asc") {
            o.desc = false;
        } else if is(arg, "desc") {
            o.desc = true;
        } else if is(arg, "alpha") {
            o.alpha = true;
        } else if is(arg, "limit") && left >= 2 {
            let (Some(start), Some(count)) = (parse_i64(args[j + 1]), parse_i64(args[j + 2]))
            else {
                ctx.err(errors::NOT_INTEGER);
                return None;
            };
            o.limit_start = start;
            o.limit_count = count;
            j += 2;
        } else if !readonly && is(arg, "store") && left >= 1 {
            o.store = Some(args[j + 1]);
            j += 1;
        } else if is(arg, "by") && left >= 1 {
            o.by = Some(args[j + 1]);
            o.dont_sort = !args[j + 1].contains(&b'*');
            j += 1;
        } else if is(arg, "get") && left >= 1 {
            o.gets.push(args[j + 1]);
            j += 1;
        } else {
            ctx.err(errors::SYNTAX);
            return None;
        }
        j += 1;
    }
    Some(o)
}

/// The kind of the source collection.
enum Source {
    List,
    Set,
    ZSet,
}

/// One element to sort, with its weight.
struct Entry {
    element: Vec<u8>,
    score: f64,
    /// ALPHA with BY: the value of the BY key (None when missing: sorts first).
    by_value: Option<Vec<u8>>,
}

pub fn generic(ctx: &mut Ctx<'_>, args: &[&[u8]], readonly: bool) {
    let Some(mut o) = parse(ctx, args, readonly) else {
        return;
    };
    let lfu = ctx.lfu();
    let (source, len) = match ctx.keys.read(ctx.db, args[1], lfu) {
        None => (None, 0),
        Some(item) => match item.collection() {
            Some(c @ Collection::List(_)) => (Some(Source::List), c.len()),
            Some(c @ Collection::Set(_)) => (Some(Source::Set), c.len()),
            Some(c @ Collection::ZSet(_)) => (Some(Source::ZSet), c.len()),
            _ => return ctx.err(errors::WRONGTYPE),
        },
    };
    let len = len as i64;
    // A set has no meaningful native order: with STORE its elements are sorted anyway
    // so the stored result does not depend on the set's layout.
    if o.dont_sort && matches!(source, Some(Source::Set)) && o.store.is_some() {
        o.dont_sort = false;
        o.alpha = true;
        o.by = None;
    }
    // LIMIT, clamped to the source's size.
    let mut start = o.limit_start.clamp(0, len);
    let count = o.limit_count.clamp(-1, len);
    let mut end = if count < 0 {
        len - 1
    } else {
        start + count - 1
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    if end >= len {
        end = len - 1;
    }

    // Load the elements: only the output range when the native order is kept.
    let mut entries: Vec<Entry> = Vec::new();
    if let Some(kind) = &source {
        let collection = ctx.keys.peek(ctx.db, args[1]).and_then(Item::collection);
        let ranged = o.dont_sort && !matches!(kind, Source::Set);
        let mut push = |e: &[u8]| {
            entries.push(Entry {
                element: e.to_vec(),
                score: 0.0,
                by_value: None,
            })
        };
        match collection {
            // Nothing to output.
            Some(_) if ranged && end < start => {}
            Some(Collection::List(list)) if ranged => {
                let (s, e) = (start as usize, end as usize);
                if o.desc {
                    let last = list.len() - 1;
                    list.range(last - e, last - s)
                        .into_iter()
                        .rev()
                        .for_each(&mut push);
                } else {
                    list.range(s, e).into_iter().for_each(&mut push);
                }
            }
            Some(Collection::ZSet(z)) if ranged => {
                let (s, e) = (start as usize, end as usize);
                // Ascending rank of the first element output.
                let first = if o.desc { z.len() - 1 - s } else { s };
                z.iter_from(first, o.desc)
                    .take(e - s + 1)
                    .for_each(|(x, _)| push(x));
            }
            Some(Collection::List(list)) => list.iter().for_each(&mut push),
            Some(Collection::Set(set)) => set.iter().for_each(&mut push),
            Some(Collection::ZSet(z)) => z.iter().for_each(|(x, _)| push(x)),
            _ => {}
        }
        if ranged {
            end -= start;
            start = 0;
        }
    }

    // Weights, then the sort itself.
    let mut bad_score = false;
    if !o.dont_sort {
        for entry in entries.iter_mut() {
            let score = match o.by {
                Some(pattern) => {
                    let Some(value) = lookup(&mut ctx.keys, ctx.db, lfu, pattern, &entry.element)
                    else {
                        continue;
                    };
                    if o.alpha {
                        entry.by_value = Some(value);
                        continue;
                    }
                    strtod(&value)
                }
                None if o.alpha => continue,
                None => strtod(&entry.element),
            };
            match score {
                Some(score) => entry.score = score,
                None => bad_score = true,
            }
        }
        let (alpha, by, desc) = (o.alpha, o.by.is_some(), o.desc);
        let compare = |a: &Entry, b: &Entry| {
            let ord = if !alpha {
                a.score
                    .partial_cmp(&b.score)
                    .unwrap_or(Ordering::Equal)
                    .then_with(|| a.element.cmp(&b.element))
            } else if by {
                a.by_value.cmp(&b.by_value)
            } else {
                a.element.cmp(&b.element)
            };
            if desc {
                ord.reverse()
            } else {
                ord
            }
        };
        entries.sort_by(compare);
    }

    if bad_score {
        return ctx.err(BAD_SCORE);
    }
    let range = if end >= start {
        entries.get(start as usize..=end as usize).unwrap_or(&[])
    } else {
        &[]
    };
    let output_len = if o.gets.is_empty() {
        range.len()
    } else {
        o.gets.len() * range.len()
    };

    let Some(dest) = o.store else {
        ctx.out.array(output_len);
        for entry in range {
            if o.gets.is_empty() {
                ctx.out.bulk(&entry.element);
            }
            for pattern in &o.gets {
                match lookup(&mut ctx.keys, ctx.db, lfu, pattern, &entry.element) {
                    Some(value) => ctx.out.bulk(&value),
                    None => ctx.out.null(),
                }
            }
        }
        return;
    };

    let mut stored = ferrocache_keyspace::packedlist::PackedList::new();
    for entry in range {
        if o.gets.is_empty() {
            stored.push_back(&entry.element);
        }
        for pattern in &o.gets {
            let value = lookup(&mut ctx.keys, ctx.db, lfu, pattern, &entry.element);
            stored.push_back(&value.unwrap_or_default());
        }
    }
    if stored.is_empty() {
        if ctx.keys.remove(ctx.db, dest).is_some() {
            ctx.modified(dest);
            ctx.notify(notify::GENERIC, "del", dest);
        }
    } else {
        let clock = new_clock(ctx);
        let item = Item::new_collection(dest, Box::new(Collection::List(stored)), None, clock);
        ctx.keys.insert(ctx.db, item);
        ctx.modified(dest);
        ctx.dirty += output_len as u64 - 1;
        ctx.notify(notify::LIST, "sortstore", dest);
        ctx.signal_ready(dest);
    }
    ctx.out.int(output_len as i64);
}

/// The value a BY or GET pattern designates for `element`: `#` is the element itself;
/// otherwise the first `*` is replaced by the element, and a `->field` suffix after it
/// reads a hash field. None when the pattern has no `*`, the key is missing, or holds
/// the wrong type.
fn lookup(
    keys: &mut Locked<'_>,
    db: usize,
    lfu: bool,
    pattern: &[u8],
    element: &[u8],
) -> Option<Vec<u8>> {
    if pattern == b"#" {
        return Some(element.to_vec());
    }
    let star = pattern.iter().position(|&b| b == b'*')?;
    let after = &pattern[star + 1..];
    let (postfix, field) = match after.windows(2).position(|w| w == b"->") {
        Some(arrow) if arrow + 2 < after.len() => (&after[..arrow], Some(&after[arrow + 2..])),
        _ => (after, None),
    };
    let mut key = Vec::with_capacity(star + element.len() + postfix.len());
    key.extend_from_slice(&pattern[..star]);
    key.extend_from_slice(element);
    key.extend_from_slice(postfix);
    let item = keys.read(db, &key, lfu)?;
    match field {
        Some(field) => match item.collection() {
            Some(Collection::Hash(hash)) => hash.get(field).map(<[u8]>::to_vec),
            _ => None,
        },
        None if item.collection().is_none() => Some(item.value().to_vec()),
        None => None,
    }
}

/// C's `strtod` as SORT uses it: the whole value (up to a NUL byte) must be a number,
/// leading white space allowed; an empty value is 0; NaN, overflow and underflow are
/// errors (None).
fn strtod(value: &[u8]) -> Option<f64> {
    let value = match value.iter().position(|&b| b == 0) {
        Some(nul) => &value[..nul],
        None => value,
    };
    if value.is_empty() {
        return Some(0.0);
    }
    let skip = value
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    let text = &value[skip..];
    let (negative, body) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = if lower == b"inf" || lower == b"infinity" {
        return Some(if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    } else if lower.starts_with(b"nan") {
        return None;
    } else if lower.starts_with(b"0x") {
        hex_float(&lower[2..])?
    } else {
        decimal_float(body)?
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// `digits[.digits][e[sign]digits]` (at least one digit), with glibc's range errors.
fn decimal_float(body: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut digits = 0;
    let mut nonzero = false;
    while i < body.len() && body[i].is_ascii_digit() {
        nonzero |= body[i] != b'0';
        digits += 1;
        i += 1;
    }
    if i < body.len() && body[i] == b'.' {
        i += 1;
        while i < body.len() && body[i].is_ascii_digit() {
            nonzero |= body[i] != b'0';
            digits += 1;
            i += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if i < body.len() && (body[i] == b'e' || body[i] == b'E') {
        i += 1;
        if i < body.len() && (body[i] == b'+' || body[i] == b'-') {
            i += 1;
        }
        let exp_start = i;
        while i < body.len() && body[i].is_ascii_digit() {
            i += 1;
        }
        if i == exp_start {
            return None;
        }
    }
    if i != body.len() {
        return None;
    }
    let value: f64 = std::str::from_utf8(body).ok()?.parse().ok()?;
    in_range(value, nonzero)
}

/// `hexdigits[.hexdigits][p[sign]digits]` after `0x`.
fn hex_float(body: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut mantissa = 0f64;
    let mut exponent: i64 = 0;
    let mut digits = 0;
    let mut nonzero = false;
    let mut fraction = false;
    while i < body.len() {
        let b = body[i];
        if b == b'.' && !fraction {
            fraction = true;
        } else if let Some(d) = (b as char).to_digit(16) {
            nonzero |= d != 0;
            mantissa = mantissa * 16.0 + d as f64;
            if fraction {
                exponent -= 4;
            }
            digits += 1;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if i < body.len() && body[i] == b'p' {
        i += 1;
        let negative = match body.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let exp_start = i;
        let mut e: i64 = 0;
        while i < body.len() && body[i].is_ascii_digit() {
            e = (e * 10 + (body[i] - b'0') as i64).min(1 << 20);
            i += 1;
        }
        if i == exp_start {
            return None;
        }
        exponent += if negative { -e } else { e };
    }
    if i != body.len() {
        return None;
    }
    let value = mantissa * 2f64.powi(exponent.clamp(-(1 << 20), 1 << 20) as i32);
    in_range(value, nonzero)
}

/// glibc sets ERANGE on overflow and on underflow (a subnormal or zero result).
fn in_range(value: f64, nonzero: bool) -> Option<f64> {
    if value.is_infinite() || (nonzero && (value == 0.0 || value.is_subnormal())) {
        None
    } else {
        Some(value)
    }
}

#[cfg(test)]
mod strtod_tests {
    use super::strtod;

    #[test]
    fn like_c() {
        assert_eq!(strtod(b""), Some(0.0));
        assert_eq!(strtod(b" 1"), Some(1.0));
        assert_eq!(strtod(b"1 "), None);
        assert_eq!(strtod(b"  "), None);
        assert_eq!(strtod(b"+"), None);
        assert_eq!(strtod(b"1e"), None);
        assert_eq!(strtod(b".5"), Some(0.5));
        assert_eq!(strtod(b"1."), Some(1.0));
        assert_eq!(strtod(b"+.e1"), None);
        assert_eq!(strtod(b"0x10"), Some(16.0));
        assert_eq!(strtod(b"0x1p3"), Some(8.0));
        assert_eq!(strtod(b"0x"), None);
        assert_eq!(strtod(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(strtod(b"Infinity"), Some(f64::INFINITY));
        assert_eq!(strtod(b"nan"), None);
        assert_eq!(strtod(b"1e400"), None);
        assert_eq!(strtod(b"1e-310"), None);
        assert_eq!(strtod(b"1e-400"), None);
        assert_eq!(strtod(b"0e-400"), Some(0.0));
        assert_eq!(strtod(b"7\0z"), Some(7.0));
        assert_eq!(strtod(b"-3.5e2"), Some(-350.0));
    }
}
