//! Protocol edge cases, with raw bytes.

mod common;
use common::{node, node_with, Raw};

#[test]
fn inline_and_multibulk_commands() {
    let node = node();
    let mut raw = Raw::connect(&node);
    raw.roundtrip(b"PING\r\n", b"+PONG\r\n");
    raw.roundtrip(b"set k \"a b\"\r\nget k\r\n", b"+OK\r\n$3\r\na b\r\n");
    raw.roundtrip(b"*2\r\n$4\r\nECHO\r\n$3\r\nx\ny\r\n", b"$3\r\nx\ny\r\n");
    // An empty line and an empty multibulk are ignored.
    raw.roundtrip(b"\r\n*0\r\nPING\r\n", b"+PONG\r\n");
    node.stop();
}

#[test]
fn deep_pipeline_is_answered_in_order() {
    let node = node();
    let mut raw = Raw::connect(&node);
    let mut request = Vec::new();
    let mut expected = Vec::new();
    for i in 0..5000 {
        request.extend_from_slice(b"*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
        expected.extend_from_slice(format!(":{}\r\n", i + 1).as_bytes());
    }
    raw.roundtrip(&request, &expected);
    node.stop();
}

#[test]
fn request_split_across_reads() {
    let node = node();
    let mut raw = Raw::connect(&node);
    let request = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n";
    for chunk in request.chunks(3) {
        raw.send(chunk);
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    assert_eq!(raw.read_exact_len(5), b"+OK\r\n");
    node.stop();
}

#[test]
fn protocol_errors_reply_then_close() {
    let node = node();
    for (request, error) in [
        (
            &b"*1\r\n$-5\r\n"[..],
            "-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*3000000000\r\n",
            "-ERR Protocol error: invalid multibulk length\r\n",
        ),
        (
            b"*1\r\nfoo\r\n",
            "-ERR Protocol error: expected '$', got 'f'\r\n",
        ),
        (
            b"set \"a\r\n",
            "-ERR Protocol error: unbalanced quotes in request\r\n",
        ),
    ] {
        let mut raw = Raw::connect(&node);
        raw.roundtrip(request, error.as_bytes());
        assert!(raw.is_closed(), "connection stays open after {error}");
    }
    node.stop();
}

#[test]
fn huge_claims_do_not_allocate_or_crash() {
    let node = node();
    let mut raw = Raw::connect(&node);
    // Claims a 500 MB argument and two billion arguments, sends neither.
    raw.send(b"*2000000\r\n$536870912\r\nabc");
    drop(raw);
    let mut other = Raw::connect(&node);
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");
    node.stop();
}

#[test]
fn http_requests_close_the_connection() {
    let node = node();
    let mut raw = Raw::connect(&node);
    raw.send(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(raw.is_closed());
    node.stop();
}

#[test]
fn proto_max_bulk_len_is_enforced() {
    let node = node_with(&[("proto-max-bulk-len", "1000")]);
    let mut raw = Raw::connect(&node);
    raw.roundtrip(
        b"*1\r\n$1001\r\n",
        b"-ERR Protocol error: invalid bulk length\r\n",
    );
    node.stop();
}

#[test]
fn query_buffer_limit_closes_the_client() {
    let node = node_with(&[("client-query-buffer-limit", "1mb")]);
    let mut raw = Raw::connect(&node);
    let mut request = b"*1\r\n$3000000\r\n".to_vec();
    request.extend(std::iter::repeat_n(b'x', 2_000_000));
    let _ = std::io::Write::write_all(&mut raw.stream, &request);
    assert!(raw.is_closed());
    let mut other = Raw::connect(&node);
    other.roundtrip(b"PING\r\n", b"+PONG\r\n");
    node.stop();
}

#[test]
fn resp3_shapes() {
    let node = node();
    let mut raw = Raw::connect(&node);
    raw.send(b"HELLO 3\r\n");
    let hello = raw.read_exact_len(100);
    assert!(
        hello.starts_with(b"%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n"),
        "{}",
        String::from_utf8_lossy(&hello)
    );
    let mut raw = Raw::connect(&node);
    raw.roundtrip(b"HELLO 4\r\n", b"-NOPROTO unsupported protocol version\r\n");
    node.stop();
}

#[test]
fn unknown_command_and_arity_errors() {
    let node = node();
    let mut raw = Raw::connect(&node);
    raw.roundtrip(
        b"FOO a b\r\n",
        b"-ERR unknown command 'FOO', with args beginning with: 'a' 'b' \r\n",
    );
    raw.roundtrip(
        b"GET\r\n",
        b"-ERR wrong number of arguments for 'get' command\r\n",
    );
    raw.roundtrip(b"SET k v NX XX\r\n", b"-ERR syntax error\r\n");
    raw.roundtrip(
        b"SET k v EX 0\r\n",
        b"-ERR invalid expire time in 'set' command\r\n",
    );
    raw.roundtrip(
        b"SET k v EX x\r\n",
        b"-ERR value is not an integer or out of range\r\n",
    );
    node.stop();
}
