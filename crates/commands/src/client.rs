//! Client state: what one connection carries between commands ([`Client`]) and what
//! other connections may see or change about it ([`ClientShared`]: CLIENT LIST/KILL,
//! pub/sub delivery, WATCH invalidation).

use crate::stats::ClientStats;
use ferrocache_protocol::{Reply, RespVersion};
use parking_lot::Mutex;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicU8, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;

/// CLIENT REPLY mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyMode {
    On,
    Off,
    /// Skip the reply of the next command only.
    SkipNext,
    /// Skipping the current command's reply.
    Skip,
}

/// A transaction being queued (between MULTI and EXEC).
#[derive(Debug, Default)]
pub struct Multi {
    pub queued: Vec<Vec<Vec<u8>>>,
    /// An error while queueing: EXEC must fail with EXECABORT.
    pub aborted: bool,
}

/// What kind of connection this is, for CLIENT LIST `flags` and output limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientKind {
    Normal,
    PubSub,
    Replica,
    Master,
}

/// The part of a client that other connections read or signal.
pub struct ClientShared {
    pub id: u64,
    pub addr: String,
    pub laddr: String,
    pub created: Instant,
    pub info: Mutex<ClientInfo>,
    pub stats: Mutex<ClientStats>,
    /// Set by CLIENT KILL, output limits or SHUTDOWN: the connection closes.
    pub killed: AtomicBool,
    /// Wakes the connection task: killed, unblocked, a frame pushed, or its buffer is
    /// to go. (Pushed frames wake it through this rather than through their channel,
    /// which would otherwise be polled, and its waker registered, on every request.)
    pub wake: crate::signal::Signal,
    /// Set by the server's cron when the client has been idle long enough to give back
    /// its query buffer (redis-server frees an idle client's buffer the same way).
    pub release_buffer: AtomicBool,
    /// Out-of-band frames (pub/sub messages, MONITOR lines), already encoded for this
    /// client's protocol version.
    push_tx: mpsc::UnboundedSender<Vec<u8>>,
    /// Bytes queued in `push_tx` and not yet written: the output buffer for limits.
    pub pending_push: AtomicUsize,
    /// When the output buffer went over the soft limit (milliseconds since the client
    /// connected, plus one), 0 while it is under.
    pub over_soft_since: AtomicU64,
    pub resp3: AtomicBool,
    /// Set when a WATCHed key is modified.
    pub watch_dirty: Arc<AtomicBool>,
    /// True while the client waits in a blocking command.
    pub blocked: AtomicBool,
    /// Set when an invalidation found this tracking client's REDIRECT target gone
    /// (CLIENT TRACKINGINFO `broken_redirect`); cleared by CLIENT TRACKING ON.
    pub tracking_redirect_broken: AtomicBool,
    /// CLIENT UNBLOCK request: 0 none, 1 as if timed out, 2 with an error.
    pub unblock: AtomicU8,
    /// 0 normal, 1 pubsub, 2 replica, 3 master.
    kind: AtomicU8,
}

/// Fields shown by CLIENT LIST and CLIENT INFO.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    pub name: Vec<u8>,
    pub lib_name: Vec<u8>,
    pub lib_ver: Vec<u8>,
    pub db: usize,
    pub last_cmd: String,
    pub last_interaction: quanta::Instant,
    pub subscriptions: usize,
    pub patterns: usize,
    pub shard_channels: usize,
    pub multi: Option<usize>,
    pub watched: usize,
    pub query_buffer: usize,
    pub query_buffer_free: usize,
    pub output_buffer: usize,
    pub monitor: bool,
    pub no_evict: bool,
    pub tracking: bool,
    /// CLIENT TRACKING REDIRECT target (0: none), for CLIENT LIST `redir`.
    pub tracking_redirect: u64,
    /// CLIENT TRACKING in BCAST mode, for CLIENT LIST flag `B`.
    pub tracking_bcast: bool,
    pub reply_off: bool,
    pub authenticated_user: String,
    pub resp: u8,
}

impl ClientShared {
    pub fn new(
        id: u64,
        addr: String,
        laddr: String,
    ) -> (Arc<ClientShared>, mpsc::UnboundedReceiver<Vec<u8>>) {
        let (push_tx, push_rx) = mpsc::unbounded_channel();
        let now = Instant::now();
        let shared = Arc::new(ClientShared {
            id,
            addr,
            laddr,
            created: now,
            info: Mutex::new(ClientInfo {
                name: Vec::new(),
                lib_name: Vec::new(),
                lib_ver: Vec::new(),
                db: 0,
                last_cmd: "NULL".into(),
                last_interaction: quanta::Instant::now(),
                subscriptions: 0,
                patterns: 0,
                shard_channels: 0,
                multi: None,
                watched: 0,
                query_buffer: 0,
                query_buffer_free: 0,
                output_buffer: 0,
                monitor: false,
                no_evict: false,
                tracking: false,
                tracking_redirect: 0,
                tracking_bcast: false,
                reply_off: false,
                authenticated_user: "default".into(),
                resp: 2,
            }),
            stats: Mutex::new(ClientStats::default()),
            killed: AtomicBool::new(false),
            release_buffer: AtomicBool::new(false),
            wake: crate::signal::Signal::new(),
            push_tx,
            pending_push: AtomicUsize::new(0),
            over_soft_since: AtomicU64::new(0),
            resp3: AtomicBool::new(false),
            watch_dirty: Arc::new(AtomicBool::new(false)),
            blocked: AtomicBool::new(false),
            tracking_redirect_broken: AtomicBool::new(false),
            unblock: AtomicU8::new(0),
            kind: AtomicU8::new(0),
        });
        (shared, push_rx)
    }

