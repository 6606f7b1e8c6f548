//! PUBSUB CHANNELS | NUMSUB | NUMPAT | SHARDCHANNELS | SHARDNUMSUB | HELP

use crate::ctx::Ctx;
use crate::pubsub::Table;
use crate::table::flags::*;
use crate::table::CommandSpec;

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("pubsub|channels", -2, PUBSUB | LOADING | STALE, channels)
        .acl("pubsub slow")
        .doc("pubsub", "2.8.0", "Returns the active channels."),
    CommandSpec::new("pubsub|numsub", -2, PUBSUB | LOADING | STALE, numsub)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.8.0",
            "Returns a count of subscribers to channels.",
        ),
    CommandSpec::new("pubsub|numpat", 2, PUBSUB | LOADING | STALE, numpat)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.8.0",
            "Returns a count of unique pattern subscriptions.",
        ),
    CommandSpec::new(
        "pubsub|shardchannels",
        -2,
        PUBSUB | LOADING | STALE,
        shardchannels,
    )
    .acl("pubsub slow")
    .doc("pubsub", "7.0.0", "Returns the active shard channels."),
    CommandSpec::new(
        "pubsub|shardnumsub",
        -2,
        PUBSUB | LOADING | STALE,
        shardnumsub,
    )
    .acl("pubsub slow")
    .doc(
        "pubsub",
        "7.0.0",
        "Returns the count of subscribers of shard channels.",
    ),
    CommandSpec::new("pubsub|help", 2, LOADING | STALE, help)
        .acl("slow")
        .doc(
            "pubsub",
            "6.2.0",
            "Returns helpful text about the different subcommands.",
        ),
];

pub fn help(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let lines = [
        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        "SHARDCHANNELS [<pattern>]",
        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
        "SHARDNUMSUB [<shardchannel> ...]",
        "    Return the number of subscribers for the specified shard level channel(s)",
        "HELP",
        "    Prints this help.",
    ];
    ctx.out.array(lines.len());
    for line in lines {
        ctx.out.simple(line);
    }
}

fn list(ctx: &mut Ctx<'_>, args: &[&[u8]], which: Table) {
    if args.len() > 3 {
        return ctx.err(&crate::errors::wrong_arity(ctx.spec.name));
    }
    let names = ctx.node.pubsub.names(which, args.get(2).copied());
    ctx.out.array(names.len());
    for name in names {
        ctx.out.bulk(&name);
    }
}

fn counts(ctx: &mut Ctx<'_>, args: &[&[u8]], which: Table) {
    ctx.out.map(args.len() - 2);
    for name in &args[2..] {
        ctx.out.bulk(name);
        ctx.out
            .int(ctx.node.pubsub.subscriber_count(which, name) as i64);
    }
}

fn channels(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    list(ctx, args, Table::Channels);
}

fn shardchannels(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    list(ctx, args, Table::Shard);
}

fn numsub(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    counts(ctx, args, Table::Channels);
}

fn shardnumsub(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    counts(ctx, args, Table::Shard);
}

fn numpat(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    ctx.out.int(ctx.node.pubsub.pattern_count() as i64);
}
