//! [`Node`]: everything one cache node shares between its connections.

use crate::client::{ClientKind, ClientShared};
use crate::config::{OutputLimit, Settings};
use crate::pubsub::PubSub;
use crate::stats::ClientStats;
use crate::stream::WriteStream;
use crate::table::CommandTable;
use arc_swap::ArcSwap;
use ferrocache_keyspace::Keyspace;
use parking_lot::Mutex;
use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Instant, SystemTime};
use tokio::sync::Notify;

/// One SLOWLOG entry.
#[derive(Debug, Clone)]
pub struct SlowlogEntry {
    pub id: u64,
    pub unix_time: u64,
    pub micros: u64,
    pub args: Vec<Vec<u8>>,
    pub addr: String,
    pub name: Vec<u8>,
}

/// A CLIENT PAUSE in force.
#[derive(Debug, Clone, Copy)]
pub struct Pause {
    pub until: Instant,
    /// Only writes are paused (`CLIENT PAUSE ... WRITE`).
    pub write_only: bool,
}

/// One latency-monitor event series (LATENCY LATEST/HISTORY).
#[derive(Debug, Clone, Default)]
pub struct LatencySeries {
    pub samples: VecDeque<(u64, u64)>,
    pub max: u64,
}

pub struct Node {
    pub keyspace: Keyspace,
    settings: ArcSwap<Settings>,
    /// Bumped on every configuration change (see `cached_settings`).
    settings_epoch: AtomicU64,
    pub table: CommandTable,
    pub pubsub: PubSub,
    pub blocking: crate::blocking::Blocking,
    /// CLIENT TRACKING: who to tell when a key changes.
    pub tracking: crate::tracking::TrackingTable,
    pub stream: WriteStream,
    pub clients: Mutex<BTreeMap<u64, Arc<ClientShared>>>,
    pub next_client_id: AtomicU64,
    /// Totals of clients that have disconnected (live ones are added on INFO).
    pub retired_stats: Mutex<ClientStats>,
    pub connections_received: AtomicU64,
    pub rejected_connections: AtomicU64,
    pub connected: AtomicUsize,
    pub started: Instant,
    pub started_unix: u64,
    pub run_id: String,
    pub slowlog: Mutex<(u64, VecDeque<SlowlogEntry>)>,
    pub latency: Mutex<BTreeMap<&'static str, LatencySeries>>,
    /// Clients in MONITOR mode; `monitoring` lets the hot path skip the lock.
    pub monitors: Mutex<Vec<Arc<ClientShared>>>,
    pub monitoring: AtomicBool,
    pub pause: Mutex<Option<Pause>>,
    /// Installed by the network layer: moves the listeners to a new port or bind
    /// address (CONFIG SET port/bind), or says why it cannot.
    #[allow(clippy::type_complexity)]
    pub rebind: Mutex<Option<Box<dyn Fn(&Settings) -> Result<(), String> + Send + Sync>>>,
    /// True while `pause` may hold a pause: the hot path checks only this.
    pub pause_active: AtomicBool,
    pub unpaused: Notify,
    pub active_expire_enabled: AtomicBool,
    pub shutdown: Notify,
    pub shutting_down: AtomicBool,
    pub stat_expired_stale_perc: AtomicU64,
    pub dirty: AtomicU64,
    pub last_save_unix: AtomicU64,
    pub config_file: Mutex<Option<std::path::PathBuf>>,
    pub tcp_port: AtomicU64,
    pub executable: String,
    /// Highest `used_memory` seen (INFO `used_memory_peak`), see [`Node::note_memory`].
    pub peak_memory: AtomicU64,
    /// `used_memory` when the node was created (INFO `used_memory_startup`).
    pub startup_memory: u64,
    /// Successful SAVE / BGSAVE runs (INFO `rdb_saves`).
    pub rdb_saves: AtomicU64,
    /// The replication id (INFO `master_replid`; DEBUG CHANGE-REPL-ID renews it).
    pub replid: Mutex<String>,
    /// The previous sample behind the instantaneous rates of INFO stats.
    pub metrics_sample: Mutex<MetricsSample>,
}

/// Totals at one instant and the rates computed from the sample before it
/// (`instantaneous_ops_per_sec`, `instantaneous_input_kbps`, ...).
#[derive(Debug, Clone, Copy)]
pub struct MetricsSample {
    pub at: Instant,
    /// Commands, input bytes, output bytes.
    pub totals: [u64; 3],
    /// Per second, for the same three.
    pub rates: [f64; 3],
}

/// 40 random hex digits (run and replication ids).
pub fn random_hex_id() -> String {
    (0..40)
        .map(|_| char::from_digit(rand::random::<u32>() % 16, 16).unwrap_or('0'))
        .collect()
}

