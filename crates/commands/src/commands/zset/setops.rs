//! The engine of ZUNION, ZINTER, ZDIFF, ZINTERCARD and their STORE forms:
//! `numkeys key [key ...]` then WEIGHTS, AGGREGATE, WITHSCORES or LIMIT as the
//! command allows. Sources may be sorted sets or plain sets (every member scoring 1).

use super::{as_zset, reply_element, reply_len, store};
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::zset::ZSet;
use ferrocache_keyspace::{Collection, Item, Keyspace, Kind, LockSet};
use ferrocache_protocol::number::{parse_f64, parse_i64};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Union,
    Inter,
    Diff,
}

impl Op {
    fn store_event(self) -> &'static str {
        match self {
            Op::Union => "zunionstore",
            Op::Inter => "zinterstore",
            Op::Diff => "zdiffstore",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

impl Aggregate {
    fn apply(self, target: &mut f64, value: f64) {
        match self {
            Aggregate::Sum => {
                *target += value;
                if target.is_nan() {
                    *target = 0.0;
                }
            }
            Aggregate::Min => {
                if value < *target {
                    *target = value;
                }
            }
            Aggregate::Max => {
                if value > *target {
                    *target = value;
                }
            }
        }
    }
}

/// One input: a sorted set, a set, or nothing (missing key).
#[derive(Clone, Copy)]
enum Source<'a> {
    Missing,
    Sorted(&'a ZSet),
    Plain(&'a ferrocache_keyspace::MemberSet),
}

impl<'a> Source<'a> {
    fn of(item: Option<&'a Item>) -> Source<'a> {
        match item {
            None => Source::Missing,
            Some(item) => match (as_zset(item), item.collection()) {
                (Some(z), _) => Source::Sorted(z),
                (None, Some(Collection::Set(s))) => Source::Plain(s),
                _ => Source::Missing,
            },
        }
    }

    fn len(&self) -> usize {
        match self {
            Source::Missing => 0,
            Source::Sorted(z) => z.len(),
            Source::Plain(s) => s.len(),
        }
    }

    fn score(&self, member: &[u8]) -> Option<f64> {
        match self {
            Source::Missing => None,
            Source::Sorted(z) => z.score(member),
            Source::Plain(s) => s.contains(member).then_some(1.0),
        }
    }

    fn for_each(&self, mut f: impl FnMut(&'a [u8], f64)) {
        match self {
            Source::Missing => {}
            Source::Sorted(z) => z.iter().for_each(|(m, s)| f(m, s)),
            Source::Plain(s) => s.iter().for_each(|m| f(m, 1.0)),
        }
    }

    /// The same key given twice.
    fn same(&self, other: &Source<'_>) -> bool {
        match (self, other) {
            (Source::Sorted(a), Source::Sorted(b)) => std::ptr::eq(*a, *b),
            (Source::Plain(a), Source::Plain(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

/// Adds the stripes of the source keys (ZUNIONSTORE/ZINTERSTORE/ZDIFFSTORE: the
/// destination is the first key, then `numkeys` at 2).
pub fn lock_store(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_sources(ks, db, args, 2, set);
}

/// Adds the stripes of the source keys (ZUNION/ZINTER/ZDIFF/ZINTERCARD: `numkeys`
/// at 1).
pub fn lock_read(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    lock_sources(ks, db, args, 1, set);
}

fn lock_sources(ks: &Keyspace, db: usize, args: &[&[u8]], numkeys_at: usize, set: &mut LockSet) {
    let Some(n) = args.get(numkeys_at).and_then(|a| parse_i64(a)) else {
        return;
    };
    let first = numkeys_at + 1;
    let n = usize::try_from(n).unwrap_or(0).min(args.len() - first);
    for key in &args[first..first + n] {
        ks.add_key(set, db, key);
    }
}

/// What the command does with the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output<'a> {
    Reply,
    Store(&'a [u8]),
    /// ZINTERCARD: only the size.
    Cardinality,
}

/// Runs `op` over `numkeys` at `numkeys_at`.
pub fn generic(ctx: &mut Ctx<'_>, args: &[&[u8]], numkeys_at: usize, op: Op, output: Output<'_>) {
    let Some(numkeys) = parse_i64(args[numkeys_at]) else {
        return ctx.err(errors::NOT_INTEGER);
    };
    if numkeys < 1 {
        return ctx.err(&format!(
            "ERR at least 1 input key is needed for '{}' command",
            ctx.spec.name
        ));
    }
    let first = numkeys_at + 1;
    if numkeys as u64 > (args.len() - first) as u64 {
        return ctx.err(errors::SYNTAX);
    }
    let numkeys = numkeys as usize;
    let names = &args[first..first + numkeys];
    // Read lookups in order; a key of another type fails before the options are read.
    let lfu = ctx.lfu();
    for name in names {
        if let Some(item) = ctx.keys.read(ctx.db, name, lfu) {
            if item.kind() != Kind::ZSet && item.kind() != Kind::Set {
                return ctx.err(errors::WRONGTYPE);
            }
        }
    }
    let mut weights = vec![1.0f64; numkeys];
    let mut aggregate = Aggregate::Sum;
    let mut withscores = false;
    let mut limit: u64 = 0;
    let cardinality = output == Output::Cardinality;
    let mut j = first + numkeys;
    while j < args.len() {
        let remaining = args.len() - j;
        if op != Op::Diff && !cardinality && remaining > numkeys && is(args[j], "weights") {
            for (w, arg) in weights.iter_mut().zip(&args[j + 1..]) {
                match parse_f64(arg) {
                    Some(v) => *w = v,
                    None => return ctx.err("ERR weight value is not a float"),
                }
            }
            j += numkeys + 1;
        } else if op != Op::Diff && !cardinality && remaining >= 2 && is(args[j], "aggregate") {
            let arg = args[j + 1];
            aggregate = if is(arg, "sum") {
                Aggregate::Sum
            } else if is(arg, "min") {
                Aggregate::Min
            } else if is(arg, "max") {
                Aggregate::Max
            } else {
                return ctx.err(errors::SYNTAX);
            };
            j += 2;
        } else if output == Output::Reply && is(args[j], "withscores") {
            withscores = true;
            j += 1;
        } else if cardinality && remaining >= 2 && is(args[j], "limit") {
            match parse_i64(args[j + 1]) {
                Some(n) if n >= 0 => limit = n as u64,
                _ => return ctx.err("ERR LIMIT can't be negative"),
            }
            j += 2;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    let keys = &ctx.keys;
    let mut sources: Vec<(Source<'_>, f64)> = names
        .iter()
        .map(|name| Source::of(keys.peek(ctx.db, name)))
        .zip(weights)
        .collect();
    if op != Op::Diff {
        sources.sort_by_key(|(s, _)| s.len());
    }
    if cardinality {
        let n = inter_card(&sources, limit);
        return ctx.out.int(n as i64);
    }
    let result = match op {
        Op::Union => union(&sources, aggregate),
        Op::Inter => inter(&sources, aggregate),
        Op::Diff => diff(&sources),
    };
    match output {
        Output::Store(destination) => store(ctx, destination, result, op.store_event()),
        _ => {
            reply_len(ctx.out, result.len(), withscores);
            for (member, score) in result.iter() {
                reply_element(ctx.out, member, score, withscores);
            }
        }
    }
}

fn weighted(score: f64, weight: f64) -> f64 {
    let v = score * weight;
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

fn union(sources: &[(Source<'_>, f64)], aggregate: Aggregate) -> ZSet {
    let mut acc: hashbrown::HashMap<&[u8], f64> = hashbrown::HashMap::new();
    for (source, weight) in sources {
        source.for_each(|member, score| {
            let score = weighted(score, *weight);
            match acc.get_mut(member) {
                Some(target) => aggregate.apply(target, score),
                None => {
                    acc.insert(member, score);
                }
            }
        });
    }
    let mut result = ZSet::new();
    for (member, score) in acc {
        result.insert(member, score);
    }
    result
}

/// The members of the smallest source found in every other one, with their
/// aggregated scores, handed to `f`; stops when `f` returns false.
fn for_each_common(
    sources: &[(Source<'_>, f64)],
    aggregate: Aggregate,
    mut f: impl FnMut(&[u8], f64) -> bool,
) {
    let Some(((first, w0), rest)) = sources.split_first() else {
        return;
    };
    let mut go_on = true;
    first.for_each(|member, score0| {
        if !go_on {
            return;
        }
        let mut score = weighted(score0, *w0);
        for (source, weight) in rest {
            let value = if source.same(first) {
                Some(score0)
            } else {
                source.score(member)
            };
            match value {
                Some(v) => aggregate.apply(&mut score, v * weight),
                None => return,
            }
        }
        go_on = f(member, score);
    });
}

fn inter(sources: &[(Source<'_>, f64)], aggregate: Aggregate) -> ZSet {
    let mut result = ZSet::new();
    for_each_common(sources, aggregate, |member, score| {
        result.insert(member, score);
        true
    });
    result
}

fn inter_card(sources: &[(Source<'_>, f64)], limit: u64) -> u64 {
    let mut n = 0u64;
    for_each_common(sources, Aggregate::Sum, |_, _| {
        n += 1;
        limit == 0 || n < limit
    });
    n
}

fn diff(sources: &[(Source<'_>, f64)]) -> ZSet {
    let mut result = ZSet::new();
    let Some(((first, _), rest)) = sources.split_first() else {
        return result;
    };
    first.for_each(|member, score| {
        if !rest
            .iter()
            .any(|(s, _)| s.same(first) || s.score(member).is_some())
        {
            result.insert(member, score);
        }
    });
    result
}
