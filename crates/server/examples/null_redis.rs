//! A Redis-protocol server that does no cache work: `GET` finds a 32-byte value,
//! `SET` and anything else is `+OK` (`CONFIG GET` an empty list, `PING` `+PONG`), and
//! nothing is kept. It is a measuring stick, not a cache: its throughput is what the
//! kernel's TCP path and the client allow on a machine, so `bench/redis-bench.sh
//! --ceiling` shows how far any server could get past redis-server there.
//!
//! It runs one mio poll on one thread, reads each ready connection once, answers every
//! complete command, and writes the round's replies after the round.
//!
//! `cargo run --release --example null_redis -- --port PORT` (other flags ignored).

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;
use std::io::ErrorKind;

const LISTENER: Token = Token(usize::MAX);
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
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(6379);
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
            let Some(conn) = conns.get_mut(key) else {
                continue;
            };
            let mut written = 0;
            while written < conn.out.len() {
                match rustix::net::send(
                    &conn.stream,
                    &conn.out[written..],
                    rustix::net::SendFlags::NOSIGNAL,
                ) {
                    Ok(n) => written += n,
                    // Pipelined replies may outrun the socket: wait for it (this
                    // tool's clients read everything they asked for).
                    Err(e) if e == rustix::io::Errno::AGAIN => std::thread::yield_now(),
                    Err(e) if e == rustix::io::Errno::INTR => {}
                    Err(_) => break,
                }
            }
            conn.out.clear();
        }
    }
}

/// Reads until the socket is drained and answers every complete command; false when
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
    while let Some((command, used)) = command_name(&conn.input[at..]) {
        let reply: &[u8] = if command.eq_ignore_ascii_case(b"get") {
            b"$32\r\n0123456789abcdef0123456789abcdef\r\n"
        } else if command.eq_ignore_ascii_case(b"config") {
            b"*0\r\n"
        } else if command.eq_ignore_ascii_case(b"ping") {
            b"+PONG\r\n"
        } else {
            b"+OK\r\n"
        };
        conn.out.extend_from_slice(reply);
        at += used;
    }
    conn.input.drain(..at);
    conn.input.len() <= MAX_INPUT
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
