//! Client-side caching: which clients must hear that a key changed (CLIENT TRACKING).
//!
//! - Default mode: a tracking client's read commands remember, per key, that the
//!   client may hold it (OPTIN / OPTOUT choose which reads count). The first write to
//!   the key sends each of them one `invalidate` message and forgets them, as
//!   redis-server's tracking table does (keys are tracked by name, in every db).
//! - BCAST mode: every write to a key under one of the client's prefixes is sent.
//! - A message goes to the client itself (a RESP3 push) or to its REDIRECT client
//!   (RESP3 push, or an `__redis__:invalidate` pub/sub message when that client is
//!   subscribed in RESP2). FLUSHDB / FLUSHALL send a null: everything is stale.
//!
//! Nothing here costs anything while no client tracks: dispatch checks [`active`]
//! (one atomic load) before doing any of it.
//!
//! [`active`]: TrackingTable::active

use crate::client::ClientKind;
use crate::node::Node;
use parking_lot::Mutex;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

/// How a tracking client wants to hear about changes.
#[derive(Debug, Clone, Default)]
pub struct Subscriber {
    pub redirect: u64,
    pub bcast: bool,
    pub noloop: bool,
    pub prefixes: Vec<Vec<u8>>,
}

#[derive(Default)]
struct Inner {
    clients: HashMap<u64, Subscriber>,
    /// Default mode: key -> clients that may cache it.
    keys: HashMap<Vec<u8>, HashSet<u64>>,
}

/// An invalidation to send: the tracking client, how it listens, the keys.
type Message = (u64, Subscriber, Vec<Vec<u8>>);

impl Inner {
    /// Removes `key` from the table, with a message for each client that read it
    /// (except a NOLOOP `writer` itself).
    fn forget_key(&mut self, key: &[u8], writer: Option<u64>, messages: &mut Vec<Message>) {
        for id in self.keys.remove(key).unwrap_or_default() {
            // A client that switched to BCAST since it read the key is not told about
            // it (its reads from before no longer count).
            if let Some(s) = self.clients.get(&id).filter(|s| !s.bcast) {
                if !(s.noloop && Some(id) == writer) {
                    messages.push((id, s.clone(), vec![key.to_vec()]));
                }
            }
        }
    }
}

/// The figures INFO shows (see [`TrackingTable::stats`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct TrackingStats {
    pub clients: usize,
    pub keys: usize,
    pub items: usize,
    pub prefixes: usize,
}

#[derive(Default)]
pub struct TrackingTable {
    active: AtomicUsize,
    /// Keys in the table, as of the last change: [`TrackingTable::limit`] runs after
    /// every command while tracking is on, and checks this instead of the lock.
    key_count: AtomicUsize,
    inner: Mutex<Inner>,
}

pub const CHANNEL: &[u8] = b"__redis__:invalidate";

impl TrackingTable {
    /// True when some client tracks keys.
    pub fn active(&self) -> bool {
        self.active.load(Ordering::Relaxed) > 0
    }

    pub fn enable(&self, id: u64, subscriber: Subscriber) {
        let mut inner = self.inner.lock();
        inner.clients.insert(id, subscriber);
        self.active.store(inner.clients.len(), Ordering::Relaxed);
    }

    /// Stops tracking for `id` (CLIENT TRACKING OFF, disconnect). Its entries in the
    /// key table are dropped lazily, when their keys change.
    pub fn disable(&self, id: u64) {
        let mut inner = self.inner.lock();
        if inner.clients.remove(&id).is_some() {
            self.active.store(inner.clients.len(), Ordering::Relaxed);
        }
    }

