//! A memcached-protocol server that does no cache work: every `get` finds a 32-byte
//! value, every store is `STORED`, and nothing is kept. It is a measuring stick, not a
//! cache: its throughput is what the kernel's TCP path alone allows on a machine, so
//! `bench/memcached-bench.sh --ceiling` shows how far any server could get past
//! memcached there.
//!
//! It runs the same loop as the memcached engine (one mio poll, one read per ready
//! connection, the round's replies written after the round), on one thread.
//!
//! `cargo run --release --example null_memcached -- -p PORT` (other flags ignored).

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
    let port = args
        .iter()
        .position(|a| a == "-p")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(11211);
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
            if !read_and_answer(conn, &mut chunk) {
                let mut gone = conns.remove(key);
                let _ = poll.registry().deregister(&mut gone.stream);
                continue;
            }
            if !conn.out.is_empty() {
                replies.push(key);
            }
        }
        for key in replies.drain(..) {
            if let Some(conn) = conns.get_mut(key) {
                let sent =
                    rustix::net::send(&conn.stream, &conn.out, rustix::net::SendFlags::NOSIGNAL);
                // A short write would be a bug in a measurement at pipeline 1.
                if sent.map_or(true, |n| n < conn.out.len()) {
                    let mut gone = conns.remove(key);
                    let _ = poll.registry().deregister(&mut gone.stream);
                    continue;
                }
                conn.out.clear();
            }
        }
    }
}

/// Reads until the socket is drained and answers every complete request; false when
/// the connection is done.
fn read_and_answer(conn: &mut Conn, chunk: &mut [u8]) -> bool {
    loop {
        match rustix::net::recv(&conn.stream, &mut *chunk, rustix::net::RecvFlags::empty()) {
            Ok((0, _)) => return false,
            Ok((n, _)) => {
                conn.input.extend_from_slice(&chunk[..n]);
                if n < chunk.len() {
                    break;
                }
            }
            Err(e) if e == rustix::io::Errno::AGAIN => break,
            Err(e) if e == rustix::io::Errno::INTR => {}
            Err(_) => return false,
        }
    }
    let mut at = 0;
    while let Some(nl) = conn.input[at..].iter().position(|&b| b == b'\n') {
        let line = &conn.input[at..at + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let mut words = line.split(|&b| b == b' ').filter(|w| !w.is_empty());
        let command = words.next().unwrap_or_default();
        let mut used = nl + 1;
        match command {
            b"get" | b"gets" => {
                for key in words {
                    conn.out.extend_from_slice(b"VALUE ");
                    conn.out.extend_from_slice(key);
                    conn.out.extend_from_slice(b" 0 32\r\n");
                    conn.out.extend_from_slice(VALUE);
                    conn.out.extend_from_slice(b"\r\n");
                }
                conn.out.extend_from_slice(b"END\r\n");
            }
            b"set" | b"add" | b"replace" | b"append" | b"prepend" => {
                let bytes = words
                    .nth(3)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .and_then(|b| b.parse::<usize>().ok());
                let Some(bytes) = bytes else {
                    conn.out
                        .extend_from_slice(b"CLIENT_ERROR bad command line format\r\n");
                    at += used;
                    continue;
                };
                if conn.input.len() < at + used + bytes.saturating_add(2) {
                    break;
                }
                used += bytes + 2;
                conn.out.extend_from_slice(b"STORED\r\n");
            }
            b"version" => conn.out.extend_from_slice(b"VERSION 1.6.0-null\r\n"),
            _ => conn.out.extend_from_slice(b"ERROR\r\n"),
        }
        at += used;
    }
    conn.input.drain(..at);
    conn.input.len() <= MAX_INPUT
}
