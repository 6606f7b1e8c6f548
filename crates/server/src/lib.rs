//! The network layer of a cache node: listeners, connections and background work.
//!
//! ```text
//!              ┌──────────── tokio runtime, N worker threads (--threads) ────────────┐
//!  accept ───▶ │ connection task: read ─▶ parse ─▶ execute ─▶ write                  │
//!              │   (each task runs a whole request on the thread that read it;       │
//!              │    execute locks only the keyspace stripes of its keys)             │
//!              └────────────────────────────┬────────────────────────────────────────┘
//!                                           │ stripes (parking_lot mutexes)
//!  expire thread: active expiry ────────────┤
//!  cron thread: client timeouts, stats ─────┘
//! ```
//!
//! - Commands on different keys run in parallel on different workers; a command never
//!   holds a stripe across an await or a socket write (execution is synchronous and
//!   replies go to a per-connection buffer that is written afterwards).
//! - A connection with replies steps behind the other connections the same poll found
//!   ready before it writes ([`batch`]), so one round's replies go out together, as
//!   redis-server writes them before it sleeps.
//! - Pub/sub messages, MONITOR lines and tracking invalidations reach a connection
//!   through its push queue and are written between requests. The queue is read only
//!   when the connection's wake-up signal says something was pushed (a lock-free
//!   flag, `ferrocache_commands::signal`), so an idle queue costs a request nothing.
//! - Active expiry runs on its own OS thread, stripe by stripe, so it never stalls a
//!   runtime worker (and so never adds latency to other clients' requests).

mod args;
mod batch;
mod connection;
pub mod memcached;

pub use args::ServerArgs;

use ferrocache_commands::config::notify;
use ferrocache_commands::config::Settings;
use ferrocache_commands::ctx::notify_keyspace;
use ferrocache_commands::Node;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const PROTECTED_MODE_ERROR: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Set up an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";

/// Builds the settings from `[configfile] [--name value ...]`.
pub fn settings_from_args(args: &ServerArgs) -> Result<Settings, String> {
    let pairs = args.all_pairs()?;
    Settings::default().apply(&pairs, true).map_err(|e| {
        let text = e.message();
        format!(
            "*** FATAL CONFIG FILE ERROR *** {}",
            text.trim_start_matches("ERR ")
        )
    })
}

/// A node running in the background (tests, embedding).
pub struct RunningNode {
    pub node: Arc<Node>,
    pub addrs: Vec<SocketAddr>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningNode {
    pub fn port(&self) -> u16 {
        self.addrs.first().map(|a| a.port()).unwrap_or(0)
    }

    /// Stops the node and waits for it.
    pub fn stop(mut self) {
        self.node.request_shutdown();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Binds the configured addresses (port 0 picks a free port). Plain std listeners,
/// so CONFIG SET port can bind synchronously and report failure before anything moves.
fn bind_all(settings: &Settings) -> std::io::Result<Vec<std::net::TcpListener>> {
    let mut listeners = Vec::new();
    let bind = settings.get("bind").unwrap_or("* -::*").to_string();
    let mut chosen_port = settings.port;
    for spec in bind.split_whitespace() {
        let (optional, host) = match spec.strip_prefix('-') {
            Some(h) => (true, h),
            None => (false, spec),
        };
        let host = match host {
            "*" => "0.0.0.0",
            "::*" => "::",
            other => other,
        };
        let addr = if host.contains(':') {
            format!("[{host}]:{chosen_port}")
        } else {
            format!("{host}:{chosen_port}")
        };
        match std::net::TcpListener::bind(&addr) {
            Ok(listener) => {
                listener.set_nonblocking(true)?;
                if chosen_port == 0 {
                    chosen_port = listener.local_addr()?.port();
                }
                listeners.push(listener);
            }
            Err(e) if optional => tracing::debug!("optional bind {addr} failed: {e}"),
            Err(e) => {
                return Err(std::io::Error::new(
                    e.kind(),
                    format!("Could not create server TCP listening socket {addr}: {e}"),
                ))
            }
        }
    }
    if listeners.is_empty() {
        return Err(std::io::Error::other("no address to listen on"));
    }
    Ok(listeners)
}

/// The accept loops in service; replaced as a whole by CONFIG SET port/bind.
#[derive(Default)]
struct Listeners {
    stop: Arc<ListenerStop>,
}

#[derive(Default)]
struct ListenerStop {
    stopped: std::sync::atomic::AtomicBool,
    notify: tokio::sync::Notify,
}

impl ListenerStop {
    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }
}

/// A connection's peer and local addresses as CLIENT LIST and `stats conns` show them
/// (empty when the socket cannot say).
fn addresses(
    peer: std::io::Result<std::net::SocketAddr>,
    local: std::io::Result<std::net::SocketAddr>,
) -> (String, String) {
    let text = |addr: std::io::Result<std::net::SocketAddr>| {
        addr.map(|a| a.to_string()).unwrap_or_default()
    };
    (text(peer), text(local))
}

/// Starts accept loops for `listeners` (inside the runtime).
fn spawn_listeners(
    node: &Arc<Node>,
    listeners: Vec<std::net::TcpListener>,
    stop: &Arc<ListenerStop>,
) -> std::io::Result<Vec<SocketAddr>> {
    let mut addrs = Vec::new();
    for listener in listeners {
        let listener = TcpListener::from_std(listener)?;
        addrs.push(listener.local_addr()?);
        tokio::spawn(accept_loop(node.clone(), listener, stop.clone()));
    }
    Ok(addrs)
}

/// Lets CONFIG SET port/bind move the listeners: new ones are bound first (an error
/// leaves everything as it was), then the old accept loops stop.
fn install_rebind(node: &Arc<Node>, current: Arc<parking_lot::Mutex<Listeners>>) {
    let weak = Arc::downgrade(node);
    let handle = tokio::runtime::Handle::current();
    *node.rebind.lock() = Some(Box::new(move |settings: &Settings| {
        let node = weak.upgrade().ok_or("node is shutting down")?;
        let listeners = bind_all(settings).map_err(|e| e.to_string())?;
        let _entered = handle.enter();
        let stop = Arc::new(ListenerStop::default());
        let addrs = spawn_listeners(&node, listeners, &stop).map_err(|e| e.to_string())?;
        let old = std::mem::replace(&mut current.lock().stop, stop);
        old.stop();
        if let Some(first) = addrs.first() {
            node.tcp_port.store(first.port() as u64, Ordering::Relaxed);
        }
        Ok(())
    }));
}

fn worker_threads(settings: &Settings) -> usize {
    match settings
        .get("threads")
        .and_then(|t| t.parse::<usize>().ok())
    {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1),
    }
}

fn build_runtime(threads: usize) -> std::io::Result<tokio::runtime::Runtime> {
    if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .thread_name("ferrocache-worker")
            .enable_all()
            .build()
    }
}

