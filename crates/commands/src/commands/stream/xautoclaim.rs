//! XAUTOCLAIM key group consumer min-idle-time start [COUNT count] [JUSTID]
//!
//! XCLAIM over the PEL from `start`: claims up to COUNT entries idle for at least
//! min-idle-time, replying [next cursor, claimed entries, IDs dropped because their
//! entry was deleted]. Visits at most 10 * COUNT pending entries per call.

use super::{no_group, parse_bound, reply_entry, reply_id, write_stream};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::StreamId;
use ferrocache_protocol::number::parse_i64;

const ATTEMPTS_FACTOR: u64 = 10;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, group_name, consumer_name) = (args[1], args[2], args[3]);
    let Some(min_idle) = parse_i64(args[4]) else {
        return ctx.err("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    };
    let min_idle = min_idle.max(0);
    let Some(start) = parse_bound(ctx, args[5], false) else {
        return;
    };
    let mut count: u64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < args.len() {
        let more = args.len() - 1 - j;
        if is(args[j], "count") && more > 0 {
            // redis-server: LONG_MAX / max(sizeof(streamID), attempts factor).
            let max = i64::MAX / 16;
            match parse_i64(args[j + 1]) {
                Some(n) if (1..=max).contains(&n) => count = n as u64,
                _ => return ctx.err("ERR COUNT must be > 0"),
            }
            j += 1;
        } else if is(args[j], "justid") {
            justid = true;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        j += 1;
    }
    let db = ctx.db;
    match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(stream)) if stream.group(group_name).is_some() => {}
        Ok(_) => return ctx.err(&no_group(key, group_name, "")),
    }
    let now = ctx.keys.now_ms;
    let Some(stream) = ctx.keys.get(db, key).and_then(super::as_stream) else {
        return;
    };
    let (log, groups) = stream.parts_mut();
    let Some(group) = groups.get_mut(group_name) else {
        return;
    };
    let mut attempts = count.saturating_mul(ATTEMPTS_FACTOR);
    let mut claimed = Vec::new();
    let mut deleted = Vec::new();
    let mut consumer = None;
    let mut consumer_created = false;
    let mut changed = 0u64;
    let mut cursor = Some(start);
    while attempts > 0 && count > 0 {
        let Some(from) = cursor else { break };
        let Some((&id, nack)) = group.pel.range(from..).next() else {
            cursor = None;
            break;
        };
        attempts -= 1;
        cursor = id.next();
        if !log.contains(id) {
            group.ack(id);
            deleted.push(id);
            changed += 1;
            count -= 1;
            continue;
        }
        if min_idle > 0 && (now as i64 - nack.delivery_time as i64) < min_idle {
            continue;
        }
        let owner = match &consumer {
            Some(owner) => owner,
            None => {
                let (owner, created) = group.consumer(consumer_name, now);
                if created {
                    consumer_created = true;
                    changed += 1;
                }
                consumer.insert(owner)
            }
        };
        group.transfer(id, owner);
        if let Some(nack) = group.pel.get_mut(&id) {
            nack.delivery_time = now;
            if !justid {
                nack.delivery_count += 1;
            }
        }
        claimed.push(id);
        count -= 1;
        changed += 1;
    }
    let next = cursor
        .and_then(|from| group.pel.range(from..).next().map(|(&id, _)| id))
        .unwrap_or(StreamId::MIN);
    ctx.out.array(3);
    reply_id(ctx.out, next);
    ctx.out.array(claimed.len());
    for &id in &claimed {
        match (justid, log.get(id)) {
            (false, Some(entry)) => reply_entry(ctx.out, id, entry),
            _ => reply_id(ctx.out, id),
        }
    }
    ctx.out.array(deleted.len());
    for &id in &deleted {
        reply_id(ctx.out, id);
    }
    if consumer_created {
        ctx.notify(crate::config::notify::STREAM, "xgroup-createconsumer", key);
    }
    if changed > 0 {
        ctx.keys.touch_watched(db, key);
        ctx.dirty += changed;
    }
}
