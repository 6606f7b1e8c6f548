//! The memcached engine's storage: memcached semantics (client flags, CAS, exptime,
//! add/replace/append/prepend/cas, incr/decr, flush_all with a delay, the memory limit
//! and LRU eviction) over the shared [`Keyspace`]. Every protocol front end (text,
//! meta, binary) calls these operations; none of them touches the keyspace itself.
//!
//! Each operation locks the one stripe of its key, does its work and releases it; a
//! reply that carries a value is written while the stripe is held, so the value is
//! copied once, from the item to the connection's output buffer.

use crate::config::Config;
use crate::stats::{ConnStats, GlobalStats};
use crate::value::{self, Parts, FETCHED, STALE, TOKEN_SENT};
use ferrocache_keyspace::{EvictionPolicy, Item, KeyLock, Keyspace, LockSet, Locked, Lookup};
use parking_lot::Mutex;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Relative expiry times above this many seconds (30 days) are unix timestamps.
pub const REALTIME_MAXDELTA: i64 = 60 * 60 * 24 * 30;
/// Longest key, in bytes.
pub const KEY_MAX_LENGTH: usize = 250;
/// memcached's item header (`sizeof(item)` on 64-bit with the CAS), used to apply the
/// item size limit (`-I`) exactly where memcached does.
const MEMCACHED_ITEM_HEADER: usize = 48 + 8;
/// Random candidates looked at per eviction.
const EVICTION_SAMPLES: usize = 5;

/// How a store command treats an existing item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Set,
    Add,
    Replace,
    Append,
    Prepend,
    Cas,
}

/// One store request.
#[derive(Debug, Clone, Copy)]
pub struct Store<'a> {
    pub mode: Mode,
    pub key: &'a [u8],
    pub flags: u32,
    /// memcached exptime: 0 none, up to 30 days relative, above that absolute, < 0 past.
    pub exptime: i64,
    pub data: &'a [u8],
    /// CAS to compare with (0: none).
    pub cas: u64,
    /// Meta set `I`: a CAS older than the item's stores the value as stale.
    pub invalidate: bool,
    /// State bits the new item starts with ([`value::KEY_BINARY`] for base64 keys).
    pub key_state: u8,
    /// The reply shows the new item's CAS (meta `c`, binary); otherwise the item is
    /// stored without one (see [`crate::value`]).
    pub returns_cas: bool,
}

/// What a store did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    /// The new item's CAS when the request asked for it (`returns_cas`), else 0.
    Stored {
        cas: u64,
    },
    NotStored,
    Exists,
    NotFound,
    TooLarge,
    NoMemory,
}

/// What an incr/decr did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delta {
    Value {
        value: u64,
        cas: u64,
        expire_at: Option<u64>,
        created: bool,
    },
    NotFound,
    NonNumeric,
    Exists,
    NoMemory,
}

/// One incr/decr request.
#[derive(Debug, Clone, Copy)]
pub struct Arith<'a> {
    pub key: &'a [u8],
    pub incr: bool,
    pub delta: u64,
    pub cas: u64,
    /// Created with this value and exptime when missing (meta `N`, binary).
    pub vivify: Option<(u64, i64)>,
    /// A new exptime for the item (meta `T`, binary).
    pub ttl: Option<i64>,
    /// The reply shows the item's new CAS (meta `c`, binary).
    pub returns_cas: bool,
}

/// What a delete did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deleted {
    Deleted,
    NotFound,
    Exists,
}

/// A live item as a reply sees it.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub key: &'a [u8],
    pub parts: Parts<'a>,
    pub expire_at: Option<u64>,
    /// LRU clock (seconds) before this access.
    pub last_access: u32,
}

/// A connection as `stats conns` shows it.
#[derive(Debug)]
pub struct ConnShared {
    pub id: u64,
    pub addr: String,
    pub listen_addr: String,
    /// Unix seconds of the last command.
    pub last_cmd: AtomicU64,
    pub state: AtomicU8,
}

/// Connection counters and the registry behind `stats conns`.
#[derive(Debug, Default)]
pub struct Connections {
    pub curr: AtomicU64,
    pub total: AtomicU64,
    pub rejected: AtomicU64,
    pub structures: AtomicU64,
    next_id: AtomicU64,
    registry: Mutex<BTreeMap<u64, Arc<ConnShared>>>,
    /// Listening addresses (`tcp:127.0.0.1:11211`), for `stats conns`.
    pub listeners: Mutex<Vec<String>>,
}