/// Starts a node on its own threads and returns once it listens.
pub fn start(settings: Settings) -> std::io::Result<RunningNode> {
    let threads = worker_threads(&settings);
    let node = Node::new(settings);
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread_node = node.clone();
    let thread = std::thread::Builder::new()
        .name("ferrocache-node".into())
        .spawn(move || {
            let runtime = match build_runtime(threads) {
                Ok(r) => r,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                let current = Arc::new(parking_lot::Mutex::new(Listeners::default()));
                let stop = current.lock().stop.clone();
                let started = bind_all(&thread_node.settings())
                    .and_then(|listeners| spawn_listeners(&thread_node, listeners, &stop));
                let addrs = match started {
                    Ok(addrs) => addrs,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                if let Some(first) = addrs.first() {
                    thread_node
                        .tcp_port
                        .store(first.port() as u64, Ordering::Relaxed);
                }
                install_rebind(&thread_node, current.clone());
                let _ = ready_tx.send(Ok(addrs));
                serve(thread_node.clone()).await;
                current.lock().stop.stop();
                thread_node.rebind.lock().take();
            });
            runtime.shutdown_timeout(Duration::from_millis(100));
        })?;
    let addrs = ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("node thread ended before listening"))??;
    Ok(RunningNode {
        node,
        addrs,
        thread: Some(thread),
    })
}

/// Runs the accept loops and background work until shutdown.
async fn serve(node: Arc<Node>) {
    spawn_background(node.clone());
    while !node.shutting_down.load(Ordering::SeqCst) {
        tokio::select! {
            _ = node.shutdown.notified() => {}
            _ = tokio::time::sleep(Duration::from_millis(200)) => {}
        }
    }
    // Wake every connection so it closes.
    for client in node.clients.lock().values() {
        client.kill();
    }
}

async fn accept_loop(node: Arc<Node>, listener: TcpListener, stop: Arc<ListenerStop>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.notify.notified() => return,
        };
        if stop.stopped.load(Ordering::SeqCst) {
            return;
        }
        let (stream, peer) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if node.shutting_down.load(Ordering::Relaxed) {
            return;
        }
        if let Some(refusal) = refuse(&node, &peer) {
            node.rejected_connections.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(reject(stream, refusal));
            continue;
        }
        tokio::spawn(connection::serve(node.clone(), stream));
    }
}

