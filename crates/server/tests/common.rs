//! Shared helpers: a real node on port 0, raw sockets and a real client library.

#![allow(dead_code)]

use ferrocache_commands::config::Settings;
use ferrocache_keyspace::memory::CountingAlloc;
use ferrocache_server::{start, RunningNode};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Counted, as in the binary, so `used_memory` and `maxmemory` work in tests.
#[global_allocator]
static ALLOCATOR: CountingAlloc<std::alloc::System> = CountingAlloc(std::alloc::System);

/// Starts a node on a free loopback port with extra `(name, value)` settings.
pub fn node_with(extra: &[(&str, &str)]) -> RunningNode {
    let mut pairs: Vec<(String, String)> = vec![
        ("port".into(), "0".into()),
        ("bind".into(), "127.0.0.1".into()),
        ("threads".into(), "2".into()),
    ];
    for (name, value) in extra {
        pairs.retain(|(n, _)| n != name);
        pairs.push((name.to_string(), value.to_string()));
    }
    let settings = Settings::default().apply(&pairs, true).expect("settings");
    start(settings).expect("node starts")
}

pub fn node() -> RunningNode {
    node_with(&[])
}

pub fn client(node: &RunningNode) -> redis::Connection {
    redis::Client::open(format!("redis://127.0.0.1:{}/", node.port()))
        .expect("client")
        .get_connection()
        .expect("connection")
}

/// A raw connection for protocol-level tests.
pub struct Raw {
    pub stream: TcpStream,
}

impl Raw {
    pub fn connect(node: &RunningNode) -> Raw {
        let stream = TcpStream::connect(("127.0.0.1", node.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        Raw { stream }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("write");
    }

    /// Reads until `expected` bytes arrived (or the peer closed); returns them.
    pub fn read_exact_len(&mut self, expected: usize) -> Vec<u8> {
        let mut got = Vec::new();
        let mut chunk = [0u8; 65536];
        while got.len() < expected {
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => got.extend_from_slice(&chunk[..n]),
            }
        }
        got
    }

    /// Sends `request` and reads exactly `reply.len()` bytes, asserting they match.
    pub fn roundtrip(&mut self, request: &[u8], reply: &[u8]) {
        self.send(request);
        let got = self.read_exact_len(reply.len());
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(reply)
        );
    }

    /// True when the server closed the connection.
    pub fn is_closed(&mut self) -> bool {
        let mut byte = [0u8; 1];
        // A close with unread input reaches the peer as a reset.
        match self.stream.read(&mut byte) {
            Ok(0) => true,
            Err(e) => e.kind() == std::io::ErrorKind::ConnectionReset,
            Ok(_) => false,
        }
    }
}
