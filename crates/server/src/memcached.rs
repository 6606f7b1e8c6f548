//! The memcached engine's network side: `ferrocache server --engine memcached`.
//!
//! ```text
//!              ┌──── worker thread × -t: one mio poll each ─────┐
//!  accept ───▶ │ readable ─▶ read ─▶ Session::process ─▶ reply │
//!  (worker 0,  │ ...every ready connection, then...            │
//!  round robin)│ write every reply of the round                │
//!              └────────────────────┬──────────────────────────┘
//!                                   │ keyspace stripes
//!  expire thread: active expiry ────┘
//! ```
//!
//! Each worker thread owns its connections and runs a plain readiness loop over them,
//! as memcached's worker threads do. A memcached request is a pure step from bytes in
//! to bytes out ([`Session::process`]): there is nothing for it to wait on but its own
//! socket, so an async runtime's per-request work (a task poll, its waker and the
//! readiness bookkeeping of each read) buys this engine nothing: leaving tokio took a
//! `get` from 3,500 user instructions to 2,230 (`bench/cycles-per-request.sh
//! --memcached`).
//!
//! A connection reads into one buffer, handles every complete request in it, and
//! queues its replies; the replies of every connection found ready by one poll go out
//! together after all of them have run, so a client that reads many connections (a
//! pool, a benchmark, a proxy) is woken once per round, not once per reply. A request
//! that is not complete yet tells the loop how many bytes it needs, so a large value
//! is not re-parsed on every read. A connection whose replies the socket does not take
//! is not read again until they are written, which bounds its memory. UDP is off (as
//! `-U 0`).