/// Why a new connection must be turned away, if it must.
fn refuse(node: &Node, peer: &SocketAddr) -> Option<&'static str> {
    let settings = node.settings();
    if node.connected.load(Ordering::Relaxed) >= settings.maxclients {
        return Some("-ERR max number of clients reached\r\n");
    }
    if settings.protected_mode && settings.requirepass.is_none() && !peer.ip().is_loopback() {
        let mapped_loopback = match peer.ip() {
            std::net::IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
            _ => false,
        };
        if !mapped_loopback {
            return Some(PROTECTED_MODE_ERROR);
        }
    }
    None
}

async fn reject(mut stream: TcpStream, message: &'static str) {
    let _ = stream.write_all(message.as_bytes()).await;
    let _ = stream.shutdown().await;
}

/// The active expiry thread and the once-a-second housekeeping.
fn spawn_background(node: Arc<Node>) {
    let expire_node = node.clone();
    let _ = std::thread::Builder::new()
        .name("ferrocache-expire".into())
        .spawn(move || {
            let node = expire_node;
            while !node.shutting_down.load(Ordering::Relaxed) {
                let settings = node.settings();
                let tick = Duration::from_millis(1000 / settings.hz.clamp(1, 500));
                std::thread::sleep(tick);
                if !node.active_expire_enabled.load(Ordering::Relaxed) {
                    continue;
                }
                // Up to a quarter of each tick, more with a higher active-expire-effort.
                let budget = tick * (settings.active_expire_effort.clamp(1, 10) as u32 + 3) / 16;
                node.keyspace.active_expire(budget, &mut |db, key| {
                    notify_keyspace(&node, db, notify::EXPIRED, "expired", key);
                    node.stream.append(db, &[b"DEL", key]);
                });
            }
        });
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            if node.shutting_down.load(Ordering::Relaxed) {
                return;
            }
            tend_idle_clients(&node);
            ferrocache_keyspace::resync_clock();
        }
    });
}

/// Once a second, for every client: `timeout` closes one idle longer than it (not
/// subscribers or monitors, as redis-server), and one idle for
/// [`connection::IDLE_RELEASE`] with an empty query buffer is asked to free it.
fn tend_idle_clients(node: &Node) {
    let timeout = node.settings().timeout_secs;
    for client in node.clients.lock().values() {
        let info = client.info.lock();
        let idle = info.last_interaction.elapsed();
        let subscribed = info.subscriptions + info.patterns + info.shard_channels > 0;
        if timeout > 0 && !subscribed && !info.monitor && idle > Duration::from_secs(timeout) {
            client.kill();
        } else if info.query_buffer == 0
            && info.query_buffer_free > 0
            && idle >= connection::IDLE_RELEASE
        {
            client.release_idle_buffer();
        }
    }
}

/// Runs `ferrocache server ...` in the foreground until SHUTDOWN or a signal; returns
/// the process exit code.
pub fn run(args: &[String]) -> i32 {
    let _ = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_target(false)
        .with_writer(std::io::stdout)
        .try_init();
    if let Some(rest) = memcached_engine_args(args) {
        return memcached::run(&rest);
    }
    let parsed = match ServerArgs::parse(args) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let settings = match settings_from_args(&parsed) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    let running = match start(settings) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return 1;
        }
    };
    if let Some(path) = &parsed.config_file {
        *running.node.config_file.lock() = std::fs::canonicalize(path).ok();
    }
    tracing::info!(
        "ferrocache {} ready to accept connections on port {}",
        env!("CARGO_PKG_VERSION"),
        running.port()
    );
    wait_for_signals(&running.node);
    tracing::info!("shutting down");
    running.stop();
    0
}

/// The arguments after removing `--engine memcached` (or `--engine=memcached`), when
/// the node is to be a memcached engine; None for the Redis engine.
fn memcached_engine_args(args: &[String]) -> Option<Vec<String>> {
    let mut rest = Vec::with_capacity(args.len());
    let mut memcached = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--engine" if args.get(i + 1).map(String::as_str) == Some("memcached") => {
                memcached = true;
                i += 2;
                continue;
            }
            "--engine=memcached" => memcached = true,
            other => rest.push(other.to_string()),
        }
        i += 1;
    }
    memcached.then_some(rest)
}

/// Blocks until SIGTERM, SIGINT or SHUTDOWN.
fn wait_for_signals(node: &Arc<Node>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(_) => return,
    };
    let node = node.clone();
    runtime.block_on(async move {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => return,
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => return,
                _ = tokio::time::sleep(Duration::from_millis(100)) => {
                    if node.shutting_down.load(Ordering::SeqCst) {
                        return;
                    }
                }
            }
        }
    });
}