impl Connections {
    pub fn register(&self, addr: String, listen_addr: String) -> Arc<ConnShared> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let shared = Arc::new(ConnShared {
            id,
            addr,
            listen_addr,
            last_cmd: AtomicU64::new(unix_secs()),
            state: AtomicU8::new(0),
        });
        self.registry.lock().insert(id, shared.clone());
        self.curr.fetch_add(1, Ordering::Relaxed);
        self.total.fetch_add(1, Ordering::Relaxed);
        let curr = self.curr.load(Ordering::Relaxed);
        self.structures.fetch_max(curr, Ordering::Relaxed);
        shared
    }

    pub fn unregister(&self, id: u64) {
        if self.registry.lock().remove(&id).is_some() {
            self.curr.fetch_sub(1, Ordering::Relaxed);
        }
    }

    pub fn list(&self) -> Vec<Arc<ConnShared>> {
        self.registry.lock().values().cloned().collect()
    }
}

pub fn unix_secs() -> u64 {
    ferrocache_keyspace::now_ms() / 1000
}

/// The 24-bit LRU clock (seconds) an item stores for this time.
pub fn lru_clock(now_ms: u64) -> u32 {
    ((now_ms / 1000) & 0x00ff_ffff) as u32
}

/// Seconds since an item's last access (its LRU clock), at `now_ms`.
pub fn lru_age(now_ms: u64, last_access: u32) -> u32 {
    lru_clock(now_ms).wrapping_sub(last_access) & 0x00ff_ffff
}

/// The memcached engine's data and counters.
pub struct Cache {
    keyspace: Keyspace,
    pub config: Config,
    memory_limit: AtomicU64,
    pub verbosity: AtomicU32,
    next_cas: AtomicU64,
    /// A delayed `flush_all` takes effect at this unix millisecond (0: none pending).
    flush_deadline_ms: AtomicU64,
    pub stats: GlobalStats,
    evictions_base: AtomicU64,
    baseline_memory: usize,
    pub started: Instant,
    /// memcached's `process_started`: absolute exptimes at or before it are expired.
    pub process_started: u64,
    pub conns: Connections,
    /// `lru_crawler enable|disable`.
    pub lru_crawler: std::sync::atomic::AtomicBool,
    /// Expired items the crawler removed (`crawler_reclaimed`).
    pub crawler_reclaimed: AtomicU64,
}

impl Cache {
    pub fn new(config: Config) -> Cache {
        Cache {
            keyspace: Keyspace::new(1),
            memory_limit: AtomicU64::new(config.memory_limit),
            verbosity: AtomicU32::new(config.verbosity),
            next_cas: AtomicU64::new(0),
            flush_deadline_ms: AtomicU64::new(0),
            stats: GlobalStats::default(),
            evictions_base: AtomicU64::new(0),
            baseline_memory: ferrocache_keyspace::memory::used_memory(),
            started: Instant::now(),
            process_started: unix_secs().saturating_sub(2),
            conns: Connections::default(),
            lru_crawler: std::sync::atomic::AtomicBool::new(config.lru_crawler),
            crawler_reclaimed: AtomicU64::new(0),
            config,
        }
    }

    pub fn keyspace(&self) -> &Keyspace {
        &self.keyspace
    }

    pub fn memory_limit(&self) -> u64 {
        self.memory_limit.load(Ordering::Relaxed)
    }

    /// `cache_memlimit`.
    pub fn set_memory_limit(&self, bytes: u64) {
        self.memory_limit.store(bytes, Ordering::Relaxed);
    }

    /// Memory the items take: what the process allocated since the cache was made.
    pub fn used_memory(&self) -> u64 {
        ferrocache_keyspace::memory::used_memory().saturating_sub(self.baseline_memory) as u64
    }

    pub fn evictions(&self) -> u64 {
        self.keyspace
            .evicted_keys()
            .saturating_sub(self.evictions_base.load(Ordering::Relaxed))
    }

    fn next_cas(&self) -> u64 {
        if self.config.use_cas {
            self.next_cas.fetch_add(1, Ordering::Relaxed) + 1
        } else {
            0
        }
    }