    /// Queues an out-of-band frame. Returns the bytes now pending.
    pub fn push(&self, frame: Vec<u8>) -> usize {
        let len = frame.len();
        let pending = self.pending_push.fetch_add(len, Ordering::Relaxed) + len;
        if self.push_tx.send(frame).is_err() {
            self.pending_push.fetch_sub(len, Ordering::Relaxed);
        } else {
            self.wake.notify();
        }
        pending
    }

    /// Called by the connection once a pushed frame is written.
    pub fn pushed(&self, len: usize) {
        self.pending_push.fetch_sub(len, Ordering::Relaxed);
    }

    pub fn kill(&self) {
        self.killed.store(true, Ordering::Relaxed);
        self.wake.notify();
    }

    /// Asks the connection to free its (empty) query buffer.
    pub fn release_idle_buffer(&self) {
        self.release_buffer.store(true, Ordering::Relaxed);
        self.wake.notify();
    }

    pub fn is_killed(&self) -> bool {
        self.killed.load(Ordering::Relaxed)
    }

    pub fn resp_version(&self) -> RespVersion {
        if self.resp3.load(Ordering::Relaxed) {
            RespVersion::Resp3
        } else {
            RespVersion::Resp2
        }
    }

    pub fn kind(&self) -> ClientKind {
        match self.kind.load(Ordering::Relaxed) {
            1 => ClientKind::PubSub,
            2 => ClientKind::Replica,
            3 => ClientKind::Master,
            _ => ClientKind::Normal,
        }
    }

    pub fn set_kind(&self, kind: ClientKind) {
        let v = match kind {
            ClientKind::Normal => 0,
            ClientKind::PubSub => 1,
            ClientKind::Replica => 2,
            ClientKind::Master => 3,
        };
        self.kind.store(v, Ordering::Relaxed);
    }
}

/// CLIENT TRACKING options of a connection (present while tracking is on).
#[derive(Debug, Clone, Default)]
pub struct Tracking {
    /// Client id invalidation messages are redirected to (0: none).
    pub redirect: u64,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    /// CLIENT CACHING was given: it applies to the next command or transaction only.
    pub caching: bool,
    /// BCAST prefixes, in byte order.
    pub prefixes: std::collections::BTreeSet<Vec<u8>>,
}

/// The state one connection keeps between its commands.
pub struct Client {
    pub shared: Arc<ClientShared>,
    pub db: usize,
    pub authenticated: bool,
    pub multi: Option<Multi>,
    /// (db, key) pairs under WATCH.
    pub watched: Vec<(usize, Vec<u8>)>,
    pub channels: HashSet<Vec<u8>>,
    pub patterns: HashSet<Vec<u8>>,
    pub shard_channels: HashSet<Vec<u8>>,
    pub reply_mode: ReplyMode,
    /// Close the connection once the pending replies are written (QUIT, protocol error).
    pub close_after_reply: bool,
    pub monitor: bool,
    pub no_evict: bool,
    /// CLIENT TRACKING state; None while tracking is off.
    pub tracking: Option<Tracking>,
    /// Full name of the last command run, as published in `ClientInfo::last_cmd`.
    pub last_cmd: &'static str,
    /// Counters since the last flush into `shared.stats` (once per batch of requests,
    /// so the hot path takes no lock).
    pub stats: ClientStats,
    /// Argument ranges of the request being parsed, kept to reuse the allocation.
    pub arg_ranges: Vec<(usize, usize)>,
    /// Largest query buffer content since the last resize check.
    pub query_peak: usize,
    /// True while a blocked command runs again after being woken.
    pub woken_from_block: bool,
    /// The IDs a blocked XREAD waits after (what `$` stood for when it first ran).
    pub stream_read_ids: Vec<ferrocache_keyspace::stream::StreamId>,
    /// The configuration last used, with the node's epoch it was read at.
    pub settings_cache: Option<(u64, Arc<crate::config::Settings>)>,
    /// Changes (`rdb_changes_since_last_save`) not yet added to the node's count:
    /// added once per batch of requests instead of a locked add per write.
    pub pending_dirty: u64,
}

impl Client {
    pub fn new(shared: Arc<ClientShared>, authenticated: bool) -> Client {
        Client {
            shared,
            db: 0,
            authenticated,
            multi: None,
            watched: Vec::new(),
            channels: HashSet::new(),
            patterns: HashSet::new(),
            shard_channels: HashSet::new(),
            reply_mode: ReplyMode::On,
            close_after_reply: false,
            monitor: false,
            no_evict: false,
            tracking: None,
            last_cmd: "NULL",
            stats: ClientStats::default(),
            arg_ranges: Vec::new(),
            query_peak: 0,
            woken_from_block: false,
            stream_read_ids: Vec::new(),
            settings_cache: None,
            pending_dirty: 0,
        }
    }

    /// Publishes the local counters so INFO sees them.
    pub fn flush_stats(&mut self, node: &crate::node::Node) {
        if self.pending_dirty > 0 {
            node.dirty
                .fetch_add(std::mem::take(&mut self.pending_dirty), Ordering::Relaxed);
        }
        if self.stats.total_commands > 0
            || self.stats.net_input_bytes > 0
            || self.stats.net_output_bytes > 0
        {
            self.shared.stats.lock().merge(&self.stats);
            self.stats.reset();
        }
    }

    pub fn id(&self) -> u64 {
        self.shared.id
    }

    /// Subscriptions of every kind: in RESP2 a client with any is in subscribe mode.
    pub fn subscription_count(&self) -> usize {
        self.channels.len() + self.patterns.len() + self.shard_channels.len()
    }

    pub fn in_subscribe_mode(&self, reply: &Reply) -> bool {
        !reply.is_resp3() && self.subscription_count() > 0
    }
}
