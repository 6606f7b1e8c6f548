//! SINTERCARD numkeys key [key ...] [LIMIT limit]

use super::{ops, read_sets};
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::{Keyspace, LockSet};
use ferrocache_protocol::number::parse_i64;

const NUMKEYS: &str = "ERR numkeys should be greater than 0";
const TOO_MANY_KEYS: &str = "ERR Number of keys can't be greater than number of args";
const NEGATIVE_LIMIT: &str = "ERR LIMIT can't be negative";

/// The number of keys, when `numkeys` is valid for these arguments.
fn numkeys(args: &[&[u8]]) -> Result<usize, &'static str> {
    let n = match parse_i64(args[1]) {
        Some(n) if n >= 1 => n as u64,
        _ => return Err(NUMKEYS),
    };
    if n > (args.len() - 2) as u64 {
        return Err(TOO_MANY_KEYS);
    }
    Ok(n as usize)
}

/// The keys are named by `numkeys`: locks each of them.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    if let Ok(n) = numkeys(args) {
        for key in &args[2..2 + n] {
            ks.add_key(set, db, key);
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let n = match numkeys(args) {
        Ok(n) => n,
        Err(e) => return ctx.err(e),
    };
    let mut limit = 0;
    let mut i = 2 + n;
    while i < args.len() {
        if is(args[i], "limit") && i + 1 < args.len() {
            limit = match parse_i64(args[i + 1]) {
                Some(l) if l >= 0 => l as u64,
                _ => return ctx.err(NEGATIVE_LIMIT),
            };
            i += 2;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    let lfu = ctx.lfu();
    let Ok(sets) = read_sets(&mut ctx.keys, ctx.out, ctx.db, &args[2..2 + n], lfu) else {
        return;
    };
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let found = ops::inter_each(&sets, limit, |_| {});
    ctx.out.int(found as i64);
}