    /// The expiry (unix ms) of a memcached exptime: 0 is none, up to 30 days is
    /// relative to now, more is a unix time, negative is already past.
    pub fn expire_at(&self, exptime: i64, now_ms: u64) -> Option<u64> {
        if exptime == 0 {
            return None;
        }
        if exptime < 0 {
            return Some(1);
        }
        if exptime > REALTIME_MAXDELTA {
            if exptime as u64 <= self.process_started {
                return Some(1);
            }
            return Some((exptime as u64).saturating_mul(1000));
        }
        Some((now_ms / 1000 + exptime as u64) * 1000)
    }

    /// Whether an item of this shape is under the item size limit (`-I`).
    pub fn size_ok(&self, key_len: usize, flags: u32, data_len: usize) -> bool {
        let suffix = if flags == 0 { 0 } else { 4 };
        MEMCACHED_ITEM_HEADER + key_len + 1 + suffix + data_len + 2 <= self.config.item_size_max
    }

    /// Locks the stripe of `key`, first applying a delayed flush that fell due.
    fn lock(&self, key: &[u8], now_ms: u64) -> Locked<'_> {
        self.lock_one(key, now_ms).widen()
    }

    /// [`Cache::lock`] for a lookup: the key hashed once, widened only when needed.
    fn lock_one(&self, key: &[u8], now_ms: u64) -> KeyLock<'_> {
        self.apply_due_flush(now_ms);
        self.keyspace.lock_one(0, key, now_ms)
    }

    fn apply_due_flush(&self, now_ms: u64) {
        let deadline = self.flush_deadline_ms.load(Ordering::Relaxed);
        if deadline != 0
            && now_ms >= deadline
            && self
                .flush_deadline_ms
                .compare_exchange(deadline, 0, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            self.flush_now(now_ms);
        }
    }

    fn flush_now(&self, now_ms: u64) {
        self.lock_all(now_ms).flush_db(0);
    }

    /// `flush_all [delay]`.
    pub fn flush_all(&self, delay: i64, now_ms: u64) {
        if delay > 0 {
            let at = self.expire_at(delay, now_ms).unwrap_or(0).max(1);
            self.flush_deadline_ms.store(at, Ordering::Release);
        } else {
            self.flush_deadline_ms.store(0, Ordering::Release);
            self.flush_now(now_ms);
        }
    }

    /// Makes room for `bytes` more under the memory limit: evicts least recently used
    /// items, or fails with `-M` (or when nothing is left to evict).
    fn make_room(&self, bytes: usize) -> bool {
        let limit = self.memory_limit();
        let mut tries = 0;
        while self.used_memory() + bytes as u64 > limit {
            if !self.config.evictions || tries > 64 {
                return false;
            }
            if self
                .keyspace
                .evict_one(EvictionPolicy::AllKeysLru, EVICTION_SAMPLES)
                .is_none()
            {
                return false;
            }
            tries += 1;
        }
        true
    }

    /// A new item; a `cas` of 0 keeps none.
    fn build(
        key: &[u8],
        state: u8,
        cas: u64,
        flags: u32,
        data: &[&[u8]],
        expire_at: Option<u64>,
        now_ms: u64,
    ) -> Item {
        let mut header = [0u8; 14];
        let n = value::encode_header(&mut header, state, cas, flags);
        let mut parts: smallvec_parts::Parts = smallvec_parts::Parts::new();
        parts.push(&header[..n]);
        parts.extend(data.iter().copied());
        Item::build(key, &parts, expire_at, lru_clock(now_ms))
    }

    /// A CAS for the request if it shows one, else 0 (the item keeps none).
    fn cas_for(&self, shown: bool) -> u64 {
        if shown {
            self.next_cas()
        } else {
            0
        }
    }

    /// Gives the live item `key` a new CAS: in place when it keeps one, else by
    /// rebuilding it with the slot (same state, flags, data, expiry and LRU clock).
    /// Returns the CAS (0 when CAS is disabled or the item is gone).
    fn renew_cas(&self, locked: &mut Locked<'_>, key: &[u8], now_ms: u64) -> u64 {
        let cas = self.next_cas();
        let Some(item) = locked.get(0, key) else {
            return 0;
        };
        if cas == 0 || item.value_mut().is_some_and(|v| value::set_cas(v, cas)) {
            return cas;
        }
        let parts = value::decode(item.value());
        let mut rebuilt = Self::build(
            key,
            parts.state,
            cas,
            parts.flags,
            &[parts.data],
            item.expire_at(),
            now_ms,
        );
        rebuilt.set_clock(item.clock());
        locked.insert(0, rebuilt);
        cas
    }

    /// The CAS of the live item `key`, given one first if it keeps none.
    fn shown_cas(&self, locked: &mut Locked<'_>, key: &[u8], now_ms: u64) -> u64 {
        match locked
            .get(0, key)
            .map(|item| value::decode(item.value()).cas)
        {
            Some(0) => self.renew_cas(locked, key, now_ms),
            Some(cas) => cas,
            None => 0,
        }
    }

    /// Reads `key` for a get: counts hit or miss, refreshes the LRU clock, marks the
    /// item fetched, and with `touch` sets a new exptime (gat). With `with_cas` the
    /// view carries the item's CAS (gets, gats, binary). `reply` sees the item while
    /// its stripe is held.
    pub fn get<R>(
        &self,
        key: &[u8],
        touch: Option<i64>,
        with_cas: bool,
        now_ms: u64,
        reply: impl FnOnce(Option<View<'_>>) -> R,
    ) -> R {
        let mut one = self.lock_one(key, now_ms);
        let last_access = match one.read(key, false) {
            Lookup::Miss => return reply(None),
            Lookup::Expired => {
                // Removed, and counted as a miss, on the general path.
                one.widen().read(0, key, false);
                return reply(None);
            }
            Lookup::Hit(item) => {
                let before = item.clock();
                if let Some(value) = item.value_mut() {
                    if value.first().is_some_and(|s| s & FETCHED == 0) {
                        value::set_state(value, FETCHED, 0);
                    }
                }
                if touch.is_none() && !(with_cas && value::decode(item.value()).cas == 0) {
                    // The common case: answer from this lookup.
                    return reply(Some(view(item, before)));
                }
                before
            }
        };
        let mut locked = one.widen();
        if with_cas {
            self.shown_cas(&mut locked, key, now_ms);
        }
        if let Some(exptime) = touch {
            let expire_at = self.expire_at(exptime, now_ms);
            locked.set_expire(0, key, expire_at);
        }
        match locked.get(0, key) {
            Some(item) => reply(Some(view(item, last_access))),
            None => reply(None),
        }
    }

    /// Reads `key` without counting or touching anything (meta commands choose what
    /// an access does through [`Cache::with_item`]).
    pub fn with_item<R>(
        &self,
        key: &[u8],
        now_ms: u64,
        f: impl FnOnce(&mut ItemAccess<'_, '_>) -> R,
    ) -> R {
        let mut locked = self.lock(key, now_ms);
        let mut access = ItemAccess {
            cache: self,
            locked: &mut locked,
            key,
            now_ms,
        };
        f(&mut access)
    }

    /// set, add, replace, append, prepend, cas.
    pub fn store(&self, req: &Store<'_>, now_ms: u64, stats: &mut ConnStats) -> Stored {
        if !self.size_ok(req.key.len(), req.flags, req.data.len()) {
            stats.store_too_large += 1;
            if req.mode == Mode::Set {
                // memcached drops the old value rather than keep serving stale data.
                self.lock(req.key, now_ms).remove(0, req.key);
            }
            return Stored::TooLarge;
        }
        let grows = matches!(req.mode, Mode::Append | Mode::Prepend);
        let need = ferrocache_keyspace::item::item_size(
            req.key.len(),
            req.data.len() + value::header_len(req.flags, true),
            true,
        );
        if !self.make_room(need) {
            stats.store_no_memory += 1;
            if req.mode == Mode::Set {
                self.lock(req.key, now_ms).remove(0, req.key);
            }
            return Stored::NoMemory;
        }
        let mut locked = self.lock(req.key, now_ms);
        let expire_at = self.expire_at(req.exptime, now_ms);
        let existing = locked.get(0, req.key).map(|item| {
            let parts = value::decode(item.value());
            (parts.cas, parts.state, item.expire_at())
        });
        let Some((old_cas, old_state, old_expire)) = existing else {
            return match req.mode {
                Mode::Set | Mode::Add => {
                    let cas = self.cas_for(req.returns_cas);
                    let state = req.key_state;
                    let item = Self::build(
                        req.key,
                        state,
                        cas,
                        req.flags,
                        &[req.data],
                        expire_at,
                        now_ms,
                    );
                    locked.insert(0, item);
                    stats.total_items += 1;
                    Stored::Stored { cas }
                }
                Mode::Cas => {
                    stats.cas_misses += 1;
                    Stored::NotFound
                }
                _ => Stored::NotStored,
            };
        };
        if req.mode == Mode::Add {
            // Already there: only refreshes its place in the LRU.
            locked.read(0, req.key, false);
            return Stored::NotStored;
        }
        // The CAS test applies to every remaining mode. An item without a CAS is a
        // version no client was shown, newer than any CAS a client holds.
        let mut stale = false;
        if req.cas != 0 && req.cas != old_cas {
            if req.invalidate && req.mode == Mode::Cas && (old_cas == 0 || req.cas < old_cas) {
                stale = true;
            } else {
                if req.mode == Mode::Cas {
                    stats.cas_badval += 1;
                }
                return Stored::Exists;
            }
        }
        if req.mode == Mode::Cas && req.cas == 0 {
            stats.cas_badval += 1;
            return Stored::Exists;
        }
        if req.mode == Mode::Cas {
            stats.cas_hits += 1;
        }
        let cas = self.cas_for(req.returns_cas);
        let item = match req.mode {
            Mode::Append | Mode::Prepend => {
                debug_assert!(grows);
                let item = locked.get(0, req.key).expect("present above");
                let parts = value::decode(item.value());
                if !self.size_ok(
                    req.key.len(),
                    parts.flags,
                    parts.data.len() + req.data.len(),
                ) {
                    return Stored::NotStored;
                }
                let data: [&[u8]; 2] = if req.mode == Mode::Append {
                    [parts.data, req.data]
                } else {
                    [req.data, parts.data]
                };
                let state = parts.state & (STALE | TOKEN_SENT);
                Self::build(req.key, state, cas, parts.flags, &data, old_expire, now_ms)
            }
            _ => {
                if stale {
                    // A stale value keeps the old TTL and the win token state.
                    let state = STALE | (old_state & TOKEN_SENT) | req.key_state;
                    Self::build(
                        req.key,
                        state,
                        cas,
                        req.flags,
                        &[req.data],
                        old_expire,
                        now_ms,
                    )
                } else {
                    Self::build(
                        req.key,
                        req.key_state,
                        cas,
                        req.flags,
                        &[req.data],
                        expire_at,
                        now_ms,
                    )
                }
            }
        };
        locked.insert(0, item);
        stats.total_items += 1;
        Stored::Stored { cas }
    }

    /// incr and decr. Results shorter than the old value are written in place and
    /// padded with spaces, as memcached does.
    pub fn arith(&self, req: &Arith<'_>, now_ms: u64, stats: &mut ConnStats) -> Delta {
        if !self.make_room(64 + req.key.len()) {
            return Delta::NoMemory;
        }
        let mut locked = self.lock(req.key, now_ms);
        let Some(item) = locked.get(0, req.key) else {
            if let Some((initial, exptime)) = req.vivify {
                let cas = self.cas_for(req.returns_cas);
                let mut digits = Vec::with_capacity(20);
                crate::number::push_u64(&mut digits, initial);
                let expire_at = self.expire_at(req.ttl.unwrap_or(exptime), now_ms);
                let item = Self::build(req.key, 0, cas, 0, &[&digits], expire_at, now_ms);
                locked.insert(0, item);
                stats.total_items += 1;
                return Delta::Value {
                    value: initial,
                    cas,
                    expire_at,
                    created: true,
                };
            }
            if req.incr {
                stats.incr_misses += 1;
            } else {
                stats.decr_misses += 1;
            }
            return Delta::NotFound;
        };
        let parts = value::decode(item.value());
        if req.cas != 0 && req.cas != parts.cas {
            return Delta::Exists;
        }
        let Some(current) = (!parts.data.is_empty())
            .then(|| crate::number::strtoull(parts.data))
            .flatten()
        else {
            return Delta::NonNumeric;
        };
        let value = if req.incr {
            current.wrapping_add(req.delta)
        } else {
            current.saturating_sub(req.delta)
        };
        if req.incr {
            stats.incr_hits += 1;
        } else {
            stats.decr_hits += 1;
        }
        let mut digits = Vec::with_capacity(20);
        crate::number::push_u64(&mut digits, value);
        let (data_at, old_len) = (parts.data_at, parts.data.len());
        if digits.len() < old_len {
            digits.resize(old_len, b' ');
        }
        // An item that keeps a CAS gets a new one in place; one without gets one only
        // when the reply shows it, which needs room for it.
        let keeps_cas = parts.cas != 0;
        let cas = self.cas_for(req.returns_cas || keeps_cas);
        if digits.len() == old_len && (keeps_cas || cas == 0) {
            if let Some(bytes) = item.value_mut() {
                bytes[data_at..].copy_from_slice(&digits);
                value::set_cas(bytes, cas);
            }
            item.set_clock(lru_clock(now_ms));
        } else {
            let (flags, state, expire_at) = (parts.flags, parts.state, item.expire_at());
            let item = Self::build(req.key, state, cas, flags, &[&digits], expire_at, now_ms);
            locked.insert(0, item);
        }
        let mut expire_at = locked.get(0, req.key).and_then(|i| i.expire_at());
        if let Some(ttl) = req.ttl {
            expire_at = self.expire_at(ttl, now_ms);
            locked.set_expire(0, req.key, expire_at);
        }
        Delta::Value {
            value,
            cas,
            expire_at,
            created: false,
        }
    }

    /// delete, with an optional CAS to compare.
    pub fn delete(&self, key: &[u8], cas: u64, now_ms: u64, stats: &mut ConnStats) -> Deleted {
        let mut locked = self.lock(key, now_ms);
        let Some(item) = locked.get(0, key) else {
            stats.delete_misses += 1;
            return Deleted::NotFound;
        };
        if cas != 0 && value::decode(item.value()).cas != cas {
            return Deleted::Exists;
        }
        locked.remove(0, key);
        stats.delete_hits += 1;
        Deleted::Deleted
    }

    /// touch: a new exptime for a live item.
    pub fn touch(&self, key: &[u8], exptime: i64, now_ms: u64, stats: &mut ConnStats) -> bool {
        let mut locked = self.lock(key, now_ms);
        let expire_at = self.expire_at(exptime, now_ms);
        stats.cmd_touch += 1;
        let found = locked.read(0, key, false).is_some() && locked.set_expire(0, key, expire_at);
        if found {
            stats.touch_hits += 1;
        } else {
            stats.touch_misses += 1;
        }
        found
    }

    /// `stats reset`.
    pub fn reset_stats(&self) {
        self.stats.reset();
        self.evictions_base
            .store(self.keyspace.evicted_keys(), Ordering::Relaxed);
        self.conns.total.store(0, Ordering::Relaxed);
        self.conns.rejected.store(0, Ordering::Relaxed);
    }

    /// Every stripe of the one database, locked.
    fn lock_all(&self, now_ms: u64) -> Locked<'_> {
        let mut set = LockSet::new();
        self.keyspace.add_db(&mut set, 0);
        self.keyspace.lock_at(set, now_ms)
    }

    /// Visits every live item (stats items, stats slabs).
    pub fn for_each_item(&self, now_ms: u64, mut f: impl FnMut(View<'_>)) {
        self.lock_all(now_ms)
            .for_each(0, |item| f(view(item, item.clock())));
    }

    /// [`Cache::for_each_item`], giving a CAS first to the items that keep none, as
    /// `lru_crawler metadump` shows each item's CAS (and a later `gets` must show the
    /// same one).
    pub fn for_each_item_with_cas(&self, now_ms: u64, mut f: impl FnMut(View<'_>)) {
        let mut locked = self.lock_all(now_ms);
        if self.config.use_cas {
            let mut casless = Vec::new();
            locked.for_each(0, |item| {
                if value::decode(item.value()).cas == 0 {
                    casless.push(item.key().to_vec());
                }
            });
            for key in casless {
                self.renew_cas(&mut locked, &key, now_ms);
            }
        }
        locked.for_each(0, |item| f(view(item, item.clock())));
    }

    /// `lru_crawler crawl`: removes every expired item now; returns how many.
    pub fn crawl(&self, now_ms: u64) -> usize {
        self.apply_due_flush(now_ms);
        let mut locked = self.lock_all(now_ms);
        locked.purge_expired(0);
        let n = locked.take_expired().len();
        self.crawler_reclaimed
            .fetch_add(n as u64, Ordering::Relaxed);
        n
    }

    /// Number of items and their bytes (memcached's `curr_items` and `bytes`).
    pub fn totals(&self) -> (usize, usize) {
        let stats = self.keyspace.stats();
        stats
            .iter()
            .fold((0, 0), |(k, b), s| (k + s.keys, b + s.bytes))
    }

    /// The item size memcached would account for this item (for slab statistics).
    pub fn memcached_size(key_len: usize, flags: u32, data_len: usize) -> usize {
        MEMCACHED_ITEM_HEADER + key_len + 1 + if flags == 0 { 0 } else { 4 } + data_len + 2
    }
}

fn view(item: &Item, last_access: u32) -> View<'_> {
    let (key, value) = item.split();
    View {
        key,
        parts: value::decode(value),
        expire_at: item.expire_at(),
        last_access,
    }
}

