//! XPENDING key group [[IDLE min-idle-time] start end count [consumer]]
//!
//! Without a range: the number of pending entries, the smallest and greatest
//! pending IDs and the count per consumer. With one: the pending entries in the
//! range (ID, owner, idle milliseconds, delivery count).

use super::{no_group, parse_bound, parse_int, read_stream, reply_id};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let summary = args.len() == 3;
    if !summary && !(6..=9).contains(&args.len()) {
        return ctx.err(errors::SYNTAX);
    }
    let mut min_idle = 0i64;
    let mut range = None;
    let mut consumer: Option<&[u8]> = None;
    if !summary {
        let mut at = 3;
        if is(args[3], "idle") {
            let Some(idle) = parse_int(ctx, args[4]) else {
                return;
            };
            min_idle = idle;
            if args.len() < 8 {
                return ctx.err(errors::SYNTAX);
            }
            at += 2;
        }
        let Some(count) = parse_int(ctx, args[at + 2]) else {
            return;
        };
        let Some(start) = parse_bound(ctx, args[at], false) else {
            return;
        };
        let Some(end) = parse_bound(ctx, args[at + 1], true) else {
            return;
        };
        consumer = args.get(at + 3).copied();
        range = Some((start, end, count.max(0) as u64));
    }
    let (key, group_name) = (args[1], args[2]);
    let (db, lfu) = (ctx.db, ctx.lfu());
    let now = ctx.keys.now_ms;
    let stream = match read_stream(&mut ctx.keys, ctx.out, db, key, lfu) {
        Err(Replied) => return,
        Ok(stream) => stream,
    };
    let Some(group) = stream.and_then(|s| s.group(group_name)) else {
        return ctx.err(&no_group(key, group_name, ""));
    };
    let out = &mut *ctx.out;
    let Some((start, end, count)) = range else {
        out.array(4);
        out.int(group.pel.len() as i64);
        match (group.pel.keys().next(), group.pel.keys().next_back()) {
            (Some(&first), Some(&last)) => {
                reply_id(out, first);
                reply_id(out, last);
                let owners: Vec<_> = group
                    .consumers
                    .values()
                    .filter(|c| !c.pel.is_empty())
                    .collect();
                out.array(owners.len());
                for owner in owners {
                    out.array(2);
                    out.bulk(&owner.name);
                    out.bulk_i64(owner.pel.len() as i64);
                }
            }
            _ => {
                out.null();
                out.null();
                out.null_array();
            }
        }
        return;
    };
    if start > end {
        return out.array(0);
    }
    let ids: Vec<_> = match consumer {
        Some(name) => match group.consumers.get(name) {
            Some(owner) => owner.pel.range(start..=end).copied().collect::<Vec<_>>(),
            None => return out.array(0),
        },
        None => Vec::new(),
    };
    let rows: Vec<_> = match consumer {
        Some(_) => ids
            .iter()
            .filter_map(|id| group.pel.get_key_value(id))
            .filter(|(_, nack)| now as i64 - nack.delivery_time as i64 >= min_idle)
            .take(count as usize)
            .collect(),
        None => group
            .pel
            .range(start..=end)
            .filter(|(_, nack)| now as i64 - nack.delivery_time as i64 >= min_idle)
            .take(count as usize)
            .collect(),
    };
    out.array(rows.len());
    for (&id, nack) in rows {
        out.array(4);
        reply_id(out, id);
        out.bulk(&nack.consumer);
        out.int((now as i64 - nack.delivery_time as i64).max(0));
        out.int(nack.delivery_count as i64);
    }
}