impl Node {
    pub fn new(settings: Settings) -> Arc<Node> {
        let keyspace = Keyspace::new(settings.databases);
        let started_unix = unix_now();
        let run_id = random_hex_id();
        Arc::new(Node {
            keyspace,
            tcp_port: AtomicU64::new(settings.port as u64),
            settings: ArcSwap::from_pointee(settings),
            settings_epoch: AtomicU64::new(0),
            table: CommandTable::new(crate::commands::COMMANDS),
            pubsub: PubSub::default(),
            blocking: crate::blocking::Blocking::default(),
            tracking: crate::tracking::TrackingTable::default(),
            stream: WriteStream::default(),
            clients: Mutex::new(BTreeMap::new()),
            next_client_id: AtomicU64::new(1),
            retired_stats: Mutex::new(ClientStats::default()),
            connections_received: AtomicU64::new(0),
            rejected_connections: AtomicU64::new(0),
            connected: AtomicUsize::new(0),
            started: Instant::now(),
            started_unix,
            run_id,
            slowlog: Mutex::new((0, VecDeque::new())),
            latency: Mutex::new(BTreeMap::new()),
            monitors: Mutex::new(Vec::new()),
            monitoring: AtomicBool::new(false),
            pause: Mutex::new(None),
            rebind: Mutex::new(None),
            pause_active: AtomicBool::new(false),
            unpaused: Notify::new(),
            active_expire_enabled: AtomicBool::new(true),
            shutdown: Notify::new(),
            shutting_down: AtomicBool::new(false),
            stat_expired_stale_perc: AtomicU64::new(0),
            dirty: AtomicU64::new(0),
            last_save_unix: AtomicU64::new(started_unix),
            config_file: Mutex::new(None),
            executable: std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            peak_memory: AtomicU64::new(ferrocache_keyspace::memory::used_memory() as u64),
            startup_memory: ferrocache_keyspace::memory::used_memory() as u64,
            rdb_saves: AtomicU64::new(0),
            replid: Mutex::new(random_hex_id()),
            metrics_sample: Mutex::new(MetricsSample {
                at: Instant::now(),
                totals: [0; 3],
                rates: [0.0; 3],
            }),
        })
    }

    /// The configuration in force (lock-free).
    pub fn settings(&self) -> arc_swap::Guard<Arc<Settings>> {
        self.settings.load()
    }

    pub fn set_settings(&self, settings: Settings) {
        self.settings.store(Arc::new(settings));
        self.settings_epoch.fetch_add(1, Ordering::Release);
    }

    pub fn settings_epoch(&self) -> u64 {
        self.settings_epoch.load(Ordering::Acquire)
    }

    /// The configuration in force, through the client's cached copy: one atomic load
    /// per command while the configuration does not change.
    pub fn cached_settings(&self, cache: &mut Option<(u64, Arc<Settings>)>) -> Arc<Settings> {
        let epoch = self.settings_epoch.load(Ordering::Acquire);
        match cache.take() {
            Some((cached, settings)) if cached == epoch => settings,
            _ => self.settings.load_full(),
        }
    }

    /// Reads the configuration through the client's cached copy (see
    /// [`Node::cached_settings`]), keeping the copy for the next reader.
    pub fn read_cached_settings<T>(
        &self,
        cache: &mut Option<(u64, Arc<Settings>)>,
        read: impl FnOnce(&Settings) -> T,
    ) -> T {
        let epoch = self.settings_epoch();
        let settings = self.cached_settings(cache);
        let value = read(&settings);
        *cache = Some((epoch, settings));
        value
    }

    /// Registers a new connection; returns its shared half and push queue.
    pub fn register_client(
        &self,
        addr: String,
        laddr: String,
    ) -> (
        Arc<ClientShared>,
        tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    ) {
        let id = self.next_client_id.fetch_add(1, Ordering::Relaxed);
        let (shared, rx) = ClientShared::new(id, addr, laddr);
        self.clients.lock().insert(id, shared.clone());
        self.connections_received.fetch_add(1, Ordering::Relaxed);
        self.connected.fetch_add(1, Ordering::Relaxed);
        (shared, rx)
    }

    pub fn unregister_client(&self, shared: &Arc<ClientShared>) {
        if self.clients.lock().remove(&shared.id).is_some() {
            self.connected.fetch_sub(1, Ordering::Relaxed);
        }
        self.retired_stats.lock().merge(&shared.stats.lock());
        let mut monitors = self.monitors.lock();
        monitors.retain(|m| m.id != shared.id);
        self.monitoring
            .store(!monitors.is_empty(), Ordering::Relaxed);
    }

    /// Totals over every client, past and present.
    pub fn total_stats(&self) -> ClientStats {
        let mut total = self.retired_stats.lock().clone();
        let clients: Vec<_> = self.clients.lock().values().cloned().collect();
        for client in clients {
            total.merge(&client.stats.lock());
        }
        total
    }

    /// Queues a push frame for `client`, enforcing its output buffer limit: over the
    /// hard limit, or over the soft limit for too long, the client is disconnected.
    pub fn deliver(&self, client: &Arc<ClientShared>, frame: Vec<u8>) {
        let pending = client.push(frame);
        let class = match client.kind() {
            ClientKind::PubSub => 2,
            ClientKind::Replica => 1,
            _ => 0,
        };
        let limit: OutputLimit = self.settings().output_limits[class];
        if limit.hard > 0 && pending as u64 >= limit.hard {
            client.kill();
            return;
        }
        // The soft limit: over it continuously for more than `soft_seconds`.
        if limit.soft == 0 || (pending as u64) < limit.soft {
            client.over_soft_since.store(0, Ordering::Relaxed);
            return;
        }
        let now = client.created.elapsed().as_millis() as u64 + 1;
        let since = client.over_soft_since.load(Ordering::Relaxed);
        if since == 0 {
            client.over_soft_since.store(now, Ordering::Relaxed);
        } else if now - since > limit.soft_seconds * 1000 {
            client.kill();
        }
    }

