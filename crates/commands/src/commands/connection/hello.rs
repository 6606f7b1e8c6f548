//! HELLO [protover [AUTH username password] [SETNAME clientname]]

use super::auth::{check, WRONGPASS};
use super::REDIS_VERSION;
use crate::args::is;
use crate::ctx::Ctx;
use ferrocache_protocol::number::parse_i64;
use ferrocache_protocol::RespVersion;
use std::sync::atomic::Ordering;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut version = None;
    let mut i = 1;
    if args.len() >= 2 {
        match parse_i64(args[1]) {
            Some(v) if v == 2 || v == 3 => version = Some(v),
            Some(_) => return ctx.err("NOPROTO unsupported protocol version"),
            None => return ctx.err("ERR Protocol version is not an integer or out of range"),
        }
        i = 2;
    }
    let mut credentials = None;
    let mut name = None;
    while i < args.len() {
        let more = args.len() - i - 1;
        if is(args[i], "auth") && more >= 2 {
            credentials = Some((args[i + 1], args[i + 2]));
            i += 3;
        } else if is(args[i], "setname") && more >= 1 {
            name = Some(args[i + 1]);
            i += 2;
        } else {
            return ctx.err(&format!(
                "ERR Syntax error in HELLO option '{}'",
                String::from_utf8_lossy(args[i])
            ));
        }
    }
    if let Some((user, password)) = credentials {
        if !check(ctx, user, password) {
            return ctx.err(WRONGPASS);
        }
        ctx.client.authenticated = true;
    }
    if !ctx.client.authenticated {
        return ctx.err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
    }
    if let Some(name) = name {
        if name.iter().any(|&b| b <= b' ' || b > b'~') {
            return ctx
                .err("ERR Client names cannot contain spaces, newlines or special characters.");
        }
        ctx.client.shared.info.lock().name = name.to_vec();
    }
    if let Some(v) = version {
        ctx.out.version = if v == 3 {
            RespVersion::Resp3
        } else {
            RespVersion::Resp2
        };
        ctx.client.shared.resp3.store(v == 3, Ordering::Relaxed);
        ctx.client.shared.info.lock().resp = v as u8;
    }
    let proto = if ctx.out.is_resp3() { 3 } else { 2 };
    ctx.out.map(7);
    ctx.out.bulk(b"server");
    ctx.out.bulk(b"redis");
    ctx.out.bulk(b"version");
    ctx.out.bulk(REDIS_VERSION.as_bytes());
    ctx.out.bulk(b"proto");
    ctx.out.int(proto);
    ctx.out.bulk(b"id");
    ctx.out.int(ctx.client.id() as i64);
    ctx.out.bulk(b"mode");
    ctx.out.bulk(b"standalone");
    ctx.out.bulk(b"role");
    ctx.out.bulk(b"master");
    ctx.out.bulk(b"modules");
    ctx.out.array(0);
}