use ferrocache_memcache::cache::ConnShared;
use ferrocache_memcache::stats::ConnStats;
use ferrocache_memcache::{Cache, Config, Session};
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token, Waker};
use parking_lot::Mutex;
use slab::Slab;
use std::io::{ErrorKind, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const READ_CHUNK: usize = 16 * 1024;
/// Buffers larger than this are given back once they are empty.
const KEEP_CAPACITY: usize = 256 * 1024;
/// Reads one connection may make in a row before the others get their turn (as
/// memcached's `-R`, requests per event).
const READS_PER_TURN: usize = 16;
/// Readiness events taken from one poll.
const EVENTS: usize = 1024;
const WAKER: Token = Token(usize::MAX);
/// Listener `i` has token `LISTENER_BASE - i`; connections count up from 0.
const LISTENER_BASE: usize = usize::MAX - 1;

/// A memcached-engine node running in the background (tests, embedding).
pub struct RunningMemcached {
    pub cache: Arc<Cache>,
    pub addrs: Vec<SocketAddr>,
    hub: Arc<Hub>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

/// What the worker threads share: the stop flag and each worker's mailbox, through
/// which the accepting worker hands over the connections of the others.
struct Hub {
    stopping: AtomicBool,
    mailboxes: Vec<Mailbox>,
}

struct Mailbox {
    waker: Waker,
    arrived: Mutex<Vec<(TcpStream, Arc<ConnShared>)>>,
}

impl Hub {
    fn request_stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        for mailbox in &self.mailboxes {
            let _ = mailbox.waker.wake();
        }
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }
}

impl RunningMemcached {
    pub fn port(&self) -> u16 {
        self.addrs.first().map(|a| a.port()).unwrap_or(0)
    }

    /// Whether the node stopped (the `shutdown` command).
    pub fn stopped(&self) -> bool {
        self.hub.stopping()
    }

    pub fn stop(mut self) {
        self.hub.request_stop();
        for thread in self.threads.drain(..) {
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

/// recv(2) and send(2) as plain system calls (rustix's). glibc's wrappers, which std's
/// `read` and `write` on a socket go through, are thread-cancellation points: each
/// brackets the call with two atomic updates of the thread's cancel state, four
/// locked instructions per request, each waiting for every store before it to drain.
/// This engine never cancels threads.
fn recv(stream: &TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    Ok(rustix::net::recv(stream, buf, rustix::net::RecvFlags::empty())?.0)
}

fn send(stream: &TcpStream, buf: &[u8]) -> std::io::Result<usize> {
    Ok(rustix::net::send(
        stream,
        buf,
        rustix::net::SendFlags::NOSIGNAL,
    )?)
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
    let mut polls = Vec::with_capacity(threads);
    let mut mailboxes = Vec::with_capacity(threads);
    for _ in 0..threads {
        let poll = Poll::new()?;
        mailboxes.push(Mailbox {
            waker: Waker::new(poll.registry(), WAKER)?,
            arrived: Mutex::new(Vec::new()),
        });
        polls.push(poll);
    }
    let hub = Arc::new(Hub {
        stopping: AtomicBool::new(false),
        mailboxes,
    });
    let mut listeners: Vec<TcpListener> =
        listeners.into_iter().map(TcpListener::from_std).collect();
    for (i, listener) in listeners.iter_mut().enumerate() {
        polls[0]
            .registry()
            .register(listener, Token(LISTENER_BASE - i), Interest::READABLE)?;
    }
    let mut handles = Vec::with_capacity(threads);
    for (id, poll) in polls.into_iter().enumerate() {
        let worker = Worker {
            id,
            poll,
            cache: cache.clone(),
            hub: hub.clone(),
            listeners: if id == 0 {
                std::mem::take(&mut listeners)
            } else {
                Vec::new()
            },
            next_worker: 0,
            accept_paused_until: None,
            conns: Slab::new(),
            replies: Vec::new(),
            unread: Vec::new(),
            now_ms: 0,
            stats: ConnStats::default(),
        };
        let spawned = std::thread::Builder::new()
            .name("ferrocache-worker".into())
            .spawn(move || worker.run());
        match spawned {
            Ok(handle) => handles.push(handle),
            Err(e) => {
                hub.request_stop();
                for handle in handles {
                    let _ = handle.join();
                }
                return Err(e);
            }
        }
    }
    spawn_expiry(cache.clone(), hub.clone());
    Ok(RunningMemcached {
        cache,
        addrs,
        hub,
        threads: handles,
    })
}

/// Active expiry on its own OS thread (stripe by stripe, never stalling a worker),
/// and the once-a-second clock resync.
fn spawn_expiry(cache: Arc<Cache>, hub: Arc<Hub>) {
    let _ = std::thread::Builder::new()
        .name("ferrocache-expire".into())
        .spawn(move || {
            let mut ticks = 0u32;
            while !hub.stopping() {
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

/// One worker thread: its poll, its connections, and (worker 0) the listeners.
struct Worker {
    id: usize,
    poll: Poll,
    cache: Arc<Cache>,
    hub: Arc<Hub>,
    listeners: Vec<TcpListener>,
    /// The worker the next accepted connection goes to.
    next_worker: usize,
    /// Set when accept failed for want of file descriptors: retried after a pause.
    accept_paused_until: Option<Instant>,
    conns: Slab<Conn>,
    /// Connections with replies to write at the end of this round.
    replies: Vec<usize>,
    /// Connections whose last read filled the buffer, read again next round.
    unread: Vec<usize>,
    /// The counters of this round's requests, added to the node's (atomic, shared
    /// by the workers) once a round, before any reply of the round goes out.
    stats: ConnStats,
    /// The time this round's requests see, read once after each poll.
    now_ms: u64,
}

struct Conn {
    stream: TcpStream,
    session: Session,
    shared: Arc<ConnShared>,
    /// Input: the first `filled` bytes are read and not yet handled.
    buf: Vec<u8>,
    filled: usize,
    out: Vec<u8>,
    /// How much of `out` the socket has taken.
    written: usize,
    /// Bytes the request at the front of `buf` needs before it is worth parsing.
    wanted: usize,
    /// The socket may have input (edge-triggered readiness not yet used up).
    readable: bool,
    /// The socket may take output (false after a short write, until it says so).
    writable: bool,
    /// In `Worker::replies` this round.
    reply_queued: bool,
    /// Close once `out` is written (`quit`, a protocol error that closes).
    closing: bool,
    last_read: Instant,
}

/// What driving a connection left to do.
enum Next {
    /// Nothing until the socket is ready again.
    Wait,
    /// Replies were made: they go out at the end of the round.
    Reply,
    /// Input is still waiting, but the connection has had its turn (a client that
    /// streams `noreply` requests must not hold the worker): read on next round.
    Yield,
    Close,
}

impl Worker {
    fn run(mut self) {
        let mut events = Events::with_capacity(EVENTS);
        let idle = self.cache.config.idle_timeout;
        let mut last_sweep = Instant::now();
        while !self.hub.stopping() {
            let timeout = if !self.unread.is_empty() {
                Some(Duration::ZERO)
            } else if let Some(until) = self.accept_paused_until {
                Some(until.saturating_duration_since(Instant::now()))
            } else if idle > 0 {
                Some(Duration::from_secs(1))
            } else {
                None
            };
            if let Err(e) = self.poll.poll(&mut events, timeout) {
                if e.kind() != ErrorKind::Interrupted {
                    tracing::error!("poll: {e}");
                    self.hub.request_stop();
                }
                continue;
            }
            self.now_ms = ferrocache_keyspace::clock_ms();
            for key in std::mem::take(&mut self.unread) {
                self.drive(key);
            }
            for event in events.iter() {
                match event.token() {
                    WAKER => self.take_arrivals(),
                    Token(t) if t > LISTENER_BASE - self.listeners.len() => {
                        self.accept(LISTENER_BASE - t)
                    }
                    Token(key) => {
                        if let Some(conn) = self.conns.get_mut(key) {
                            conn.readable |=
                                event.is_readable() || event.is_read_closed() || event.is_error();
                            conn.writable |= event.is_writable() || event.is_write_closed();
                            self.drive(key);
                        }
                    }
                }
            }
            if let Some(until) = self.accept_paused_until {
                if Instant::now() >= until {
                    self.accept_paused_until = None;
                    for i in 0..self.listeners.len() {
                        self.accept(i);
                    }
                }
            }
            self.cache.stats.absorb(&mut self.stats);
            self.write_replies();
            if idle > 0 && last_sweep.elapsed() >= Duration::from_secs(1) {
                last_sweep = Instant::now();
                self.close_idle(Duration::from_secs(idle));
            }
        }
        for key in self.conns.iter().map(|(k, _)| k).collect::<Vec<_>>() {
            self.close(key);
        }
    }

    fn accept(&mut self, listener: usize) {
        loop {
            let (stream, _) = match self.listeners[listener].accept() {
                Ok(pair) => pair,
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => {
                    // Out of descriptors: the pending connection stays queued and the
                    // listener gives no new edge for it, so try again shortly.
                    tracing::warn!("accept: {e}");
                    self.accept_paused_until = Some(Instant::now() + Duration::from_millis(10));
                    return;
                }
            };
            let conns = &self.cache.conns;
            if conns.curr.load(Ordering::Relaxed) as usize >= self.cache.config.max_connections {
                conns.rejected.fetch_add(1, Ordering::Relaxed);
                let mut stream = stream;
                let _ = stream.write(b"ERROR Too many open connections\r\n");
                let _ = stream.shutdown(std::net::Shutdown::Write);
                continue;
            }
            let _ = stream.set_nodelay(true);
            let (peer, local) = crate::addresses(stream.peer_addr(), stream.local_addr());
            let shared = conns.register(peer, local);
            let target = self.next_worker;
            self.next_worker = (self.next_worker + 1) % self.hub.mailboxes.len();
            if target == self.id {
                self.adopt(stream, shared);
            } else {
                let mailbox = &self.hub.mailboxes[target];
                mailbox.arrived.lock().push((stream, shared));
                let _ = mailbox.waker.wake();
            }
        }
    }

    fn take_arrivals(&mut self) {
        let arrived = std::mem::take(&mut *self.hub.mailboxes[self.id].arrived.lock());
        for (stream, shared) in arrived {
            self.adopt(stream, shared);
        }
    }

    fn adopt(&mut self, mut stream: TcpStream, shared: Arc<ConnShared>) {
        let entry = self.conns.vacant_entry();
        let registered = self.poll.registry().register(
            &mut stream,
            Token(entry.key()),
            Interest::READABLE | Interest::WRITABLE,
        );
        if registered.is_err() {
            self.cache.conns.unregister(shared.id);
            return;
        }
        entry.insert(Conn {
            stream,
            session: Session::new(shared.clone()),
            shared,
            buf: vec![0; READ_CHUNK],
            filled: 0,
            out: Vec::with_capacity(READ_CHUNK),
            written: 0,
            wanted: 0,
            // Input that came before the registration gives no edge of its own.
            readable: true,
            writable: true,
            reply_queued: false,
            closing: false,
            last_read: Instant::now(),
        });
    }

    /// Reads and runs what the connection sent, until it has replies (written at the
    /// end of the round), its replies are still waiting for the socket, or its input
    /// is used up.
    fn drive(&mut self, key: usize) {
        let Some(conn) = self.conns.get_mut(key) else {
            return;
        };
        let next = conn.drive(&self.cache, self.now_ms, self.cache.config.idle_timeout > 0);
        conn.session.stats.move_into(&mut self.stats);
        if conn.session.shutdown_requested {
            self.hub.request_stop();
        }
        match next {
            Next::Wait => {}
            Next::Yield => self.unread.push(key),
            Next::Reply => {
                if !conn.reply_queued {
                    conn.reply_queued = true;
                    self.replies.push(key);
                }
            }
            Next::Close => self.close(key),
        }
    }

    fn write_replies(&mut self) {
        for key in std::mem::take(&mut self.replies) {
            let Some(conn) = self.conns.get_mut(key) else {
                continue;
            };
            if !conn.reply_queued {
                continue;
            }
            conn.reply_queued = false;
            if !conn.write_out() || (conn.out.is_empty() && conn.closing) {
                self.close(key);
            } else if conn.out.is_empty() && conn.readable {
                self.unread.push(key);
            }
        }
    }

    fn close_idle(&mut self, idle: Duration) {
        let idle: Vec<usize> = self
            .conns
            .iter()
            .filter(|(_, c)| c.last_read.elapsed() > idle)
            .map(|(k, _)| k)
            .collect();
        for key in idle {
            self.close(key);
        }
    }

    fn close(&mut self, key: usize) {
        if let Some(mut conn) = self.conns.try_remove(key) {
            let _ = self.poll.registry().deregister(&mut conn.stream);
            self.cache.stats.absorb(&mut conn.session.stats);
            self.cache.conns.unregister(conn.shared.id);
        }
    }
}

impl Conn {
    fn drive(&mut self, cache: &Cache, now_ms: u64, track_idle: bool) -> Next {
        for _ in 0..READS_PER_TURN {
            if self.written < self.out.len() {
                // Replies still waiting: written at the end of the round when just
                // made, else as soon as the socket takes them.
                if self.reply_queued || !self.writable {
                    return Next::Wait;
                }
                if !self.write_out() {
                    return Next::Close;
                }
                if !self.out.is_empty() {
                    return Next::Wait;
                }
                if self.closing {
                    return Next::Close;
                }
            }
            if !self.readable {
                return Next::Wait;
            }
            let want = self.wanted.max(self.filled + READ_CHUNK / 4);
            if want > self.buf.len() {
                let grown = self.wanted.max(self.filled + READ_CHUNK);
                self.buf.resize(grown, 0);
            }
            let spare = self.buf.len() - self.filled;
            match recv(&self.stream, &mut self.buf[self.filled..]) {
                Ok(0) => return Next::Close,
                Ok(n) => {
                    // A read that did not fill the buffer took everything there was:
                    // what comes later raises a new edge.
                    if n < spare {
                        self.readable = false;
                    }
                    self.filled += n;
                    self.session.stats.bytes_read += n as u64;
                    if track_idle {
                        self.last_read = Instant::now();
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    self.readable = false;
                    return Next::Wait;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Next::Close,
            }
            if self.filled < self.wanted {
                continue;
            }
            let input = &self.buf[..self.filled];
            let progress = self.session.process(cache, input, &mut self.out, now_ms);
            self.buf.copy_within(progress.consumed..self.filled, 0);
            self.filled -= progress.consumed;
            self.wanted = progress.wanted;
            self.shared.state.store(
                u8::from(self.wanted > 0 && self.buf[..self.filled].contains(&b'\n')),
                Ordering::Relaxed,
            );
            if self.filled == 0 && self.buf.len() > KEEP_CAPACITY {
                self.buf = vec![0; READ_CHUNK];
            }
            if progress.close || self.session.shutdown_requested {
                self.closing = true;
            }
            if !self.out.is_empty() {
                return Next::Reply;
            }
            if self.closing {
                return Next::Close;
            }
        }
        Next::Yield
    }

    /// Writes what the socket takes of `out`; false when the connection failed.
    fn write_out(&mut self) -> bool {
        while self.written < self.out.len() {
            match send(&self.stream, &self.out[self.written..]) {
                Ok(0) => return false,
                Ok(n) => {
                    self.session.stats.bytes_written += n as u64;
                    self.written += n;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    self.writable = false;
                    return true;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return false,
            }
        }
        self.out.clear();
        self.written = 0;
        if self.out.capacity() > KEEP_CAPACITY {
            self.out.shrink_to(READ_CHUNK);
        }
        true
    }
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