    /// Remembers that client `id` read `keys` (default mode).
    pub fn remember<'a>(&self, id: u64, keys: impl Iterator<Item = &'a [u8]>) {
        let mut inner = self.inner.lock();
        for key in keys {
            inner.keys.entry(key.to_vec()).or_default().insert(id);
        }
        self.count_keys(&inner);
    }

    fn count_keys(&self, inner: &Inner) {
        self.key_count.store(inner.keys.len(), Ordering::Relaxed);
    }

    /// INFO's tracking figures: clients tracking, keys in the table, (key, client)
    /// entries, and distinct BCAST prefixes.
    pub fn stats(&self) -> TrackingStats {
        let inner = self.inner.lock();
        let prefixes: HashSet<&[u8]> = inner
            .clients
            .values()
            .filter(|s| s.bcast)
            .flat_map(|s| s.prefixes.iter().map(|p| p.as_slice()))
            .collect();
        TrackingStats {
            clients: inner.clients.len(),
            keys: inner.keys.len(),
            items: inner.keys.values().map(HashSet::len).sum(),
            prefixes: prefixes.len(),
        }
    }

    /// Keeps at most `max` keys in the table (`tracking-table-max-keys`, 0 for no
    /// limit): the keys dropped are invalidated as if they had changed, so no client
    /// keeps a copy the table no longer covers (redis-server's
    /// trackingLimitUsedSlots, without its time budget).
    pub fn limit(&self, node: &Node, max: usize) {
        if max == 0 || self.key_count.load(Ordering::Relaxed) <= max {
            return;
        }
        let mut messages = Vec::new();
        {
            let mut inner = self.inner.lock();
            let excess = inner.keys.len().saturating_sub(max);
            if excess == 0 {
                return;
            }
            let dropped: Vec<Vec<u8>> = inner.keys.keys().take(excess).cloned().collect();
            for key in dropped {
                inner.forget_key(&key, None, &mut messages);
            }
            self.count_keys(&inner);
        }
        for (id, subscriber, keys) in messages {
            send(node, id, &subscriber, Some(&keys));
        }
    }

    /// Every key flushed (FLUSHDB / FLUSHALL): a null invalidation to every tracking
    /// client (NOLOOP does not apply, as in redis-server).
    pub fn invalidate_all(&self, node: &Node) {
        let targets: Vec<(u64, Subscriber)> = {
            let mut inner = self.inner.lock();
            inner.keys.clear();
            self.count_keys(&inner);
            inner
                .clients
                .iter()
                .map(|(id, s)| (*id, s.clone()))
                .collect()
        };
        for (id, subscriber) in targets {
            send(node, id, &subscriber, None);
        }
    }

    /// `keys` changed, written by one command of client `writer`. Clients that read a
    /// key hear about it once, a message per key; BCAST clients get one message with
    /// every changed key under their prefixes.
    pub fn invalidate(&self, node: &Node, writer: u64, keys: &[&[u8]]) {
        let mut messages: Vec<Message> = Vec::new();
        {
            let mut inner = self.inner.lock();
            for key in keys {
                inner.forget_key(key, Some(writer), &mut messages);
            }
            self.count_keys(&inner);
            for (id, s) in &inner.clients {
                if !s.bcast || (s.noloop && *id == writer) {
                    continue;
                }
                let matching: Vec<Vec<u8>> = keys
                    .iter()
                    .filter(|k| s.prefixes.iter().any(|p| k.starts_with(p)))
                    .map(|k| k.to_vec())
                    .collect();
                if !matching.is_empty() {
                    messages.push((*id, s.clone(), matching));
                }
            }
        }
        for (id, subscriber, keys) in messages {
            send(node, id, &subscriber, Some(&keys));
        }
    }
}

/// Sends one invalidation to client `id` (or its redirect target): the keys, or a
/// null when everything is stale.
fn send(node: &Node, id: u64, subscriber: &Subscriber, keys_changed: Option<&[Vec<u8>]>) {
    let target_id = if subscriber.redirect != 0 {
        subscriber.redirect
    } else {
        id
    };
    let target = node.clients.lock().get(&target_id).cloned();
    let Some(target) = target else {
        // The REDIRECT target is gone: the tracking client is told (in RESP3, the only
        // protocol that can hear it) that it will miss invalidations, every time one
        // is lost, as redis-server does.
        if let Some(tracker) = node.clients.lock().get(&id).cloned() {
            tracker
                .tracking_redirect_broken
                .store(true, Ordering::Relaxed);
            if tracker.resp3.load(Ordering::Relaxed) {
                let mut frame = b">2\r\n$21\r\ntracking-redir-broken\r\n".to_vec();
                frame.extend_from_slice(format!(":{target_id}\r\n").as_bytes());
                node.deliver(&tracker, frame);
            }
        }
        return;
    };
    let keys = match keys_changed {
        Some(changed) => {
            let mut k = format!("*{}\r\n", changed.len()).into_bytes();
            for key in changed {
                k.extend_from_slice(format!("${}\r\n", key.len()).as_bytes());
                k.extend_from_slice(key);
                k.extend_from_slice(b"\r\n");
            }
            k
        }
        None => b"_\r\n".to_vec(),
    };
    let frame = if target.resp3.load(Ordering::Relaxed) {
        let mut f = b">2\r\n$10\r\ninvalidate\r\n".to_vec();
        f.extend_from_slice(&keys);
        f
    } else if target.kind() == ClientKind::PubSub {
        // A RESP2 client hears it as a message on `__redis__:invalidate` while it is
        // in subscribed mode (the usual REDIRECT target); otherwise it cannot.
        let mut f = format!("*3\r\n$7\r\nmessage\r\n${}\r\n", CHANNEL.len()).into_bytes();
        f.extend_from_slice(CHANNEL);
        f.extend_from_slice(b"\r\n");
        if keys_changed.is_some() {
            f.extend_from_slice(&keys);
        } else {
            f.extend_from_slice(b"*-1\r\n");
        }
        f
    } else {
        return;
    };
    node.deliver(&target, frame);
}