    /// Sends one MONITOR line for a command to every monitoring client.
    pub fn feed_monitors(&self, db: usize, addr: &str, args: &[&[u8]]) {
        let now = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default();
        let mut line = format!(
            "{}.{:06} [{} {}]",
            now.as_secs(),
            now.subsec_micros(),
            db,
            addr
        );
        for arg in args {
            line.push(' ');
            line.push_str(&quote_arg(arg));
        }
        let frame = format!("+{line}\r\n").into_bytes();
        for monitor in self.monitors.lock().iter() {
            self.deliver(monitor, frame.clone());
        }
    }

    /// Records a slow command if it took at least `slowlog-log-slower-than`.
    pub fn maybe_slowlog(&self, micros: u64, args: &[&[u8]], addr: &str, name: &[u8]) {
        let settings = self.settings();
        if settings.slowlog_slower_than < 0 || (micros as i64) < settings.slowlog_slower_than {
            return;
        }
        let mut kept: Vec<Vec<u8>> = Vec::new();
        let max_args = 32;
        for (i, arg) in args.iter().enumerate() {
            if i == max_args - 1 && args.len() > max_args {
                kept.push(
                    format!("... ({} more arguments)", args.len() - max_args + 1).into_bytes(),
                );
                break;
            }
            if arg.len() > 128 {
                let mut a = arg[..128].to_vec();
                a.extend_from_slice(format!("... ({} more bytes)", arg.len() - 128).as_bytes());
                kept.push(a);
            } else {
                kept.push(arg.to_vec());
            }
        }
        let mut log = self.slowlog.lock();
        let id = log.0;
        log.0 += 1;
        log.1.push_front(SlowlogEntry {
            id,
            unix_time: unix_now(),
            micros,
            args: kept,
            addr: addr.to_string(),
            name: name.to_vec(),
        });
        while log.1.len() > settings.slowlog_max_len {
            log.1.pop_back();
        }
    }

    /// Adds a latency sample in milliseconds when the monitor is on and it is over
    /// the threshold.
    pub fn latency_sample(&self, event: &'static str, millis: u64) {
        let threshold = self.settings().latency_threshold_ms;
        if threshold <= 0 || (millis as i64) < threshold {
            return;
        }
        let mut latency = self.latency.lock();
        let series = latency.entry(event).or_default();
        let now = unix_now();
        if let Some(last) = series.samples.back_mut() {
            if last.0 == now {
                last.1 = last.1.max(millis);
                series.max = series.max.max(millis);
                return;
            }
        }
        series.samples.push_back((now, millis));
        series.max = series.max.max(millis);
        while series.samples.len() > 160 {
            series.samples.pop_front();
        }
    }

    /// The current `used_memory`, raising the recorded peak if it is higher; returns
    /// (used, peak).
    pub fn note_memory(&self) -> (u64, u64) {
        let used = ferrocache_keyspace::memory::used_memory() as u64;
        let peak = self
            .peak_memory
            .fetch_max(used, Ordering::Relaxed)
            .max(used);
        (used, peak)
    }

    /// Rates per second of `totals` (commands, input bytes, output bytes) since the
    /// previous sample; a sample younger than 100 ms keeps the previous rates.
    pub fn instantaneous(&self, totals: [u64; 3]) -> [f64; 3] {
        let mut sample = self.metrics_sample.lock();
        let elapsed = sample.at.elapsed().as_secs_f64();
        if elapsed >= 0.1 {
            let previous = sample.totals;
            for (i, rate) in sample.rates.iter_mut().enumerate() {
                *rate = totals[i].saturating_sub(previous[i]) as f64 / elapsed;
            }
            sample.at = Instant::now();
            sample.totals = totals;
        }
        sample.rates
    }

    pub fn uptime_secs(&self) -> u64 {
        self.started.elapsed().as_secs()
    }

    /// Asks the server to shut down (SHUTDOWN, signals).
    pub fn request_shutdown(&self) {
        self.shutting_down.store(true, Ordering::SeqCst);
        self.shutdown.notify_waiters();
        self.shutdown.notify_one();
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Quotes an argument as redis-server's `sdscatrepr` does (MONITOR, CLIENT LIST).
pub fn quote_arg(arg: &[u8]) -> String {
    let mut s = String::with_capacity(arg.len() + 2);
    s.push('"');
    for &b in arg {
        match b {
            b'\\' => s.push_str("\\\\"),
            b'"' => s.push_str("\\\""),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            7 => s.push_str("\\a"),
            8 => s.push_str("\\b"),
            0x20..=0x7e => s.push(b as char),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('"');
    s
}
