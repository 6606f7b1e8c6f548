//! Pub/sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UN- forms, PUBLISH, SPUBLISH,
//! PUBSUB.

use crate::client::ClientKind;
use crate::ctx::Ctx;
use crate::pubsub::Table;
use crate::table::flags::*;
use crate::table::CommandSpec;

mod psubscribe;
mod publish;
// The PUBSUB command lives in the pub/sub group under its own name.
#[allow(clippy::module_inception)]
mod pubsub;
mod punsubscribe;
mod spublish;
mod ssubscribe;
mod subscribe;
mod sunsubscribe;
mod unsubscribe;

const CONTEXT: u32 = PUBSUB | NOSCRIPT | LOADING | STALE | PUBSUB_CONTEXT;

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("subscribe", -2, CONTEXT, subscribe::run)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.0.0",
            "Listens for messages published to channels.",
        ),
    CommandSpec::new("unsubscribe", -1, CONTEXT, unsubscribe::run)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.0.0",
            "Stops listening to messages posted to channels.",
        ),
    CommandSpec::new("psubscribe", -2, CONTEXT, psubscribe::run)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.0.0",
            "Listens for messages published to channels that match one or more patterns.",
        ),
    CommandSpec::new("punsubscribe", -1, CONTEXT, punsubscribe::run)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "2.0.0",
            "Stops listening to messages published to channels that match one or more patterns.",
        ),
    CommandSpec::new("ssubscribe", -2, CONTEXT | NO_KEY_LOCK, ssubscribe::run)
        .keys(1, -1, 1)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "7.0.0",
            "Listens for messages published to shard channels.",
        ),
    CommandSpec::new("sunsubscribe", -1, CONTEXT | NO_KEY_LOCK, sunsubscribe::run)
        .keys(1, -1, 1)
        .acl("pubsub slow")
        .doc(
            "pubsub",
            "7.0.0",
            "Stops listening to messages posted to shard channels.",
        ),
    CommandSpec::new(
        "publish",
        3,
        PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE,
        publish::run,
    )
    .acl("pubsub fast")
    .doc("pubsub", "2.0.0", "Posts a message to a channel."),
    CommandSpec::new(
        "spublish",
        3,
        PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE | NO_KEY_LOCK,
        spublish::run,
    )
    .keys(1, 1, 1)
    .acl("pubsub fast")
    .doc("pubsub", "7.0.0", "Post a message to a shard channel"),
    CommandSpec::new("pubsub", -2, 0, pubsub::help)
        .acl("slow")
        .doc("pubsub", "2.8.0", "A container for Pub/Sub commands.")
        .subcommands(pubsub::SUBCOMMANDS),
];

fn set_of<'c>(ctx: &'c mut Ctx<'_>, which: Table) -> &'c mut std::collections::HashSet<Vec<u8>> {
    match which {
        Table::Channels => &mut ctx.client.channels,
        Table::Patterns => &mut ctx.client.patterns,
        Table::Shard => &mut ctx.client.shard_channels,
    }
}

/// The count a (un)subscribe reply carries: shard subscriptions count apart.
fn reply_count(ctx: &Ctx<'_>, which: Table) -> usize {
    match which {
        Table::Shard => ctx.client.shard_channels.len(),
        _ => ctx.client.channels.len() + ctx.client.patterns.len(),
    }
}

fn sync_info(ctx: &mut Ctx<'_>) {
    let mut info = ctx.client.shared.info.lock();
    info.subscriptions = ctx.client.channels.len();
    info.patterns = ctx.client.patterns.len();
    info.shard_channels = ctx.client.shard_channels.len();
    drop(info);
    let kind = if ctx.client.subscription_count() > 0 {
        ClientKind::PubSub
    } else {
        ClientKind::Normal
    };
    if matches!(
        ctx.client.shared.kind(),
        ClientKind::Normal | ClientKind::PubSub
    ) {
        ctx.client.shared.set_kind(kind);
    }
}

fn confirm(ctx: &mut Ctx<'_>, kind: &[u8], name: Option<&[u8]>, count: usize) {
    ctx.out.push(3);
    ctx.out.bulk(kind);
    match name {
        Some(n) => ctx.out.bulk(n),
        None => ctx.out.null(),
    }
    ctx.out.int(count as i64);
}

/// SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE.
pub fn subscribe(ctx: &mut Ctx<'_>, which: Table, names: &[&[u8]], kind: &[u8]) {
    for name in names {
        if set_of(ctx, which).insert(name.to_vec()) {
            ctx.node.pubsub.subscribe(which, name, &ctx.client.shared);
        }
        let count = reply_count(ctx, which);
        confirm(ctx, kind, Some(name), count);
    }
    sync_info(ctx);
}

/// UNSUBSCRIBE, PUNSUBSCRIBE, SUNSUBSCRIBE; no names means all of them.
pub fn unsubscribe(ctx: &mut Ctx<'_>, which: Table, names: &[&[u8]], kind: &[u8]) {
    let names: Vec<Vec<u8>> = if names.is_empty() {
        set_of(ctx, which).iter().cloned().collect()
    } else {
        names.iter().map(|n| n.to_vec()).collect()
    };
    if names.is_empty() {
        let count = reply_count(ctx, which);
        confirm(ctx, kind, None, count);
    }
    for name in names {
        if set_of(ctx, which).remove(&name) {
            ctx.node.pubsub.unsubscribe(which, &name, ctx.client.id());
        }
        let count = reply_count(ctx, which);
        confirm(ctx, kind, Some(&name), count);
    }
    sync_info(ctx);
}

/// Drops every subscription without replying (RESET, disconnect).
pub fn unsubscribe_all(ctx: &mut Ctx<'_>) {
    let id = ctx.client.id();
    for (which, set) in [
        (Table::Channels, std::mem::take(&mut ctx.client.channels)),
        (Table::Patterns, std::mem::take(&mut ctx.client.patterns)),
        (Table::Shard, std::mem::take(&mut ctx.client.shard_channels)),
    ] {
        for name in set {
            ctx.node.pubsub.unsubscribe(which, &name, id);
        }
    }
    sync_info(ctx);
}

#[cfg(test)]
mod tests {
    use crate::testing::{node, Conn};

    #[test]
    fn output_limits_disconnect_slow_subscribers() {
        let n = node();
        let mut publisher = Conn::new(&n);
        let mut slow = Conn::new(&n);
        let payload = "x".repeat(200);
        slow.cmd(&["SUBSCRIBE", "news"]);
        slow.pushed();

        // Over the soft limit: tolerated for soft_seconds, then disconnected.
        publisher.cmd(&[
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "pubsub 0 100 1",
        ]);
        publisher.cmd(&["PUBLISH", "news", &payload]);
        assert!(!slow.client.shared.is_killed());
        std::thread::sleep(std::time::Duration::from_millis(1100));
        publisher.cmd(&["PUBLISH", "news", &payload]);
        assert!(slow.client.shared.is_killed());

        // Over the hard limit: at once.
        let mut fast_fail = Conn::new(&n);
        fast_fail.cmd(&["SUBSCRIBE", "news"]);
        fast_fail.pushed();
        publisher.cmd(&[
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "pubsub 300 0 0",
        ]);
        publisher.cmd(&["PUBLISH", "news", &payload]);
        assert!(!fast_fail.client.shared.is_killed());
        publisher.cmd(&["PUBLISH", "news", &payload]);
        assert!(fast_fail.client.shared.is_killed());
    }
}
