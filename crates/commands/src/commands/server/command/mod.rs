//! COMMAND, and its subcommands COUNT | DOCS | GETKEYS | GETKEYSANDFLAGS | HELP | INFO |
//! LIST: the command table as redis-server 7.0 describes it.
//!
//! COMMAND INFO entries: name, arity, flags, first key, last key, key step, ACL
//! categories, tips (none), key specifications (none: the legacy first/last/step
//! triple is what the table knows), subcommands. COMMAND DOCS entries carry the
//! summary, since and group (no complexity, history or argument list).

use super::reply_help;
use crate::ctx::Ctx;
use crate::node::Node;
use crate::table::flags::*;
use crate::table::{flags, CommandSpec};
use ferrocache_protocol::Reply;

mod count;
mod docs;
mod getkeys;
mod info;
mod list;

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("command|count", 2, LOADING | STALE | SENTINEL, count::run)
        .acl("slow connection")
        .doc("server", "2.8.13", "Get total number of Redis commands"),
    CommandSpec::new("command|docs", -2, LOADING | STALE | SENTINEL, docs::run)
        .acl("slow connection")
        .doc(
            "server",
            "7.0.0",
            "Get array of specific Redis command documentation",
        ),
    CommandSpec::new(
        "command|getkeys",
        -4,
        LOADING | STALE | SENTINEL,
        getkeys::run,
    )
    .acl("slow connection")
    .doc(
        "server",
        "2.8.13",
        "Extract keys given a full Redis command",
    ),
    CommandSpec::new(
        "command|getkeysandflags",
        -4,
        LOADING | STALE | SENTINEL,
        getkeys::run_with_flags,
    )
    .acl("slow connection")
    .doc(
        "server",
        "7.0.0",
        "Extract keys and access flags given a full Redis command",
    ),
    CommandSpec::new("command|help", 2, LOADING | STALE | SENTINEL, help)
        .acl("slow connection")
        .doc(
            "server",
            "5.0.0",
            "Show helpful text about the different subcommands",
        ),
    CommandSpec::new("command|info", -2, LOADING | STALE | SENTINEL, info::run)
        .acl("slow connection")
        .doc(
            "server",
            "2.8.13",
            "Get array of specific Redis command details, or all when no argument is given.",
        ),
    CommandSpec::new("command|list", -2, LOADING | STALE | SENTINEL, list::run)
        .acl("slow connection")
        .doc("server", "7.0.0", "Get an array of Redis command names"),
];

/// COMMAND without a subcommand: every command's COMMAND INFO entry.
pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    reply_all_info(ctx);
}

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
        ],
    );
}

/// A command by its full name (`get`, `config|get`), case-insensitively.
pub fn lookup(node: &Node, name: &[u8]) -> Option<&'static CommandSpec> {
    let mut parts = name.split(|&b| b == b'|');
    let base = node.table.get(parts.next()?)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(base),
        (Some(sub), None) if !base.subcommands.is_empty() => base.subcommand(sub),
        _ => None,
    }
}

/// Flags COMMAND INFO shows (may_replicate and the internal ones are hidden, as
/// redis-server hides its own).
fn shown_flags(spec: &CommandSpec) -> impl Iterator<Item = &'static str> + '_ {
    flags::NAMES
        .iter()
        .filter(move |(bit, name)| spec.flags & bit != 0 && *name != "may_replicate")
        .map(|&(_, name)| name)
}

/// One COMMAND INFO entry.
pub fn reply_info(out: &mut Reply, spec: &CommandSpec) {
    out.array(10);
    out.bulk(spec.name.as_bytes());
    out.int(spec.arity as i64);
    out.set(shown_flags(spec).count());
    for name in shown_flags(spec) {
        out.simple(name);
    }
    let (first, last, step) = spec.keys;
    out.int(first as i64);
    out.int(last as i64);
    out.int(step as i64);
    let categories: Vec<&str> = spec.acl.split_whitespace().collect();
    out.set(categories.len());
    for category in categories {
        out.simple(&format!("@{category}"));
    }
    // Tips and key specifications.
    out.set(0);
    out.set(0);
    if spec.subcommands.is_empty() {
        out.set(0);
    } else {
        out.array(spec.subcommands.len());
        for sub in spec.subcommands {
            reply_info(out, sub);
        }
    }
}

/// Every top-level command's COMMAND INFO entry.
pub fn reply_all_info(ctx: &mut Ctx<'_>) {
    let table = &ctx.node.table;
    ctx.out.array(table.len());
    for spec in table.all() {
        reply_info(ctx.out, spec);
    }
}

/// One COMMAND DOCS entry (a map).
pub fn reply_docs(out: &mut Reply, spec: &CommandSpec) {
    let fields = 1
        + usize::from(!spec.summary.is_empty())
        + usize::from(!spec.since.is_empty())
        + usize::from(!spec.subcommands.is_empty());
    out.map(fields);
    if !spec.summary.is_empty() {
        out.bulk(b"summary");
        out.bulk(spec.summary.as_bytes());
    }
    if !spec.since.is_empty() {
        out.bulk(b"since");
        out.bulk(spec.since.as_bytes());
    }
    out.bulk(b"group");
    out.bulk(spec.group.as_bytes());
    if !spec.subcommands.is_empty() {
        out.bulk(b"subcommands");
        out.map(spec.subcommands.len());
        for sub in spec.subcommands {
            out.bulk(sub.name.as_bytes());
            reply_docs(out, sub);
        }
    }
}
