//! SPOP key [count]
//!
//! Without a count, pops one random member and is propagated as SREM of it. With a
//! count smaller than the set, pops that many distinct random members and is
//! propagated as one SREM of them all; with a larger count, pops the whole set and is
//! propagated as DEL.

use super::{random_member, write_set};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

/// `getPositiveLongFromObjectOrReply`'s error, for a bad count of any kind.
const COUNT_RANGE: &str = "ERR value is out of range, must be positive";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    match args.len() {
        2 => pop_one(ctx, args[1]),
        3 => pop_count(ctx, args[1], args[2]),
        _ => ctx.err(errors::SYNTAX),
    }
}

fn pop_one(ctx: &mut Ctx<'_>, key: &[u8]) {
    let (member, emptied) = match write_set(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.null(),
        Ok(Some(set)) => {
            let Some(member) = random_member(set).map(<[u8]>::to_vec) else {
                return ctx.out.null();
            };
            set.remove(&member);
            (member, set.is_empty())
        }
    };
    ctx.notify(notify::SET, "spop", key);
    ctx.out.bulk(&member);
    if emptied {
        ctx.keys.remove(ctx.db, key);
        ctx.notify(notify::GENERIC, "del", key);
    }
    ctx.modified(key);
    ctx.propagate_as(vec![b"SREM".to_vec(), key.to_vec(), member]);
}

fn pop_count(ctx: &mut Ctx<'_>, key: &[u8], count: &[u8]) {
    let count = match parse_i64(count) {
        Some(n) if n >= 0 => n as u64,
        _ => return ctx.err(COUNT_RANGE),
    };
    let set = match write_set(&mut ctx.keys, ctx.out, ctx.db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.set(0),
        Ok(Some(set)) => set,
    };
    let size = set.len();
    if count == 0 || size == 0 {
        return ctx.out.set(0);
    }
    if count >= size as u64 {
        // The whole set: reply it, delete the key, propagate DEL.
        super::reply_set(ctx.out, set);
        ctx.notify(notify::SET, "spop", key);
        ctx.keys.remove(ctx.db, key);
        ctx.notify(notify::GENERIC, "del", key);
        ctx.modified(key);
        ctx.dirty += size as u64 - 1;
        ctx.propagate_as(vec![b"DEL".to_vec(), key.to_vec()]);
        return;
    }
    let count = count as usize;
    let popped = pop_random(set, count);
    ctx.out.set(popped.len());
    for member in &popped {
        ctx.out.bulk(member);
    }
    ctx.notify(notify::SET, "spop", key);
    ctx.modified(key);
    ctx.dirty += popped.len() as u64 - 1;
    let mut srem = Vec::with_capacity(popped.len() + 2);
    srem.push(b"SREM".to_vec());
    srem.push(key.to_vec());
    srem.extend(popped);
    ctx.propagate_as(srem);
}

/// Removes `count` (< size) distinct members chosen uniformly, in one walk of the
/// table, and returns them in random order.
fn pop_random(set: &mut super::Set, count: usize) -> Vec<Vec<u8>> {
    use rand::seq::SliceRandom;
    let mut rng = rand::thread_rng();
    let mut ranks = rand::seq::index::sample(&mut rng, set.len(), count).into_vec();
    ranks.sort_unstable();
    let mut wanted = ranks.into_iter().peekable();
    let mut rank = 0;
    let mut popped: Vec<Vec<u8>> = Vec::with_capacity(count);
    set.retain(|member| {
        let hit = wanted.peek() == Some(&rank);
        if hit {
            wanted.next();
            popped.push(member.to_vec());
        }
        rank += 1;
        !hit
    });
    popped.shuffle(&mut rng);
    popped
}