/// A locked item for the meta commands, which decide hit counting, LRU updates,
/// state bits and TTL changes flag by flag.
pub struct ItemAccess<'c, 'l> {
    cache: &'c Cache,
    locked: &'l mut Locked<'c>,
    key: &'c [u8],
    pub now_ms: u64,
}

impl<'c, 'l> ItemAccess<'c, 'l> {
    pub fn exists(&mut self) -> bool {
        self.locked.get(0, self.key).is_some()
    }

    /// The item, without side effects.
    pub fn view(&mut self) -> Option<View<'_>> {
        self.locked.get(0, self.key).map(|i| view(i, i.clock()))
    }

    /// Refreshes the LRU clock; returns the clock before.
    pub fn bump(&mut self) -> Option<u32> {
        let now = lru_clock(self.now_ms);
        self.locked.get(0, self.key).map(|item| {
            let before = item.clock();
            item.set_clock(now);
            before
        })
    }

    /// Sets and clears state bits in place.
    pub fn set_state(&mut self, set: u8, clear: u8) {
        if let Some(value) = self.locked.get(0, self.key).and_then(|i| i.value_mut()) {
            value::set_state(value, set, clear);
        }
    }

    /// Gives the item a new CAS.
    pub fn renew_cas(&mut self) -> u64 {
        self.cache.renew_cas(self.locked, self.key, self.now_ms)
    }

    /// The item's CAS, given one first if it keeps none (a reply shows it).
    pub fn cas(&mut self) -> u64 {
        self.cache.shown_cas(self.locked, self.key, self.now_ms)
    }

    pub fn set_exptime(&mut self, exptime: i64) {
        let at = self.cache.expire_at(exptime, self.now_ms);
        self.locked.set_expire(0, self.key, at);
    }

    /// Stores a fresh item (vivify on miss).
    pub fn create(&mut self, state: u8, flags: u32, exptime: i64, data: &[u8]) -> u64 {
        let cas = self.cache.next_cas();
        let at = self.cache.expire_at(exptime, self.now_ms);
        let item = Cache::build(self.key, state, cas, flags, &[data], at, self.now_ms);
        self.locked.insert(0, item);
        cas
    }

    pub fn remove(&mut self) -> bool {
        self.locked.remove(0, self.key).is_some()
    }
}

/// A small stack vector of byte slices for [`Item::build`].
mod smallvec_parts {
    pub struct Parts<'a> {
        items: [&'a [u8]; 4],
        len: usize,
    }

    impl<'a> Parts<'a> {
        pub fn new() -> Parts<'a> {
            Parts {
                items: [&[]; 4],
                len: 0,
            }
        }

        pub fn push(&mut self, part: &'a [u8]) {
            if self.len < self.items.len() {
                self.items[self.len] = part;
                self.len += 1;
            }
        }

        pub fn extend(&mut self, parts: impl Iterator<Item = &'a [u8]>) {
            for part in parts {
                self.push(part);
            }
        }
    }

    impl<'a> std::ops::Deref for Parts<'a> {
        type Target = [&'a [u8]];
        fn deref(&self) -> &Self::Target {
            &self.items[..self.len]
        }
    }
}
