//! The memcached engine's network side: `ferrocache server --engine memcached`.
//!
//! ```text
//!              ┌──────── tokio runtime, -t worker threads ─────────┐
//!  accept ───▶ │ connection task: read ─▶ Session::process ─▶ write │
//!              └───────────────────────┬───────────────────────────┘
//!                                      │ keyspace stripes
//!  expire thread: active expiry ───────┘
//! ```
//!
//! A connection reads into one buffer, lets its [`Session`] handle every complete
//! request in it, and writes all replies in one go, so a pipeline costs one read and
//! one write. A request that is not complete yet tells the loop how many bytes it
//! needs, so a large value is not re-parsed on every read. UDP is off (as `-U 0`).

use ferrocache_memcache::{Cache, Config, Session};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const READ_CHUNK: usize = 16 * 1024;
/// Buffers larger than this are given back once they are empty.
const KEEP_CAPACITY: usize = 256 * 1024;

/// A memcached-engine node running in the background (tests, embedding).
pub struct RunningMemcached {
    pub cache: Arc<Cache>,
    pub addrs: Vec<SocketAddr>,
    stop: Arc<Stop>,
    thread: Option<std::thread::JoinHandle<()>>,
}

#[derive(Default)]
struct Stop {
    requested: AtomicBool,
    notify: tokio::sync::Notify,
}

impl Stop {
    fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }
}

impl RunningMemcached {
    pub fn port(&self) -> u16 {
        self.addrs.first().map(|a| a.port()).unwrap_or(0)
    }

    /// Whether the node stopped (the `shutdown` command).
    pub fn stopped(&self) -> bool {
        self.stop.requested.load(Ordering::SeqCst)
    }

    pub fn stop(mut self) {
        self.stop.request();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn bind(config: &Config) -> std::io::Result<Vec<std::net::TcpListener>> {
    let hosts: Vec<String> = if config.listen.is_empty() {
        vec!["0.0.0.0".to_string()]
    } else {
        config.listen.clone()
    };
    let mut listeners = Vec::new();
    let mut port = config.port;
    for host in hosts {
        // `-l host:port` overrides the port for that address.
        let (host, host_port) = match host.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') || h.ends_with(']') => (
                h.trim_matches(|c| c == '[' || c == ']').to_string(),
                p.parse().unwrap_or(port),
            ),
            _ => (host.clone(), port),
        };
        let addr = if host.contains(':') {
            format!("[{host}]:{host_port}")
        } else {
            format!("{host}:{host_port}")
        };
        let listener = std::net::TcpListener::bind(&addr).map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("failed to listen on TCP port {host_port}: {e}"),
            )
        })?;
        listener.set_nonblocking(true)?;
        if port == 0 {
            port = listener.local_addr()?.port();
        }
        listeners.push(listener);
    }
    Ok(listeners)
}

/// Starts a memcached-engine node on its own threads; returns once it listens.
pub fn start(config: Config) -> std::io::Result<RunningMemcached> {
    let threads = config.threads.max(1);
    let listeners = bind(&config)?;
    let cache = Arc::new(Cache::new(config));
    let mut addrs = Vec::new();
    for l in &listeners {
        let addr = l.local_addr()?;
        cache.conns.listeners.lock().push(format!("tcp:{addr}"));
        addrs.push(addr);
    }
    let stop = Arc::new(Stop::default());
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let thread_cache = cache.clone();
    let thread_stop = stop.clone();
    let thread = std::thread::Builder::new()
        .name("ferrocache-memcached".into())
        .spawn(move || {
            let runtime = if threads <= 1 {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
            } else {
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(threads)
                    .thread_name("ferrocache-worker")
                    .enable_all()
                    .build()
            };
            let runtime = match runtime {
                Ok(r) => r,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(async move {
                for listener in listeners {
                    match TcpListener::from_std(listener) {
                        Ok(l) => {
                            tokio::spawn(accept_loop(thread_cache.clone(), l, thread_stop.clone()));
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    }
                }
                spawn_expiry(thread_cache.clone(), thread_stop.clone());
                let _ = ready_tx.send(Ok(()));
                while !thread_stop.requested.load(Ordering::SeqCst) {
                    tokio::select! {
                        _ = thread_stop.notify.notified() => {}
                        _ = tokio::time::sleep(Duration::from_millis(200)) => {}
                    }
                }
            });
            runtime.shutdown_timeout(Duration::from_millis(100));
        })?;
    ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("node thread ended before listening"))??;
    Ok(RunningMemcached {
        cache,
        addrs,
        stop,
        thread: Some(thread),
    })
}

/// Active expiry on its own OS thread (stripe by stripe, never stalling a worker),
/// and the once-a-second clock resync.
fn spawn_expiry(cache: Arc<Cache>, stop: Arc<Stop>) {
    let _ = std::thread::Builder::new()
        .name("ferrocache-expire".into())
        .spawn(move || {
            let mut ticks = 0u32;
            while !stop.requested.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                cache
                    .keyspace()
                    .active_expire(Duration::from_millis(10), &mut |_, _| {});
                ticks += 1;
                if ticks.is_multiple_of(10) {
                    ferrocache_keyspace::resync_clock();
                }
            }
        });
}

