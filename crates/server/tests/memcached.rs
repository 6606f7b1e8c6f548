//! A memcached-engine node on port 0, spoken to over real sockets.

use ferrocache_memcache::Config;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

fn exchange(port: u16, request: &[u8], expect_len: usize) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request).expect("write");
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    while reply.len() < expect_len {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => reply.extend_from_slice(&buf[..n]),
        }
    }
    reply
}

fn start() -> ferrocache_server::memcached::RunningMemcached {
    let config = Config {
        port: 0,
        listen: vec!["127.0.0.1".into()],
        threads: 1,
        ..Config::default()
    };
    ferrocache_server::memcached::start(config).expect("start")
}

#[test]
fn text_protocol_round_trip() {
    let node = start();
    let expected =
        b"STORED\r\nVALUE k 3 2\r\nhi\r\nEND\r\nCLIENT_ERROR bad command line format\r\nERROR\r\n";
    let reply = exchange(
        node.port(),
        b"set k 3 0 2\r\nhi\r\nget k\r\nset k 0 0 -1\r\nnope\r\n",
        expected.len(),
    );
    assert_eq!(reply, expected);
    node.stop();
}

#[test]
fn binary_protocol_noop_and_version() {
    let node = start();
    let mut request = vec![0x80, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4];
    request.extend_from_slice(&[0; 8]);
    let reply = exchange(node.port(), &request, 24 + 6);
    assert_eq!(reply[0], 0x81);
    assert_eq!(&reply[12..16], &[1, 2, 3, 4]);
    assert_eq!(&reply[24..], b"1.6.18");
    node.stop();
}
