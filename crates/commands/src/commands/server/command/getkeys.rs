//! COMMAND GETKEYS command [arg ...]
//! COMMAND GETKEYSANDFLAGS command [arg ...]
//!
//! Keys come from the table's first/last/step positions. The access flags of
//! GETKEYSANDFLAGS are derived from the command's flags (`RO access` for read-only
//! commands, `RW update` for writes), not from per-key specifications.

use crate::ctx::Ctx;
use crate::table::{flags, CommandSpec};

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    getkeys(ctx, args, false);
}

pub fn run_with_flags(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    getkeys(ctx, args, true);
}

/// The command `full` names, resolving its subcommand as the dispatcher would.
fn resolve(ctx: &Ctx<'_>, full: &[&[u8]]) -> Option<&'static CommandSpec> {
    let base = ctx.node.table.get(full[0])?;
    if full.len() == 1 || base.subcommands.is_empty() {
        Some(base)
    } else {
        base.subcommand(full[1])
    }
}

fn key_flags(spec: &CommandSpec) -> &'static [&'static str] {
    if spec.has(flags::WRITE) {
        &["RW", "update"]
    } else {
        &["RO", "access"]
    }
}

fn getkeys(ctx: &mut Ctx<'_>, args: &[&[u8]], with_flags: bool) {
    let full = &args[2..];
    let Some(spec) = resolve(ctx, full) else {
        return ctx.err("ERR Invalid command specified");
    };
    if spec.keys == (0, 0, 0) {
        return ctx.err("ERR The command has no key arguments");
    }
    if !spec.arity_ok(full.len()) {
        return ctx.err("ERR Invalid number of arguments specified for command");
    }
    let positions: Vec<usize> = spec.key_positions(full.len()).collect();
    if positions.is_empty() {
        return ctx.err("ERR Invalid arguments specified for command");
    }
    ctx.out.array(positions.len());
    for pos in positions {
        if with_flags {
            ctx.out.array(2);
            ctx.out.bulk(full[pos]);
            let names = key_flags(spec);
            ctx.out.set(names.len());
            for name in names {
                ctx.out.simple(name);
            }
        } else {
            ctx.out.bulk(full[pos]);
        }
    }
}
