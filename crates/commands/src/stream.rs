//! The ordered write stream: every effective write, in execution order, as the RESP
//! command that reproduces it. The append-only file and replicas will consume it; until
//! a consumer attaches, appending costs one relaxed load and the offset
//! (`master_repl_offset`) stays 0, as redis-server's does without a replication backlog.
//!
//! Appends happen while the writing command still holds its stripes, so two writes to
//! the same key always appear in the order they were applied.

use parking_lot::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

#[derive(Default)]
pub struct WriteStream {
    offset: AtomicU64,
    /// True once a consumer wants the bytes; until then nothing is buffered.
    consumed: AtomicBool,
    inner: Mutex<StreamInner>,
}

#[derive(Default)]
struct StreamInner {
    /// The database of the last appended write (a SELECT is emitted on change).
    db: Option<usize>,
    pending: Vec<u8>,
}

fn encoded_len(args: &[&[u8]]) -> u64 {
    fn digits(n: usize) -> u64 {
        let mut d = 1;
        let mut n = n / 10;
        while n > 0 {
            d += 1;
            n /= 10;
        }
        d
    }
    let mut len = 1 + digits(args.len()) + 2;
    for a in args {
        len += 1 + digits(a.len()) + 2 + a.len() as u64 + 2;
    }
    len
}

impl WriteStream {
    pub fn append(&self, db: usize, args: &[&[u8]]) {
        if !self.consumed.load(Ordering::Relaxed) {
            return;
        }
        let mut inner = self.inner.lock();
        if inner.db != Some(db) {
            let db_text = db.to_string();
            let select: [&[u8]; 2] = [b"SELECT", db_text.as_bytes()];
            encode_into(&mut inner.pending, &select);
            self.offset
                .fetch_add(encoded_len(&select), Ordering::Relaxed);
            inner.db = Some(db);
        }
        encode_into(&mut inner.pending, args);
        self.offset.fetch_add(encoded_len(args), Ordering::Relaxed);
    }

    /// A consumer wants the writes from now on: they are buffered and counted.
    pub fn attach(&self) {
        self.consumed.store(true, Ordering::Release);
    }

    pub fn offset(&self) -> u64 {
        self.offset.load(Ordering::Relaxed)
    }
}

fn encode_into(out: &mut Vec<u8>, args: &[&[u8]]) {
    out.push(b'*');
    out.extend_from_slice(args.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for a in args {
        out.push(b'$');
        out.extend_from_slice(a.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn encoded_len_matches_encoding() {
        let args: [&[u8]; 3] = [b"SET", b"key", &[b'x'; 123]];
        let mut out = Vec::new();
        super::encode_into(&mut out, &args);
        assert_eq!(super::encoded_len(&args), out.len() as u64);
    }
}
