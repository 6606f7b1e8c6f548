//! How the control plane talks to a node: only what any client could use (RESP
//! commands to a Redis-engine node, the text protocol to a memcached-engine node),
//! with short timeouts so a stuck node cannot stall reconciliation.

use crate::model::Engine;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_millis(1000);
/// Longest reply line read from a node.
const MAX_LINE: usize = 64 * 1024;

fn connect(host: &str, port: u16) -> std::io::Result<TcpStream> {
    let addr = (host, port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("no address"))?;
    let stream = TcpStream::connect_timeout(&addr, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    Ok(stream)
}

fn read_line(reader: &mut BufReader<&TcpStream>) -> std::io::Result<String> {
    let mut line = Vec::new();
    std::io::Read::take(reader, MAX_LINE as u64).read_until(b'\n', &mut line)?;
    if line.is_empty() {
        return Err(std::io::Error::other("connection closed"));
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

fn resp_command(args: &[&str]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// A Redis-engine connection, authenticated when the node has a password.
struct RedisConn {
    stream: TcpStream,
}

impl RedisConn {
    fn open(host: &str, port: u16, auth: Option<&str>) -> std::io::Result<RedisConn> {
        let mut conn = RedisConn {
            stream: connect(host, port)?,
        };
        if let Some(password) = auth {
            conn.call(&["AUTH", password])?;
        }
        Ok(conn)
    }

    /// Sends one command; returns its reply's first line (`+OK`, `-ERR ...`, `:1`, ...).
    fn call(&mut self, args: &[&str]) -> std::io::Result<String> {
        self.stream.write_all(&resp_command(args))?;
        let mut reader = BufReader::new(&self.stream);
        read_line(&mut reader)
    }
}

/// Whether the node answers: PING (an authentication error still means alive) or
/// memcached's `version`.
pub fn alive(engine: Engine, host: &str, port: u16) -> bool {
    let Ok(mut stream) = connect(host, port) else {
        return false;
    };
    let request: &[u8] = match engine {
        Engine::Redis => b"*1\r\n$4\r\nPING\r\n",
        Engine::Memcached => b"version\r\n",
    };
    if stream.write_all(request).is_err() {
        return false;
    }
    let mut reader = BufReader::new(&stream);
    match read_line(&mut reader) {
        Ok(line) => match engine {
            Engine::Redis => line == "+PONG" || line.starts_with("-NOAUTH"),
            Engine::Memcached => line.starts_with("VERSION"),
        },
        Err(_) => false,
    }
}

/// `CONFIG SET name value` for each setting on a Redis-engine node.
pub fn config_set(
    host: &str,
    port: u16,
    auth: Option<&str>,
    settings: &[(String, String)],
) -> Result<(), String> {
    let mut conn = RedisConn::open(host, port, auth).map_err(|e| e.to_string())?;
    for (name, value) in settings {
        let reply = conn
            .call(&["CONFIG", "SET", name, value])
            .map_err(|e| e.to_string())?;
        if !reply.starts_with('+') {
            return Err(format!("CONFIG SET {name} {value}: {reply}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp_commands_are_arrays_of_bulk_strings() {
        assert_eq!(
            resp_command(&["CONFIG", "SET", "timeout", "0"]),
            b"*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$7\r\ntimeout\r\n$1\r\n0\r\n"
        );
    }

    #[test]
    fn nothing_listening_is_not_alive() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        assert!(!alive(Engine::Redis, "127.0.0.1", port));
    }
}
