//! SLOWLOG GET [count] | LEN | RESET | HELP
//!
//! Entries: id, unix time, duration in microseconds, arguments, client address,
//! client name; newest first.

use super::{reply_help, subcommand_syntax_error};
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use ferrocache_protocol::number::parse_i64;

const ADMIN_SLOW: &str = "admin slow dangerous";

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("slowlog|get", -2, ADMIN | LOADING | STALE, get)
        .acl(ADMIN_SLOW)
        .doc("server", "2.2.12", "Get the slow log's entries"),
    CommandSpec::new("slowlog|len", 2, ADMIN | LOADING | STALE, len)
        .acl(ADMIN_SLOW)
        .doc("server", "2.2.12", "Get the slow log's length"),
    CommandSpec::new("slowlog|reset", 2, ADMIN | LOADING | STALE, reset)
        .acl(ADMIN_SLOW)
        .doc("server", "2.2.12", "Clear all entries from the slow log"),
    CommandSpec::new("slowlog|help", 2, LOADING | STALE, help)
        .acl("slow")
        .doc(
            "server",
            "6.2.0",
            "Show helpful text about the different subcommands",
        ),
];

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    );
}

fn get(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 3 {
        return subcommand_syntax_error(ctx, args);
    }
    let mut count = 10usize;
    if let Some(raw) = args.get(2) {
        match parse_i64(raw) {
            Some(-1) => count = usize::MAX,
            Some(n) if n >= 0 => count = usize::try_from(n).unwrap_or(usize::MAX),
            _ => return ctx.err("ERR count should be greater than or equal to -1"),
        }
    }
    let log = ctx.node.slowlog.lock();
    let entries = &log.1;
    ctx.out.array(entries.len().min(count));
    for entry in entries.iter().take(count) {
        ctx.out.array(6);
        ctx.out.int(entry.id as i64);
        ctx.out.int(entry.unix_time as i64);
        ctx.out.int(entry.micros as i64);
        ctx.out.array(entry.args.len());
        for arg in &entry.args {
            ctx.out.bulk(arg);
        }
        ctx.out.bulk(entry.addr.as_bytes());
        ctx.out.bulk(&entry.name);
    }
}

fn len(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let len = ctx.node.slowlog.lock().1.len();
    ctx.out.int(len as i64);
}

fn reset(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.node.slowlog.lock().1.clear();
    ctx.out.ok();
}
