//! Reply encoding for RESP2 and RESP3.
//!
//! [`Reply`] appends to a byte buffer that the connection later writes to its socket.
//! Commands say what they mean (`map`, `set`, `double`, `null`) and the encoder picks
//! the wire form for the client's protocol version, as redis-server's `addReply*` do.

use crate::number::{format_g17, write_i64};

/// The protocol a client speaks, chosen with HELLO.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RespVersion {
    #[default]
    Resp2,
    Resp3,
}

/// A reply buffer for one client.
#[derive(Debug, Default)]
pub struct Reply {
    pub buf: Vec<u8>,
    pub version: RespVersion,
}

impl Reply {
    pub fn new(version: RespVersion) -> Self {
        Reply {
            buf: Vec::with_capacity(1024),
            version,
        }
    }

    pub fn is_resp3(&self) -> bool {
        self.version == RespVersion::Resp3
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// `+OK`
    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// A status reply, `+text`. Newlines are replaced so the frame stays valid.
    pub fn simple(&mut self, text: &str) {
        self.buf.push(b'+');
        self.push_line(text.as_bytes());
    }

    /// An error reply, `-text`. `text` starts with its code (`ERR`, `WRONGTYPE`, ...).
    pub fn error(&mut self, text: &str) {
        self.buf.push(b'-');
        self.push_line(text.as_bytes());
    }

    fn push_line(&mut self, text: &[u8]) {
        self.buf.extend(
            text.iter()
                .map(|&b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        self.buf.extend_from_slice(b"\r\n");
    }

    pub fn int(&mut self, value: i64) {
        match value {
            0 => self.buf.extend_from_slice(b":0\r\n"),
            1 => self.buf.extend_from_slice(b":1\r\n"),
            _ => self.header(b':', value),
        }
    }

    pub fn bulk(&mut self, data: &[u8]) {
        self.header(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding a decimal integer (how INCRBYFLOAT-like commands and
    /// CONFIG GET show numbers).
    pub fn bulk_i64(&mut self, value: i64) {
        let mut digits = itoa::Buffer::new();
        self.bulk(digits.format(value).as_bytes());
    }

    /// The null bulk string (`$-1` in RESP2, `_` in RESP3).
    pub fn null(&mut self) {
        match self.version {
            RespVersion::Resp2 => self.buf.extend_from_slice(b"$-1\r\n"),
            RespVersion::Resp3 => self.buf.extend_from_slice(b"_\r\n"),
        }
    }

    /// The null array (`*-1` in RESP2, `_` in RESP3).
    pub fn null_array(&mut self) {
        match self.version {
            RespVersion::Resp2 => self.buf.extend_from_slice(b"*-1\r\n"),
            RespVersion::Resp3 => self.buf.extend_from_slice(b"_\r\n"),
        }
    }

    pub fn array(&mut self, len: usize) {
        self.header(b'*', len as i64);
    }

    /// A map of `len` pairs: `%len` in RESP3, a flat array of `2*len` in RESP2.
    pub fn map(&mut self, len: usize) {
        match self.version {
            RespVersion::Resp2 => self.header(b'*', 2 * len as i64),
            RespVersion::Resp3 => self.header(b'%', len as i64),
        }
    }

    /// A set: `~len` in RESP3, an array in RESP2.
    pub fn set(&mut self, len: usize) {
        match self.version {
            RespVersion::Resp2 => self.header(b'*', len as i64),
            RespVersion::Resp3 => self.header(b'~', len as i64),
        }
    }

    /// An out-of-band push message: `>len` in RESP3, an array in RESP2.
    pub fn push(&mut self, len: usize) {
        match self.version {
            RespVersion::Resp2 => self.header(b'*', len as i64),
            RespVersion::Resp3 => self.header(b'>', len as i64),
        }
    }

    /// A double: `,value` in RESP3, a bulk string in RESP2, formatted as `%.17g`.
    pub fn double(&mut self, value: f64) {
        let text = format_g17(value);
        match self.version {
            RespVersion::Resp2 => self.bulk(text.as_bytes()),
            RespVersion::Resp3 => {
                self.buf.push(b',');
                self.buf.extend_from_slice(text.as_bytes());
                self.buf.extend_from_slice(b"\r\n");
            }
        }
    }

    /// A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
    pub fn boolean(&mut self, value: bool) {
        match (self.version, value) {
            (RespVersion::Resp2, v) => self.int(v as i64),
            (RespVersion::Resp3, true) => self.buf.extend_from_slice(b"#t\r\n"),
            (RespVersion::Resp3, false) => self.buf.extend_from_slice(b"#f\r\n"),
        }
    }

    /// Verbatim text (`=len\r\ntxt:...` in RESP3, a bulk string in RESP2).
    pub fn verbatim(&mut self, text: &[u8]) {
        match self.version {
            RespVersion::Resp2 => self.bulk(text),
            RespVersion::Resp3 => {
                self.header(b'=', text.len() as i64 + 4);
                self.buf.extend_from_slice(b"txt:");
                self.buf.extend_from_slice(text);
                self.buf.extend_from_slice(b"\r\n");
            }
        }
    }

    /// Pre-encoded bytes, for replies built once and shared.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    fn header(&mut self, kind: u8, len: i64) {
        self.buf.push(kind);
        write_i64(&mut self.buf, len);
        self.buf.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp2_and_resp3_shapes() {
        let mut r2 = Reply::new(RespVersion::Resp2);
        let mut r3 = Reply::new(RespVersion::Resp3);
        for r in [&mut r2, &mut r3] {
            r.map(1);
            r.bulk(b"a");
            r.double(1.5);
            r.null();
            r.boolean(true);
        }
        assert_eq!(r2.buf, b"*2\r\n$1\r\na\r\n$3\r\n1.5\r\n$-1\r\n:1\r\n");
        assert_eq!(r3.buf, b"%1\r\n$1\r\na\r\n,1.5\r\n_\r\n#t\r\n");
    }

    #[test]
    fn status_lines_cannot_break_framing() {
        let mut r = Reply::new(RespVersion::Resp2);
        r.error("ERR bad\r\nthing");
        assert_eq!(r.buf, b"-ERR bad  thing\r\n");
    }
}