async fn accept_loop(cache: Arc<Cache>, listener: TcpListener, stop: Arc<Stop>) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stop.notify.notified() => return,
        };
        let (stream, _) = match accepted {
            Ok(pair) => pair,
            Err(e) => {
                tracing::warn!("accept: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        if stop.requested.load(Ordering::Relaxed) {
            return;
        }
        if cache.conns.curr.load(Ordering::Relaxed) as usize >= cache.config.max_connections {
            cache.conns.rejected.fetch_add(1, Ordering::Relaxed);
            tokio::spawn(async move {
                let mut stream = stream;
                let _ = stream
                    .write_all(b"ERROR Too many open connections\r\n")
                    .await;
                let _ = stream.shutdown().await;
            });
            continue;
        }
        tokio::spawn(serve(cache.clone(), stream, stop.clone()));
    }
}

async fn serve(cache: Arc<Cache>, mut stream: TcpStream, stop: Arc<Stop>) {
    let _ = stream.set_nodelay(true);
    let peer = stream
        .peer_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let local = stream
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let shared = cache.conns.register(peer, local);
    let mut session = Session::new(shared.clone());
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut out: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    let mut wanted = 0usize;
    let idle = cache.config.idle_timeout;
    loop {
        if buf.capacity() - buf.len() < READ_CHUNK / 4 || wanted > buf.capacity() {
            let target = wanted.max(buf.len() + READ_CHUNK);
            buf.reserve(target - buf.len());
        }
        // A stop ends the runtime, which drops this task with the others: the loop
        // needs no stop signal of its own (a `Notified` per read cost two locks of a
        // mutex every connection shares).
        let read = if idle > 0 {
            match tokio::time::timeout(Duration::from_secs(idle), stream.read_buf(&mut buf)).await {
                Ok(r) => r,
                Err(_) => break,
            }
        } else {
            stream.read_buf(&mut buf).await
        };
        match read {
            Ok(0) | Err(_) => break,
            Ok(n) => session.stats.bytes_read += n as u64,
        }
        if buf.len() < wanted {
            continue;
        }
        let progress = session.process(&cache, &buf, &mut out);
        if progress.consumed == buf.len() {
            buf.clear();
        } else if progress.consumed > 0 {
            buf.drain(..progress.consumed);
        }
        wanted = progress.wanted;
        shared.state.store(
            u8::from(wanted > 0 && buf.contains(&b'\n')),
            Ordering::Relaxed,
        );
        if !out.is_empty() {
            // Replies of every connection that was ready go out together (see the
            // Redis connection loop): one wake-up of a client per round, not per reply.
            crate::batch::yield_to_ready().await;
            session.stats.bytes_written += out.len() as u64;
            let written = crate::batch::write_all(&mut stream, &out).await;
            out.clear();
            if out.capacity() > KEEP_CAPACITY {
                out.shrink_to(READ_CHUNK);
            }
            if written.is_err() {
                break;
            }
        }
        if buf.is_empty() && buf.capacity() > KEEP_CAPACITY {
            buf = Vec::with_capacity(READ_CHUNK);
        }
        cache.stats.absorb(&mut session.stats);
        if session.shutdown_requested {
            stop.request();
            break;
        }
        if progress.close {
            break;
        }
    }
    cache.stats.absorb(&mut session.stats);
    cache.conns.unregister(shared.id);
}

/// Runs `ferrocache server --engine memcached [memcached flags]` in the foreground.
pub fn run(args: &[String]) -> i32 {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{}", ferrocache_memcache::config::HELP);
        return 0;
    }
    if args.iter().any(|a| a == "-V" || a == "--version") {
        println!("memcached 1.6.18");
        return 0;
    }
    let config = match Config::from_args(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return 64;
        }
    };
    if config.udp_port != 0 {
        eprintln!("UDP is not supported by this node; start it with -U 0");
        return 64;
    }
    let running = match start(config) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            return 71;
        }
    };
    tracing::info!(
        "ferrocache {} (memcached engine) ready to accept connections on port {}",
        env!("CARGO_PKG_VERSION"),
        running.port()
    );
    wait_for_signals(&running);
    running.stop();
    0
}

fn wait_for_signals(running: &RunningMemcached) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    else {
        return;
    };
    runtime.block_on(async {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => return,
                _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending::<()>().await } } => return,
                _ = tokio::time::sleep(Duration::from_millis(100)) => {
                    if running.stopped() {
                        return;
                    }
                }
            }
        }
    });
}
