//! XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-ms]
//! [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID id]
//!
//! Gives pending entries idle for at least min-idle-time to `consumer` (created if
//! needed), replying the entries (or just their IDs). Pending IDs whose entry was
//! deleted are dropped from the PEL; FORCE creates PEL entries for IDs that exist in
//! the stream but are not pending.

use super::{no_group, parse_id, parse_id_arg, reply_entry, reply_id, write_stream, IdArg};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use ferrocache_keyspace::stream::{Nack, StreamId};
use ferrocache_protocol::number::parse_i64;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, group_name, consumer_name) = (args[1], args[2], args[3]);
    let db = ctx.db;
    match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(stream)) if stream.group(group_name).is_some() => {}
        Ok(_) => return ctx.err(&no_group(key, group_name, "")),
    }
    let Some(min_idle) = parse_i64(args[4]) else {
        return ctx.err("ERR Invalid min-idle-time argument for XCLAIM");
    };
    let min_idle = min_idle.max(0);
    let mut ids = Vec::new();
    let mut j = 5;
    while j < args.len() {
        match parse_id_arg(args[j], 0, true, false) {
            Some(IdArg::Id(id)) => ids.push(id),
            _ => break,
        }
        j += 1;
    }
    let now = ctx.keys.now_ms as i64;
    let (mut force, mut justid) = (false, false);
    let mut delivery_time: Option<i64> = None;
    let mut retry_count: Option<i64> = None;
    let mut last_id = StreamId::MIN;
    while j < args.len() {
        let more = args.len() - 1 - j;
        let opt = args[j];
        let number = |arg: &[u8], what: &str| {
            parse_i64(arg).ok_or_else(|| format!("ERR Invalid {what} option argument for XCLAIM"))
        };
        if is(opt, "force") {
            force = true;
        } else if is(opt, "justid") {
            justid = true;
        } else if is(opt, "idle") && more > 0 {
            j += 1;
            match number(args[j], "IDLE") {
                Ok(idle) => delivery_time = Some(now - idle),
                Err(e) => return ctx.err(&e),
            }
        } else if is(opt, "time") && more > 0 {
            j += 1;
            match number(args[j], "TIME") {
                Ok(time) => delivery_time = Some(time),
                Err(e) => return ctx.err(&e),
            }
        } else if is(opt, "retrycount") && more > 0 {
            j += 1;
            match number(args[j], "RETRYCOUNT") {
                Ok(count) => retry_count = Some(count),
                Err(e) => return ctx.err(&e),
            }
        } else if is(opt, "lastid") && more > 0 {
            j += 1;
            let Some(id) = parse_id(ctx, args[j], 0, true) else {
                return;
            };
            last_id = id;
        } else {
            let opt = String::from_utf8_lossy(opt);
            return ctx.err(&format!("ERR Unrecognized XCLAIM option '{opt}'"));
        }
        j += 1;
    }
    let delivery_time = match delivery_time {
        Some(t) if t >= 0 && t <= now => t as u64,
        _ => now as u64,
    };
    let Some(stream) = ctx.keys.get(db, key).and_then(super::as_stream) else {
        return;
    };
    let (log, groups) = stream.parts_mut();
    let Some(group) = groups.get_mut(group_name) else {
        return;
    };
    let mut changed = 0u64;
    if last_id > group.last_id {
        group.last_id = last_id;
        changed += 1;
    }
    let mut claimed = Vec::new();
    let mut consumer = None;
    let mut consumer_created = false;
    for &id in &ids {
        let pending = group.pel.contains_key(&id);
        if !log.contains(id) {
            if pending {
                group.ack(id);
                changed += 1;
            }
            continue;
        }
        let fresh = !pending;
        if fresh {
            if !force {
                continue;
            }
        } else if min_idle > 0 {
            let idle = now - group.pel[&id].delivery_time as i64;
            if idle < min_idle {
                continue;
            }
        }
        let owner = match &consumer {
            Some(owner) => owner,
            None => {
                let (owner, created) = group.consumer(consumer_name, now as u64);
                if created {
                    consumer_created = true;
                    changed += 1;
                }
                consumer.insert(owner)
            }
        };
        if fresh {
            group.pel.insert(
                id,
                Nack {
                    consumer: owner.clone(),
                    delivery_time: now as u64,
                    delivery_count: 1,
                },
            );
        }
        group.transfer(id, owner);
        if let Some(nack) = group.pel.get_mut(&id) {
            nack.delivery_time = delivery_time;
            match retry_count {
                Some(count) if count >= 0 => nack.delivery_count = count as u64,
                _ if !justid => nack.delivery_count += 1,
                _ => {}
            }
        }
        claimed.push(id);
        changed += 1;
    }
    ctx.out.array(claimed.len());
    for &id in &claimed {
        match (justid, log.get(id)) {
            (false, Some(entry)) => reply_entry(ctx.out, id, entry),
            _ => reply_id(ctx.out, id),
        }
    }
    if consumer_created {
        ctx.notify(crate::config::notify::STREAM, "xgroup-createconsumer", key);
    }
    if changed > 0 {
        ctx.keys.touch_watched(db, key);
        ctx.dirty += changed;
    }
}
