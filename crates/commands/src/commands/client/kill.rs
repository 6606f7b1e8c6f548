//! CLIENT KILL ip:port
//! CLIENT KILL [ID client-id] [TYPE NORMAL|MASTER|SLAVE|REPLICA|PUBSUB] [USER username]
//! [ADDR ip:port] [LADDR ip:port] [SKIPME YES|NO] [...]
//!
//! The old form kills the client connected from `ip:port` (the caller included) and
//! replies +OK or an error; the new form kills every client matching all the filters
//! (the caller only with SKIPME NO) and replies how many. Killing the caller closes
//! its connection once the reply is written.

use super::ClientType;
use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

#[derive(Default)]
struct Filter<'a> {
    addr: Option<&'a [u8]>,
    laddr: Option<&'a [u8]>,
    user: Option<&'a [u8]>,
    kind: Option<ClientType>,
    id: Option<u64>,
    skip_me: bool,
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let old_form = args.len() == 3;
    let mut filter = Filter {
        skip_me: true,
        ..Filter::default()
    };
    if old_form {
        filter.addr = Some(args[2]);
        filter.skip_me = false;
    } else {
        let mut i = 2;
        while i < args.len() {
            let Some(&value) = args.get(i + 1) else {
                return ctx.err(errors::SYNTAX);
            };
            let option = args[i];
            if is(option, "id") {
                match parse_i64(value) {
                    Some(id) if id >= 1 => filter.id = Some(id as u64),
                    _ => return ctx.err("ERR client-id should be greater than 0"),
                }
            } else if is(option, "type") {
                match ClientType::by_name(value) {
                    Some(kind) => filter.kind = Some(kind),
                    None => return super::unknown_type(ctx, value),
                }
            } else if is(option, "addr") {
                filter.addr = Some(value);
            } else if is(option, "laddr") {
                filter.laddr = Some(value);
            } else if is(option, "user") {
                if !user_exists(ctx, value) {
                    return ctx.err(&format!(
                        "ERR No such user '{}'",
                        String::from_utf8_lossy(value)
                    ));
                }
                filter.user = Some(value);
            } else if is(option, "skipme") {
                if is(value, "yes") {
                    filter.skip_me = true;
                } else if is(value, "no") {
                    filter.skip_me = false;
                } else {
                    return ctx.err(errors::SYNTAX);
                }
            } else {
                return ctx.err(errors::SYNTAX);
            }
            i += 2;
        }
    }

    let my_id = ctx.client.id();
    let clients: Vec<_> = ctx.node.clients.lock().values().cloned().collect();
    let mut killed = 0i64;
    for client in clients {
        if filter.addr.is_some_and(|a| a != client.addr.as_bytes())
            || filter.laddr.is_some_and(|a| a != client.laddr.as_bytes())
            || filter.id.is_some_and(|id| id != client.id)
        {
            continue;
        }
        if filter.kind.is_some() || filter.user.is_some() {
            let info = client.info.lock();
            if filter
                .kind
                .is_some_and(|k| k != ClientType::of(&client, &info))
                || filter
                    .user
                    .is_some_and(|u| u != info.authenticated_user.as_bytes())
            {
                continue;
            }
        }
        if client.id == my_id {
            if filter.skip_me {
                continue;
            }
            ctx.client.close_after_reply = true;
        } else {
            client.kill();
        }
        killed += 1;
    }

    if !old_form {
        ctx.out.int(killed);
    } else if killed == 0 {
        ctx.err("ERR No such client");
    } else {
        ctx.out.ok();
    }
}

/// Users known to the server: `default`, and whoever a connection is logged in as.
fn user_exists(ctx: &Ctx<'_>, name: &[u8]) -> bool {
    if name == b"default" {
        return true;
    }
    let clients: Vec<_> = ctx.node.clients.lock().values().cloned().collect();
    clients
        .iter()
        .any(|c| c.info.lock().authenticated_user.as_bytes() == name)
}
