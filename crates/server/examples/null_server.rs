//! A server that does no cache work, for the benchmarks: it speaks the Redis protocol
//! (`--port PORT`: `GET` finds a 32-byte value, `CONFIG GET` is an empty list, `PING`
//! is `+PONG`, anything else `+OK`) or with `--memcached` the memcached text protocol
//! (`-p PORT`: every `get` finds a 32-byte value, every store is `STORED`), and keeps
//! nothing. It is a measuring stick, not a cache: its throughput is what the kernel's
//! TCP path and the client allow on a machine, so `bench/redis-bench.sh --ceiling` and
//! `bench/memcached-bench.sh --ceiling` show how far any server could get past
//! redis-server and memcached there.
//!
//! It runs the memcached engine's loop on one thread: one mio poll, each ready
//! connection read until drained and every complete request answered, the round's
//! replies written after the round.
//!
//! `cargo run --release -p ferrocache-server --example null_server -- [--memcached]
//! --port PORT` (other flags ignored).

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;
use std::io::ErrorKind;

const LISTENER: Token = Token(usize::MAX);
const VALUE: &[u8] = b"0123456789abcdef0123456789abcdef";
/// A connection whose unparsed input grows past this is closed.
const MAX_INPUT: usize = 1 << 20;

struct Conn {
    stream: TcpStream,
    input: Vec<u8>,
    out: Vec<u8>,
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let memcached = args.iter().any(|a| a == "--memcached");
    let port = args
        .iter()
        .position(|a| a == "--port" || a == "-p")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(if memcached { 11211 } else { 6379 });
    let answer = if memcached {
        answer_memcached
    } else {
        answer_redis
    };
    let mut poll = Poll::new()?;
    let mut listener = TcpListener::bind(([127, 0, 0, 1], port).into())?;
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)?;
    let mut conns: Slab<Conn> = Slab::new();
    let mut events = Events::with_capacity(1024);
    let mut replies = Vec::new();
    let mut chunk = vec![0u8; 16 * 1024];
    loop {
        if let Err(e) = poll.poll(&mut events, None) {
            if e.kind() == ErrorKind::Interrupted {
                continue;
            }
            return Err(e);
        }
        for event in events.iter() {
            if event.token() == LISTENER {
                while let Ok((mut stream, _)) = listener.accept() {
                    let _ = stream.set_nodelay(true);
                    let entry = conns.vacant_entry();
                    poll.registry().register(
                        &mut stream,
                        Token(entry.key()),
                        Interest::READABLE,
                    )?;
                    entry.insert(Conn {
                        stream,
                        input: Vec::new(),
                        out: Vec::new(),
                    });
                }
                continue;
            }
            let key = event.token().0;
            let Some(conn) = conns.get_mut(key) else {
                continue;
            };
            if !read(conn, &mut chunk) {
                let mut gone = conns.remove(key);
                let _ = poll.registry().deregister(&mut gone.stream);
                continue;
            }
            let used = answer(&conn.input, &mut conn.out);
            conn.input.drain(..used);
            if !conn.out.is_empty() {
                replies.push(key);
            }
        }
        for key in replies.drain(..) {
            if let Some(conn) = conns.get_mut(key) {
                write_out(conn);
            }
        }
    }
}

/// Writes all of the connection's replies.
fn write_out(conn: &mut Conn) {
    let mut written = 0;
    while written < conn.out.len() {
        match rustix::net::send(
            &conn.stream,
            &conn.out[written..],
            rustix::net::SendFlags::NOSIGNAL,
        ) {
            Ok(n) => written += n,
            // Pipelined replies may outrun the socket: wait for it (the benchmarks'
            // clients read everything they asked for).
            Err(e) if e == rustix::io::Errno::AGAIN => std::thread::yield_now(),
            Err(e) if e == rustix::io::Errno::INTR => {}
            Err(_) => break,
        }
    }
    conn.out.clear();
}

