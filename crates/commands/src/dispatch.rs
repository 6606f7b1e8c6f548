//! Command dispatch: lookup, arity, authentication, transactions, subscribe mode,
//! memory limits, locking, execution, then the bookkeeping every command shares
//! (stats, error counts, propagation, MONITOR, SLOWLOG).

use crate::blocking::{Block, Blocked, TimeoutReply};
use crate::client::{Client, Multi, ReplyMode};
use crate::config::{notify, Settings};
use crate::ctx::{notify_keyspace, Ctx};
use crate::errors;
use crate::node::Node;
use crate::table::{flags, CommandSpec};
use ferrocache_keyspace::{memory, unix_ms_at, Keyspace, LockSet, Locked};
use ferrocache_protocol::Reply;
use std::time::{Duration, Instant};

/// Resolves `args` to the command or subcommand that will run.
pub enum Resolved {
    Found(&'static CommandSpec),
    Rejected(String),
}

/// Looks the command up and checks its arity.
pub fn resolve(node: &Node, args: &[&[u8]]) -> Resolved {
    let Some(command) = node.table.get(args[0]) else {
        return Resolved::Rejected(errors::unknown_command(args));
    };
    // Without a second argument the container itself runs (COMMAND) or fails its
    // arity check (CONFIG), as redis-server's lookupSubcommand does.
    let spec = if command.subcommands.is_empty() || args.len() < 2 {
        command
    } else {
        match command.subcommand(args[1]) {
            Some(sub) => sub,
            None => return Resolved::Rejected(errors::unknown_subcommand(command.name, args[1])),
        }
    };
    if !spec.arity_ok(args.len()) {
        return Resolved::Rejected(errors::wrong_arity(spec.name));
    }
    Resolved::Found(spec)
}

fn reject(client: &mut Client, out: &mut Reply, spec: Option<&'static CommandSpec>, text: &str) {
    // A refused EXEC ends the transaction, saying why (redis-server's execCommandAbort).
    if spec.is_some_and(|s| s.name == "exec") && client.multi.take().is_some() {
        client.shared.info.lock().multi = None;
        let text = format!("EXECABORT Transaction discarded because of: {text}");
        out.error(&text);
        client.stats.record_error(text.as_bytes());
    } else {
        out.error(text);
        client.stats.record_error(text.as_bytes());
    }
    if let Some(spec) = spec {
        client.stats.command(spec).rejected_calls += 1;
    }
}

/// True for the commands that act on a transaction instead of being queued by it.
fn is_transaction_control(spec: &CommandSpec) -> bool {
    matches!(
        spec.name,
        "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
    )
}

/// How long this command must wait because of CLIENT PAUSE, if at all.
pub fn paused_until(node: &Node, client: &Client, args: &[&[u8]]) -> Option<Instant> {
    if !node.pause_active.load(std::sync::atomic::Ordering::Acquire) {
        return None;
    }
    let pause = (*node.pause.lock())?;
    if pause.until <= Instant::now() {
        return None;
    }
    if !pause.write_only {
        return Some(pause.until);
    }
    let Resolved::Found(spec) = resolve(node, args) else {
        return None;
    };
    if client.multi.is_some() && spec.name != "exec" {
        return None;
    }
    let writes = spec.has(flags::WRITE)
        || spec.has(flags::MAY_REPLICATE)
        || (spec.name == "exec"
            && client.multi.as_ref().is_some_and(|m| {
                m.queued.iter().any(|q| {
                    let args: Vec<&[u8]> = q.iter().map(|a| a.as_slice()).collect();
                    matches!(resolve(node, &args), Resolved::Found(s) if s.has(flags::WRITE) || s.has(flags::MAY_REPLICATE))
                })
            }));
    writes.then_some(pause.until)
}

/// Executes one request, appending its reply to `out`. A blocking command that has
/// to wait returns its [`Block`] (and replied nothing): the caller waits, then runs
/// the same request again.
pub fn execute(
    node: &Node,
    client: &mut Client,
    out: &mut Reply,
    args: &[&[u8]],
) -> Option<Blocked> {
    execute_at(node, client, out, args, &mut None)
}

/// [`execute`] for one request of a batch: `clock` is the batch's latest clock
/// reading, taken when the previous command ended, and is used as this command's start
/// (then replaced by its end), so each command of a pipeline reads the clock once.
pub fn execute_at(
    node: &Node,
    client: &mut Client,
    out: &mut Reply,
    args: &[&[u8]],
    clock: &mut Option<quanta::Instant>,
) -> Option<Blocked> {
    let epoch = node.settings_epoch();
    let settings = node.cached_settings(&mut client.settings_cache);
    let blocked = execute_with(node, &settings, client, out, args, clock);
    client.settings_cache = Some((epoch, settings));
    blocked
}

fn execute_with(
    node: &Node,
    settings: &Settings,
    client: &mut Client,
    out: &mut Reply,
    args: &[&[u8]],
    clock: &mut Option<quanta::Instant>,
) -> Option<Blocked> {
    if args.is_empty() {
        return None;
    }
    let reply_start = out.len();
    let spec = match resolve(node, args) {
        Resolved::Found(spec) => {
            // CLIENT LIST `cmd`: the shared copy is only written when it changes.
            if client.last_cmd != spec.name {
                client.last_cmd = spec.name;
                let mut info = client.shared.info.lock();
                info.last_cmd.clear();
                info.last_cmd.push_str(spec.name);
            }
            spec
        }
        Resolved::Rejected(text) => {
            let known = node.table.get(args[0]);
            reject(client, out, known, &text);
            if let Some(multi) = client.multi.as_mut() {
                multi.aborted = true;
            }
            {
                apply_reply_mode(client, out, reply_start);
                return None;
            }
        }
    };
    if !client.authenticated && !spec.has(flags::NO_AUTH) {
        reject(client, out, Some(spec), errors::NOAUTH);
        if let Some(multi) = client.multi.as_mut() {
            multi.aborted = true;
        }
        {
            apply_reply_mode(client, out, reply_start);
            return None;
        }
    }
    if !make_room(node, settings, spec, client) {
        reject(client, out, Some(spec), errors::OOM);
        if spec.name == "exec" {
            unwatch_all(node, client);
        }
        if let Some(multi) = client.multi.as_mut() {
            multi.aborted = true;
        }
        {
            apply_reply_mode(client, out, reply_start);
            return None;
        }
    }
    if let Some(multi) = client.multi.as_mut() {
        if !is_transaction_control(spec) {
            if spec.has(flags::NO_MULTI) {
                multi.aborted = true;
                reject(
                    client,
                    out,
                    Some(spec),
                    "ERR Command not allowed inside a transaction",
                );
            } else {
                multi.queued.push(args.iter().map(|a| a.to_vec()).collect());
                // CLIENT LIST `multi`: commands queued so far.
                client.shared.info.lock().multi = Some(multi.queued.len());
                out.simple("QUEUED");
            }
            {
                apply_reply_mode(client, out, reply_start);
                return None;
            }
        }
    }
    if client.in_subscribe_mode(out) && !spec.has(flags::PUBSUB_CONTEXT) {
        let text = format!(
            "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
            spec.name
        );
        reject(client, out, Some(spec), &text);
        {
            apply_reply_mode(client, out, reply_start);
            return None;
        }
    }
    let db = client.db;
    let started = clock.take().unwrap_or_else(quanta::Instant::now);
    let mut ctx = Ctx {
        node,
        settings,
        client,
        out,
        keys: node.keyspace.unlocked(unix_ms_at(started)),
        db,
        spec,
        dirty: 0,
        rewrite: None,
        in_exec: false,
        block: None,
        ready: Vec::new(),
    };
    collect_locks(&node.keyspace, spec, args, db, ctx.keys.pending());
    ctx.keys.acquire();
    *clock = Some(call(&mut ctx, spec, args, started));
    finish_expired(&mut ctx.keys, node);
    // Registered while the stripes are still held: a push to one of the keys cannot
    // slip in between "nothing to pop" and "waiting".
    let blocked = ctx.block.take().map(|block| Blocked {
        waiter: node.blocking.register(ctx.client.id(), &block),
        block,
    });
    ctx.keys.release();
    let client = ctx.client;
    let out = ctx.out;
    // CLIENT CACHING covers the next command or transaction: it survives only CLIENT
    // subcommands and commands queued by MULTI.
    if let Some(tracking) = client.tracking.as_mut() {
        if client.multi.is_none() && !spec.name.starts_with("client|") {
            tracking.caching = false;
        }
    }
    if blocked.is_some() {
        return blocked;
    }
    let pushed = spec.has(flags::PUBSUB) && spec.has(flags::PUBSUB_CONTEXT);
    apply_reply_mode_for(client, out, reply_start, pushed);
    None
}

/// CLIENT REPLY OFF/SKIP: drop what this command replied.
fn apply_reply_mode(client: &mut Client, out: &mut Reply, reply_start: usize) {
    apply_reply_mode_for(client, out, reply_start, false)
}

/// As [`apply_reply_mode`]; `pushed` replies ((un)subscribe confirmations) are pushes
/// that CLIENT REPLY does not silence.
fn apply_reply_mode_for(client: &mut Client, out: &mut Reply, reply_start: usize, pushed: bool) {
    match client.reply_mode {
        ReplyMode::On => {}
        ReplyMode::Off if !pushed => out.buf.truncate(reply_start),
        ReplyMode::Off => {}
        ReplyMode::Skip => {
            if !pushed {
                out.buf.truncate(reply_start);
            }
            client.reply_mode = ReplyMode::On;
        }
        ReplyMode::SkipNext => client.reply_mode = ReplyMode::Skip,
    }
}

/// Adds the stripes `spec` needs for `args` in `db`.
pub fn collect_locks(
    ks: &Keyspace,
    spec: &CommandSpec,
    args: &[&[u8]],
    db: usize,
    set: &mut LockSet,
) {
    if spec.has(flags::ALL_DBS) {
        ks.add_all(set);
    } else if spec.has(flags::WHOLE_DB) {
        ks.add_db(set, db);
    } else if !spec.has(flags::NO_KEY_LOCK) {
        for pos in spec.key_positions(args.len()) {
            ks.add_key(set, db, args[pos]);
        }
    }
    if let Some(extra) = spec.lock {
        extra(ks, db, args, set);
    }
}

/// Evicts keys until memory is under `maxmemory`. False when a command that may grow
/// memory must be refused.
fn make_room(node: &Node, settings: &Settings, spec: &CommandSpec, client: &Client) -> bool {
    if settings.maxmemory == 0 {
        return true;
    }
    // Inside MULTI, queueing itself takes memory: everything but EXEC, DISCARD, QUIT
    // and RESET is refused when out of memory, as redis-server does.
    let queueing =
        client.multi.is_some() && !matches!(spec.name, "exec" | "discard" | "quit" | "reset");
    let denyoom = queueing
        || spec.has(flags::DENYOOM)
        || (spec.name == "exec"
            && client.multi.as_ref().is_some_and(|m: &Multi| {
                m.queued.iter().any(|q| {
                    let args: Vec<&[u8]> = q.iter().map(|a| a.as_slice()).collect();
                    matches!(resolve(node, &args), Resolved::Found(s) if s.has(flags::DENYOOM))
                })
            }));
    let under_limit = evict_to_limit(node);
    under_limit || !denyoom
}

/// Evicts keys until memory is under `maxmemory` (or nothing more can be evicted);
/// true when memory is under the limit. The caller must hold no stripes.
pub fn evict_to_limit(node: &Node) -> bool {
    let settings = node.settings();
    let mut attempts = 0;
    while memory::used_memory() as u64 > settings.maxmemory {
        match node
            .keyspace
            .evict_one(settings.policy, settings.maxmemory_samples)
        {
            Some((db, key)) => {
                notify_keyspace(node, db, notify::EVICTED, "evicted", &key);
                node.stream.append(db, &[b"DEL", &key]);
            }
            None => return false,
        }
        attempts += 1;
        // Bounded work per command; the next command continues.
        if attempts > 10_000 {
            break;
        }
    }
    memory::used_memory() as u64 <= settings.maxmemory
}

/// CLIENT TRACKING: a write invalidates its keys for the clients that may cache them;
/// a tracking client's successful read remembers its keys (OPTIN / OPTOUT decide
/// which reads count, CLIENT CACHING for the next command only).
fn track(
    ctx: &mut Ctx<'_>,
    spec: &'static CommandSpec,
    args: &[&[u8]],
    dirty_before: u64,
    reply_start: usize,
) {
    let id = ctx.client.id();
    let tracking = &ctx.node.tracking;
    if ctx.dirty > dirty_before {
        if spec.has(flags::ALL_DBS) || spec.has(flags::WHOLE_DB) {
            tracking.invalidate_all(ctx.node);
        } else {
            let keys: Vec<&[u8]> = spec.key_positions(args.len()).map(|p| args[p]).collect();
            tracking.invalidate(ctx.node, id, &keys);
        }
    }
    let failed = ctx.out.buf.get(reply_start) == Some(&b'-');
    if let Some(mine) = ctx.client.tracking.as_mut() {
        if !mine.bcast && spec.has(flags::READONLY) && !failed {
            let wanted = if mine.optin {
                mine.caching
            } else if mine.optout {
                !mine.caching
            } else {
                true
            };
            if wanted {
                tracking.remember(id, spec.key_positions(args.len()).map(|p| args[p]));
            }
        }
        if spec.name != "client|caching" && !ctx.in_exec {
            mine.caching = false;
        }
    }
    // After any command: the table may have grown, or the limit shrunk (CONFIG SET);
    // redis-server applies it before each sleep.
    let max = ctx
        .node
        .read_cached_settings(&mut ctx.client.settings_cache, |s| {
            s.tracking_table_max_keys
        });
    tracking.limit(ctx.node, max);
}

/// Runs one command with the stripes already locked, and does its bookkeeping.
///
/// `started` is when the command began (its duration is measured from it); returns
/// when it ended.
pub fn call(
    ctx: &mut Ctx<'_>,
    spec: &'static CommandSpec,
    args: &[&[u8]],
    started: quanta::Instant,
) -> quanta::Instant {
    let reply_start = ctx.out.len();
    let dirty_before = ctx.dirty;
    ctx.spec = spec;
    ctx.rewrite = None;
    let notify_new = ctx.settings.notify_flags & notify::NEW != 0;
    // Keys created by the command are noted for `new` notifications and for clients
    // blocked on keys that do not exist yet (RENAME, SORT STORE, ... into place).
    ctx.keys.track_created = notify_new || ctx.node.blocking.blocked_clients() > 0;
    (spec.handler)(ctx, args);
    let ended = quanta::Instant::now();
    let elapsed = ended.saturating_duration_since(started);
    if ctx.node.tracking.active() {
        track(ctx, spec, args, dirty_before, reply_start);
    }
    if ctx.keys.track_created {
        for (db, key) in ctx.keys.take_created() {
            if notify_new {
                notify_keyspace(ctx.node, db, notify::NEW, "new", &key);
            }
            if !ctx.ready.contains(&(db, key.clone())) {
                ctx.ready.push((db, key));
            }
        }
    }
    for (db, key) in ctx.ready.drain(..) {
        ctx.node.blocking.signal(db, &key);
    }
    // Any write to a key may end a stream reader's wait (its stream or group gone).
    if spec.has(flags::WRITE) && ctx.node.blocking.blocked_clients() > 0 {
        let blocking = &ctx.node.blocking;
        if spec.has(flags::ALL_DBS) {
            blocking.signal_readers_of(|_| true);
        } else if spec.has(flags::WHOLE_DB) {
            blocking.signal_readers_of(|db| db == ctx.db);
        } else {
            for pos in spec.key_positions(args.len()) {
                blocking.signal_readers(ctx.db, args[pos]);
            }
        }
    }

    let micros = elapsed.as_micros() as u64;

    let stats = &mut ctx.client.stats;
    stats.total_commands += 1;
    let entry = stats.command(spec);
    entry.calls += 1;
    entry.usec += micros;
    if ctx.out.buf.get(reply_start) == Some(&b'-') {
        entry.failed_calls += 1;
        let line_end = ctx.out.buf[reply_start..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .map_or(ctx.out.len(), |p| reply_start + p);
        let text = ctx.out.buf[reply_start + 1..line_end].to_vec();
        stats.record_error(&text);
    }

    if ctx.dirty > dirty_before {
        ctx.client.pending_dirty += ctx.dirty - dirty_before;
        match ctx.rewrite.take() {
            Some(rewritten) => {
                let parts: Vec<&[u8]> = rewritten.iter().map(|a| a.as_slice()).collect();
                ctx.node.stream.append(ctx.db, &parts);
            }
            None => ctx.node.stream.append(ctx.db, args),
        }
    }
    if ctx
        .node
        .monitoring
        .load(std::sync::atomic::Ordering::Relaxed)
        && !spec.has(flags::SKIP_MONITOR)
        && !spec.has(flags::ADMIN)
    {
        ctx.node
            .feed_monitors(ctx.db, &ctx.client.shared.addr, args);
    }
    if !spec.has(flags::SKIP_SLOWLOG) {
        let threshold = ctx.settings.slowlog_slower_than;
        if threshold >= 0 && micros as i64 >= threshold {
            let name = ctx.client.shared.info.lock().name.clone();
            ctx.node
                .maybe_slowlog(micros, args, &ctx.client.shared.addr, &name);
        }
    }
    if elapsed >= Duration::from_millis(1) {
        ctx.node
            .latency_sample("command", elapsed.as_millis() as u64);
    }
    ended
}

/// Publishes and propagates the keys that expired on access while the locks were held.
pub fn finish_expired(keys: &mut Locked<'_>, node: &Node) {
    for (db, key) in keys.take_expired() {
        notify_keyspace(node, db, notify::EXPIRED, "expired", &key);
        node.stream.append(db, &[b"DEL", &key]);
    }
}

/// Whether a key arguments list resolves, for COMMAND GETKEYS.
pub fn keys_of(spec: &CommandSpec, args: &[&[u8]]) -> Vec<usize> {
    spec.key_positions(args.len()).collect()
}

/// Releases everything a closing connection holds: subscriptions, watches, MONITOR,
/// and its registry entry (its counters go to the node's retired totals).
pub fn disconnect(node: &Node, client: &mut Client) {
    use crate::pubsub::Table;
    let id = client.id();
    for (which, names) in [
        (Table::Channels, std::mem::take(&mut client.channels)),
        (Table::Patterns, std::mem::take(&mut client.patterns)),
        (Table::Shard, std::mem::take(&mut client.shard_channels)),
    ] {
        for name in names {
            node.pubsub.unsubscribe(which, &name, id);
        }
    }
    unwatch_all(node, client);
    node.tracking.disable(id);
    client.flush_stats(node);
    node.unregister_client(&client.shared);
}

/// Replies to a blocked command whose timeout passed.
pub fn reply_timeout(out: &mut Reply, block: &Block) {
    match block.on_timeout {
        TimeoutReply::NullArray => out.null_array(),
        TimeoutReply::NullBulk => out.null(),
    }
}

/// Takes a blocked command out of the queues of its keys.
pub fn forget_blocked(node: &Node, blocked: &Blocked) {
    node.blocking.unregister(&blocked.waiter, &blocked.block);
}

/// Forgets every key the client WATCHes, locking their stripes itself (the caller
/// holds none).
pub fn unwatch_all(node: &Node, client: &mut Client) {
    if client.watched.is_empty() {
        return;
    }
    let mut set = LockSet::new();
    for (db, key) in &client.watched {
        node.keyspace.add_key(&mut set, *db, key);
    }
    let mut locked = node.keyspace.lock(set);
    crate::commands::tx::release_watches(client, &mut locked);
}
