//! Clients blocked on keys (BLPOP, BLMOVE, ...): who waits for what, in arrival order.
//!
//! A blocking command that finds nothing to do leaves a [`Block`] in its context instead
//! of a reply. The connection registers a [`Waiter`] on every key of the block and
//! sleeps; a command that makes a key ready (a push to a list) calls
//! [`Blocking::signal`], which wakes the longest-waiting client of that key, which
//! then runs its command again. Signalling costs one atomic load when nobody waits.
//!
//! Stream readers (XREAD, XREADGROUP) are woken differently: every reader of a key
//! is woken by a signal (each gets the new entries, none consumes them for the
//! others), and also by any other write to the key ([`Blocking::signal_readers`]), so
//! a reader can notice that its stream or group went away.

use parking_lot::Mutex;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Notify;

/// What a blocked command waits for.
#[derive(Debug, Clone)]
pub struct Block {
    /// (db, key) pairs any of which may unblock the command.
    pub keys: Vec<(usize, Vec<u8>)>,
    /// None: wait forever (timeout 0).
    pub deadline: Option<Instant>,
    pub on_timeout: TimeoutReply,
    /// A stream reader: woken with every other reader of the key, not in turn.
    pub wake_all: bool,
}

/// The reply a blocked command gives when its timeout passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutReply {
    NullArray,
    NullBulk,
}

/// A command that is waiting, and its place in the queues of its keys.
pub struct Blocked {
    pub block: Block,
    pub waiter: Arc<Waiter>,
}

/// One blocked client.
pub struct Waiter {
    pub client_id: u64,
    pub notify: Notify,
    /// Set when a signal chose this waiter (it will run its command again).
    pub woken: AtomicBool,
    /// See [`Block::wake_all`].
    pub wake_all: bool,
}

/// Waiters per (db, key), longest waiting first.
type Queues = HashMap<(usize, Vec<u8>), VecDeque<Arc<Waiter>>>;

#[derive(Default)]
pub struct Blocking {
    waiting: AtomicUsize,
    queues: Mutex<Queues>,
}

impl Blocking {
    /// Number of clients blocked right now (INFO `blocked_clients`).
    pub fn blocked_clients(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Queues a waiter behind those already waiting on each key.
    pub fn register(&self, client_id: u64, block: &Block) -> Arc<Waiter> {
        let waiter = Arc::new(Waiter {
            client_id,
            notify: Notify::new(),
            woken: AtomicBool::new(false),
            wake_all: block.wake_all,
        });
        let mut queues = self.queues.lock();
        for key in &block.keys {
            queues
                .entry(key.clone())
                .or_default()
                .push_back(waiter.clone());
        }
        self.waiting.fetch_add(1, Ordering::Relaxed);
        waiter
    }

    /// Removes a waiter from every queue it is in.
    pub fn unregister(&self, waiter: &Arc<Waiter>, block: &Block) {
        let mut queues = self.queues.lock();
        for key in &block.keys {
            if let Some(queue) = queues.get_mut(key) {
                queue.retain(|w| !Arc::ptr_eq(w, waiter));
                if queue.is_empty() {
                    queues.remove(key);
                }
            }
        }
        self.waiting.fetch_sub(1, Ordering::Relaxed);
    }

    /// `key` may now serve a blocked client: wake the first one not yet woken (and
    /// every stream reader).
    pub fn signal(&self, db: usize, key: &[u8]) {
        self.wake(db, key, true);
    }

    /// `key` was written: wake its stream readers only (a reader whose stream was
    /// deleted or replaced, or whose group was destroyed, must find out).
    pub fn signal_readers(&self, db: usize, key: &[u8]) {
        self.wake(db, key, false);
    }

    fn wake(&self, db: usize, key: &[u8], in_turn: bool) {
        if self.waiting.load(Ordering::Relaxed) == 0 {
            return;
        }
        let queues = self.queues.lock();
        let Some(queue) = queues.get(&(db, key.to_vec())) else {
            return;
        };
        let mut turn_taken = !in_turn;
        for waiter in queue {
            if waiter.woken.load(Ordering::Relaxed) {
                continue;
            }
            if waiter.wake_all || !turn_taken {
                turn_taken |= !waiter.wake_all;
                waiter.woken.store(true, Ordering::Relaxed);
                waiter.notify.notify_one();
            }
        }
    }

    /// Wakes the stream readers of every database `which` accepts (FLUSHALL,
    /// FLUSHDB: their streams are gone).
    pub fn signal_readers_of(&self, which: impl Fn(usize) -> bool) {
        if self.waiting.load(Ordering::Relaxed) == 0 {
            return;
        }
        for ((db, _), queue) in self.queues.lock().iter() {
            if !which(*db) {
                continue;
            }
            for waiter in queue.iter().filter(|w| w.wake_all) {
                if !waiter.woken.swap(true, Ordering::Relaxed) {
                    waiter.notify.notify_one();
                }
            }
        }
    }

    /// Wakes every waiter of `db` (FLUSHDB, SWAPDB: keys may have appeared or gone).
    pub fn signal_db(&self, db: usize) {
        if self.waiting.load(Ordering::Relaxed) == 0 {
            return;
        }
        for ((key_db, _), queue) in self.queues.lock().iter() {
            if *key_db == db {
                for waiter in queue {
                    waiter.woken.store(true, Ordering::Relaxed);
                    waiter.notify.notify_one();
                }
            }
        }
    }
}