/// Reads until the socket is drained; false when the connection is done.
fn read(conn: &mut Conn, chunk: &mut [u8]) -> bool {
    loop {
        match rustix::net::recv(&conn.stream, &mut *chunk, rustix::net::RecvFlags::empty()) {
            Ok((0, _)) => return false,
            Ok((n, _)) => {
                conn.input.extend_from_slice(&chunk[..n]);
                if n < chunk.len() {
                    return conn.input.len() <= MAX_INPUT;
                }
            }
            Err(e) if e == rustix::io::Errno::AGAIN => return conn.input.len() <= MAX_INPUT,
            Err(e) if e == rustix::io::Errno::INTR => {}
            Err(_) => return false,
        }
    }
}

/// Answers every complete memcached text request in `input`; returns the bytes used.
fn answer_memcached(input: &[u8], out: &mut Vec<u8>) -> usize {
    let mut at = 0;
    while let Some(nl) = input[at..].iter().position(|&b| b == b'\n') {
        let line = &input[at..at + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
        let command = words.next().unwrap_or_default();
        let mut used = nl + 1;
        match command {
            b"get" | b"gets" => {
                for key in words {
                    out.extend_from_slice(b"VALUE ");
                    out.extend_from_slice(key);
                    out.extend_from_slice(b" 0 32\r\n");
                    out.extend_from_slice(VALUE);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"END\r\n");
            }
            b"set" | b"add" | b"replace" | b"append" | b"prepend" => {
                let bytes = words
                    .nth(3)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .and_then(|b| b.parse::<usize>().ok());
                let Some(bytes) = bytes else {
                    out.extend_from_slice(b"CLIENT_ERROR bad command line format\r\n");
                    at += used;
                    continue;
                };
                if input.len() < at + used + bytes.saturating_add(2) {
                    break;
                }
                used += bytes + 2;
                out.extend_from_slice(b"STORED\r\n");
            }
            b"version" => out.extend_from_slice(b"VERSION 1.6.0-null\r\n"),
            _ => out.extend_from_slice(b"ERROR\r\n"),
        }
        at += used;
    }
    at
}

/// Answers every complete Redis command in `input`; returns the bytes used.
fn answer_redis(input: &[u8], out: &mut Vec<u8>) -> usize {
    let mut at = 0;
    while let Some((command, used)) = command_name(&input[at..]) {
        let reply: &[u8] = if command.eq_ignore_ascii_case(b"get") {
            b"$32\r\n0123456789abcdef0123456789abcdef\r\n"
        } else if command.eq_ignore_ascii_case(b"config") {
            b"*0\r\n"
        } else if command.eq_ignore_ascii_case(b"ping") {
            b"+PONG\r\n"
        } else {
            b"+OK\r\n"
        };
        out.extend_from_slice(reply);
        at += used;
    }
    at
}

/// The name of the complete command at the start of `input` (a RESP array of bulk
/// strings, as clients send) and the bytes it takes; None until it is all there.
fn command_name(input: &[u8]) -> Option<(&[u8], usize)> {
    let (count, mut at) = number_line(input, b'*')?;
    let mut name: &[u8] = &[];
    for i in 0..count {
        let (len, header) = number_line(&input[at..], b'$')?;
        let start = at + header;
        let end = start.checked_add(len)?;
        if input.len() < end + 2 {
            return None;
        }
        if i == 0 {
            name = &input[start..end];
        }
        at = end + 2;
    }
    Some((name, at))
}

/// `<prefix><digits>\r\n` at the start of `input`: the number and the line's length.
fn number_line(input: &[u8], prefix: u8) -> Option<(usize, usize)> {
    if input.first() != Some(&prefix) {
        return None;
    }
    let nl = input.iter().position(|&b| b == b'\n')?;
    let digits = input.get(1..nl.checked_sub(1)?)?;
    let value = std::str::from_utf8(digits).ok()?.parse().ok()?;
    Some((value, nl + 1))
}
