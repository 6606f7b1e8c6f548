//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.

use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;
use std::sync::atomic::Ordering;

mod discard;
mod exec;
mod multi;
mod unwatch;
mod watch;

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new(
        "multi",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        multi::run,
    )
    .acl("fast transaction")
    .doc("transactions", "1.2.0", "Starts a transaction."),
    CommandSpec::new(
        "exec",
        1,
        NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG,
        exec::run,
    )
    .acl("slow transaction")
    .doc(
        "transactions",
        "1.2.0",
        "Executes all commands in a transaction.",
    ),
    CommandSpec::new(
        "discard",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        discard::run,
    )
    .acl("fast transaction")
    .doc("transactions", "2.0.0", "Discards a transaction."),
    CommandSpec::new(
        "watch",
        -2,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        watch::run,
    )
    .keys(1, -1, 1)
    .acl("fast transaction")
    .doc(
        "transactions",
        "2.2.0",
        "Monitors changes to keys to determine the execution of a transaction.",
    ),
    CommandSpec::new(
        "unwatch",
        1,
        NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        unwatch::run,
    )
    .acl("fast transaction")
    .doc(
        "transactions",
        "2.2.0",
        "Forgets about watched keys of a transaction.",
    ),
];

/// Drops a transaction being queued, if any.
pub fn discard_transaction(ctx: &mut Ctx<'_>) {
    ctx.client.multi = None;
    ctx.client.shared.info.lock().multi = None;
}

/// Forgets every WATCHed key. Must run while the context holds no stripes (it locks
/// the watched keys' stripes itself), which is true of every command that calls it.
pub fn unwatch_all(ctx: &mut Ctx<'_>) {
    crate::dispatch::unwatch_all(ctx.node, ctx.client);
    ctx.client
        .shared
        .watch_dirty
        .store(false, Ordering::Relaxed);
}

/// Removes the client's watch registrations using stripes the caller already holds.
pub fn release_watches(
    client: &mut crate::client::Client,
    locked: &mut ferrocache_keyspace::Locked<'_>,
) {
    let flag = client.shared.watch_dirty.clone();
    for (db, key) in client.watched.drain(..) {
        locked.unwatch(db, &key, &flag);
    }
    flag.store(false, Ordering::Relaxed);
    client.shared.info.lock().watched = 0;
}
