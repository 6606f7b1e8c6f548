//! One client connection's protocol state: which protocol it speaks (decided by its
//! first byte, as memcached does), a data block still to be discarded, `noreply`, SASL
//! state, and its counters. The network layer feeds it bytes and writes what it
//! produces; the session never blocks and never touches a socket.

use crate::cache::{Cache, ConnShared};
use crate::config::Binding;
use crate::stats::ConnStats;
use std::sync::Arc;

/// The binary protocol's magic byte for requests.
pub const BINARY_REQUEST: u8 = 0x80;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Unknown,
    Text,
    Binary,
}

/// The outcome of handling the request at the start of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The request was handled; this many bytes were used.
    Consumed(usize),
    /// The request is not complete; at least `wanted` bytes are needed.
    Incomplete { wanted: usize },
    /// The connection must be closed (after writing what was produced).
    Close,
}

/// What [`Session::process`] did with a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Bytes used; the caller drops them from its buffer.
    pub consumed: usize,
    /// Bytes the buffer must hold before calling again (0: any new data).
    pub wanted: usize,
    pub close: bool,
}

/// Per-connection protocol state.
pub struct Session {
    protocol: Protocol,
    pub stats: ConnStats,
    pub shared: Arc<ConnShared>,
    /// The current text command ends in `noreply`.
    pub(crate) noreply: bool,
    /// Bytes of a refused data block still to discard.
    pub(crate) swallow: usize,
    /// SASL authentication succeeded (binary protocol, `-S`).
    pub(crate) authenticated: bool,
    /// `shutdown` was accepted: the node should stop.
    pub shutdown_requested: bool,
    /// Requests handled since the last yield, for `-R` (reqs_per_event).
    pub requests: u64,
}

impl Session {
    pub fn new(shared: Arc<ConnShared>) -> Session {
        Session {
            protocol: Protocol::Unknown,
            stats: ConnStats::default(),
            shared,
            noreply: false,
            swallow: 0,
            authenticated: false,
            shutdown_requested: false,
            requests: 0,
        }
    }

    /// Handles every complete request in `input`, appending replies to `out`. The
    /// requests see `now_ms` ([`ferrocache_keyspace::clock_ms`]) as the time: a caller
    /// that serves many connections reads the clock once for all of them, as memcached
    /// keeps one current time for its workers.
    pub fn process(
        &mut self,
        cache: &Cache,
        input: &[u8],
        out: &mut Vec<u8>,
        now_ms: u64,
    ) -> Progress {
        let mut pos = 0;
        let mut progress = Progress {
            consumed: 0,
            wanted: 0,
            close: false,
        };
        while pos < input.len() {
            if self.swallow > 0 {
                let n = self.swallow.min(input.len() - pos);
                self.swallow -= n;
                pos += n;
                continue;
            }
            if self.protocol == Protocol::Unknown {
                let binary = input[pos] == BINARY_REQUEST;
                self.protocol = match (cache.config.binding, binary) {
                    (Binding::Ascii, true) | (Binding::Binary, false) => {
                        progress.close = true;
                        break;
                    }
                    (_, true) => Protocol::Binary,
                    (_, false) => Protocol::Text,
                };
                if cache.config.sasl && self.protocol == Protocol::Text {
                    // memcached refuses the text protocol when SASL is on.
                    progress.close = true;
                    break;
                }
            }
            let step = match self.protocol {
                Protocol::Binary => crate::binary::step(self, cache, &input[pos..], out, now_ms),
                _ => crate::text::step(self, cache, &input[pos..], out, now_ms),
            };
            match step {
                Step::Consumed(n) => {
                    pos += n;
                    self.requests += 1;
                }
                Step::Incomplete { wanted } => {
                    progress.wanted = wanted;
                    break;
                }
                Step::Close => {
                    progress.close = true;
                    break;
                }
            }
        }
        progress.consumed = pos;
        if pos > 0 {
            self.shared
                .last_cmd
                .store(now_ms / 1000, std::sync::atomic::Ordering::Relaxed);
        }
        progress
    }
}
