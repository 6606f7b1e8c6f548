//! HRANDFIELD key [count [WITHVALUES]]
//!
//! Without a count: one random field (nil when the key is missing). A positive count
//! returns that many distinct fields (all of them when the hash is smaller); a negative
//! count returns exactly -count fields chosen independently, so they may repeat.
//!
//! Temporary allocations never follow the client's count alone: they are bounded by the
//! size of the hash, or by the reply itself. A repeated pick writes into the reply as it
//! goes, and a client whose reply outgrows [`super::reply_budget`] is disconnected.

use super::{read_hash, reply_budget};
use crate::args;
use crate::client::Client;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::Reply;
use rand::Rng;

/// Reply when the count is `LONG_MIN` (redis-server accepts `-LONG_MAX..=LONG_MAX`).
const COUNT_RANGE: &str =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() >= 3 {
        let Some(count) = args::int(ctx, args[2]) else {
            return;
        };
        if count == i64::MIN {
            return ctx.err(COUNT_RANGE);
        }
        let with_values = match args.len() {
            3 => false,
            4 if args::is(args[3], "withvalues") => true,
            _ => return ctx.err(errors::SYNTAX),
        };
        // Field and value make two entries each: the reply length must fit.
        if with_values && !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&count) {
            return ctx.err("ERR value is out of range");
        }
        return with_count(ctx, args[1], count, with_values);
    }
    let lfu = ctx.lfu();
    match read_hash(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) {
        Ok(Some(fields)) if !fields.is_empty() => {
            let at = rand::thread_rng().gen_range(0..fields.len());
            match fields.keys().nth(at) {
                Some(field) => ctx.out.bulk(field),
                None => ctx.out.null(),
            }
        }
        Ok(_) => ctx.out.null(),
        Err(Replied) => {}
    }
}

/// How the picked pairs are written.
#[derive(Clone, Copy)]
struct Shape {
    with_values: bool,
    resp3: bool,
}

impl Shape {
    /// The array header for `n` picks: RESP3 nests each pair, RESP2 flattens them.
    fn header(self, out: &mut Reply, n: usize) {
        if self.with_values && !self.resp3 {
            out.array(n.saturating_mul(2));
        } else {
            out.array(n);
        }
    }

    fn pick(self, out: &mut Reply, field: &[u8], value: &[u8]) {
        if self.with_values && self.resp3 {
            out.array(2);
        }
        out.bulk(field);
        if self.with_values {
            out.bulk(value);
        }
    }
}

fn with_count(ctx: &mut Ctx<'_>, key: &[u8], count: i64, with_values: bool) {
    let lfu = ctx.lfu();
    let budget = reply_budget(ctx);
    let shape = Shape {
        with_values,
        resp3: ctx.out.is_resp3(),
    };
    let fields = match read_hash(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Ok(Some(fields)) if !fields.is_empty() && count != 0 => fields,
        Ok(_) => return ctx.out.array(0),
        Err(Replied) => return,
    };
    let size = fields.len();
    let mut rng = rand::thread_rng();
    let out = &mut *ctx.out;

    if count > 0 {
        let count = usize::try_from(count).unwrap_or(usize::MAX);
        if count >= size {
            shape.header(out, size);
            for (field, value) in fields {
                shape.pick(out, field, value);
            }
            return;
        }
        // `count` distinct positions (fewer than the fields), then one walk.
        let mut positions = rand::seq::index::sample(&mut rng, size, count).into_vec();
        positions.sort_unstable();
        shape.header(out, count);
        let mut wanted = positions.iter().copied().peekable();
        for (at, (field, value)) in fields.iter().enumerate() {
            if wanted.peek() == Some(&at) {
                shape.pick(out, field, value);
                wanted.next();
                if wanted.peek().is_none() {
                    break;
                }
            }
        }
        return;
    }

    // Negative count: picks with repetition, in random order.
    let count = usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX);
    let start = out.len();
    shape.header(out, count);
    if count < size {
        // Fewer picks than fields: resolve the chosen positions in one walk.
        let picks: Vec<usize> = (0..count).map(|_| rng.gen_range(0..size)).collect();
        let mut positions = picks.clone();
        positions.sort_unstable();
        positions.dedup();
        let mut resolved = Vec::with_capacity(positions.len());
        let mut wanted = positions.iter().copied().peekable();
        for (at, entry) in fields.iter().enumerate() {
            if wanted.peek() == Some(&at) {
                resolved.push(entry);
                wanted.next();
                if wanted.peek().is_none() {
                    break;
                }
            }
        }
        for pick in picks {
            if let Ok(i) = positions.binary_search(&pick) {
                let (field, value) = resolved[i];
                shape.pick(out, field, value);
            }
            if out.len() - start > budget {
                return runaway(ctx.client, out, start);
            }
        }
        return;
    }
    // At least as many picks as fields: index the fields (bounded by the hash).
    let entries: Vec<(&[u8], &[u8])> = fields.iter().collect();
    for _ in 0..count {
        let (field, value) = entries[rng.gen_range(0..size)];
        shape.pick(out, field, value);
        if out.len() - start > budget {
            return runaway(ctx.client, out, start);
        }
    }
}

/// The reply outgrew its budget: drop it and disconnect the client, as redis-server
/// does past the output buffer limit.
fn runaway(client: &Client, out: &mut Reply, start: usize) {
    out.buf.truncate(start);
    client.shared.kill();
}
