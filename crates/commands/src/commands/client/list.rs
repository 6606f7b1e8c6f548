//! CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id [client-id ...]]
//!
//! One line per connection in redis-server 7.0's format and field order. Figures
//! redis-server takes from its own allocator are approximations here: `fd` is a
//! stable number derived from the id, `qbuf`/`qbuf-free` and `omem` come from what
//! the connection reports, `rbs`/`rbp`/`obl`/`oll` describe a plain reply buffer,
//! `multi-mem` is only known for the calling client, `events` is always `r`.

use super::ClientType;
use crate::client::{ClientInfo, ClientKind, ClientShared};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;
use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// Base size of a connection's state, added to its buffers for `tot-mem`.
const CLIENT_STATE_BYTES: usize = 830;
/// Size of a reply buffer nothing has been written to.
const REPLY_BUFFER_BYTES: usize = 1024;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let text = if args.len() == 4 && crate::args::is(args[2], "type") {
        let Some(wanted) = ClientType::by_name(args[3]) else {
            return super::unknown_type(ctx, args[3]);
        };
        let mut text = Vec::new();
        for shared in snapshot(ctx) {
            let info = shared.info.lock().clone();
            if ClientType::of(&shared, &info) == wanted {
                write_line(ctx, args, &mut text, &shared, &info);
            }
        }
        text
    } else if args.len() > 3 && crate::args::is(args[2], "id") {
        let mut text = Vec::new();
        for arg in &args[3..] {
            let Some(id) = parse_i64(arg) else {
                return ctx.err("ERR Invalid client ID");
            };
            let found = ctx.node.clients.lock().get(&(id as u64)).cloned();
            if let Some(shared) = found {
                let info = shared.info.lock().clone();
                write_line(ctx, args, &mut text, &shared, &info);
            }
        }
        text
    } else if args.len() != 2 {
        return ctx.err(errors::SYNTAX);
    } else {
        let mut text = Vec::new();
        for shared in snapshot(ctx) {
            let info = shared.info.lock().clone();
            write_line(ctx, args, &mut text, &shared, &info);
        }
        text
    };
    ctx.out.verbatim(&text);
}

/// Every connected client, in connection order (the registry lock is not held while
/// the lines are built).
fn snapshot(ctx: &Ctx<'_>) -> Vec<Arc<ClientShared>> {
    ctx.node.clients.lock().values().cloned().collect()
}

/// Appends the CLIENT LIST line of `shared` (with `info`, a copy of its fields),
/// newline included. The calling client, running `args`, is described from its live
/// state.
pub fn write_line(
    ctx: &Ctx<'_>,
    args: &[&[u8]],
    out: &mut Vec<u8>,
    shared: &ClientShared,
    info: &ClientInfo,
) {
    let me = shared.id == ctx.client.id();
    let client = &*ctx.client;

    let mut flags = String::new();
    if info.monitor || (me && client.monitor) {
        flags.push('O');
    } else if shared.kind() == ClientKind::Replica {
        flags.push('S');
    }
    match shared.kind() {
        ClientKind::Master => flags.push('M'),
        ClientKind::PubSub => flags.push('P'),
        _ => {}
    }
    let in_multi = if me {
        client.multi.is_some()
    } else {
        info.multi.is_some()
    };
    if in_multi {
        flags.push('x');
    }
    let (tracking, bcast, redirect) = if me {
        match &client.tracking {
            Some(t) => (true, t.bcast, t.redirect),
            None => (false, false, 0),
        }
    } else {
        (info.tracking, info.tracking_bcast, info.tracking_redirect)
    };
    if tracking {
        flags.push('t');
    }
    if tracking && bcast {
        flags.push('B');
    }
    if shared.watch_dirty.load(Ordering::Relaxed) {
        flags.push('d');
    }
    if me && client.close_after_reply {
        flags.push('c');
    }
    if shared.is_killed() {
        flags.push('A');
    }
    if shared.addr.starts_with('/') {
        flags.push('U');
    }
    if (me && client.no_evict) || (!me && info.no_evict) {
        flags.push('e');
    }
    if flags.is_empty() {
        flags.push('N');
    }

    let age = shared.created.elapsed().as_secs();
    let (idle, db, multi, cmd, resp) = if me {
        let multi = client.multi.as_ref().map_or(-1, |m| m.queued.len() as i64);
        let resp = if ctx.out.is_resp3() { 3 } else { 2 };
        (0, ctx.db, multi, ctx.spec.name.to_string(), resp)
    } else {
        (
            info.last_interaction.elapsed().as_secs(),
            info.db,
            info.multi.map_or(-1, |n| n as i64),
            info.last_cmd.clone(),
            info.resp,
        )
    };
    // The calling client's query buffer still holds the command being run.
    let (qbuf, qbuf_free, argv_mem, multi_mem) = if me {
        let qbuf = info.query_buffer.max(encoded_len(args));
        let argv: usize = args.iter().map(|a| a.len()).sum();
        let multi_mem: usize = client.multi.as_ref().map_or(0, |m| {
            m.queued
                .iter()
                .map(|q| {
                    q.iter().map(|a| a.len()).sum::<usize>()
                        + q.len() * std::mem::size_of::<usize>()
                })
                .sum()
        });
        (qbuf, info.query_buffer_free, argv, multi_mem)
    } else {
        (info.query_buffer, info.query_buffer_free, 0, 0)
    };
    // The calling client's reply buffer holds the replies of its batch so far.
    let (rbs, rbp, obl) = if me {
        let size = ctx.out.buf.capacity().max(REPLY_BUFFER_BYTES);
        let used = ctx.out.len().min(size);
        (size, used, used)
    } else {
        (REPLY_BUFFER_BYTES, 0, 0)
    };
    let omem = if me {
        0
    } else {
        info.output_buffer + shared.pending_push.load(Ordering::Relaxed)
    };
    let tot_mem = CLIENT_STATE_BYTES + qbuf + qbuf_free + argv_mem + multi_mem + rbs + omem;
    let redir = if tracking { redirect as i64 } else { -1 };

    let _ = write!(
        out,
        "id={} addr={} laddr={} fd={} name=",
        shared.id,
        shared.addr,
        shared.laddr,
        shared.id + 7
    );
    out.extend_from_slice(&info.name);
    let _ = writeln!(
        out,
        " age={age} idle={idle} flags={flags} db={db} sub={} psub={} ssub={} multi={multi} qbuf={qbuf} qbuf-free={qbuf_free} argv-mem={argv_mem} multi-mem={multi_mem} rbs={rbs} rbp={rbp} obl={obl} oll=0 omem={omem} tot-mem={tot_mem} events=r cmd={cmd} user={} redir={redir} resp={resp}",
        if me { client.channels.len() } else { info.subscriptions },
        if me { client.patterns.len() } else { info.patterns },
        if me { client.shard_channels.len() } else { info.shard_channels },
        info.authenticated_user,
    );
}

/// Size of `args` as a RESP multibulk request.
fn encoded_len(args: &[&[u8]]) -> usize {
    let digits = |n: usize| n.to_string().len();
    let mut len = 1 + digits(args.len()) + 2;
    for arg in args {
        len += 1 + digits(arg.len()) + 2 + arg.len() + 2;
    }
    len
}

#[cfg(test)]
mod tests {
    use super::encoded_len;

    #[test]
    fn request_size() {
        // *2\r\n$6\r\nclient\r\n$4\r\nlist\r\n
        assert_eq!(encoded_len(&[b"client", b"list"]), 26);
    }
}
