//! The striped keyspace, its lock sets and the view a command gets while it holds them.

use crate::item::Item;
use crate::stripe::Stripe;
use parking_lot::{Mutex, MutexGuard};
use rand::Rng;
use smallvec::SmallVec;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Stripes per database. A power of two; the stripe of a key is taken from hash bits
/// that the table itself does not use for buckets or tags (see [`Keyspace::locate`]).
pub const STRIPES: usize = 1024;
const STRIPE_SHIFT: u32 = 40;

/// Wall-clock time in unix milliseconds, the unit of every expiry.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// The process's reference instant, and the unix time in microseconds at which it
/// fell (re-anchored by [`resync_clock`] so wall-clock changes are followed).
///
/// Commands read time through `quanta`: where the CPU's time-stamp counter is
/// invariant it reads it directly (a few nanoseconds) instead of the ordered read
/// behind `clock_gettime`, which waits for the command's outstanding memory loads and
/// cost more than a tenth of a pipelined SET.
static CLOCK_ORIGIN: std::sync::OnceLock<quanta::Instant> = std::sync::OnceLock::new();
static CLOCK_OFFSET_US: AtomicU64 = AtomicU64::new(0);

fn now_us() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as u64)
        .unwrap_or(0)
}

fn clock_origin() -> quanta::Instant {
    *CLOCK_ORIGIN.get_or_init(|| {
        let origin = quanta::Instant::now();
        CLOCK_OFFSET_US.store(now_us(), Ordering::Relaxed);
        origin
    })
}

/// Unix milliseconds at `instant`, without another clock read: a command reads the
/// clock once, for both its duration and its notion of "now".
pub fn unix_ms_at(instant: quanta::Instant) -> u64 {
    let origin = clock_origin();
    let elapsed = instant.saturating_duration_since(origin).as_micros() as u64;
    (CLOCK_OFFSET_US.load(Ordering::Relaxed) + elapsed) / 1000
}

/// Re-anchors [`unix_ms_at`] on the wall clock (called about once a second).
pub fn resync_clock() {
    let origin = clock_origin();
    let elapsed = quanta::Instant::now()
        .saturating_duration_since(origin)
        .as_micros() as u64;
    CLOCK_OFFSET_US.store(now_us().saturating_sub(elapsed), Ordering::Relaxed);
}

/// Unix milliseconds now, from the same cheap clock as [`unix_ms_at`].
pub fn clock_ms() -> u64 {
    unix_ms_at(quanta::Instant::now())
}

/// The LRU clock: seconds, wrapping at 24 bits (the room an item has for it).
pub fn lru_clock() -> u32 {
    ((now_ms() / 1000) & 0x00ff_ffff) as u32
}

/// Seconds since an item was last touched, given its LRU clock.
pub fn idle_seconds(clock: u32) -> u64 {
    let now = lru_clock();
    if now >= clock {
        (now - clock) as u64
    } else {
        (now + (0x0100_0000 - clock)) as u64
    }
}

/// Whether a lookup counts as a keyspace hit or miss.
#[derive(Clone, Copy)]
enum Count {
    No = 0,
    Yes = 1,
}

/// One logical database (`SELECT n`).
pub struct Db {
    stripes: Box<[Mutex<Stripe>]>,
    /// Set when a key of this database got a TTL; the active expiry cycle skips
    /// databases without it.
    may_expire: AtomicBool,
}

impl Db {
    fn new() -> Db {
        Db {
            stripes: (0..STRIPES)
                .map(|_| Mutex::new(Stripe::default()))
                .collect(),
            may_expire: AtomicBool::new(false),
        }
    }
}

/// Counters summed over every stripe (INFO stats and keyspace sections).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyspaceStats {
    pub keys: usize,
    pub volatile: usize,
    pub bytes: usize,
    pub hits: u64,
    pub misses: u64,
    pub expired: u64,
}

/// Which keys eviction may pick, and how (`maxmemory-policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvictionPolicy {
    NoEviction,
    AllKeysLru,
    AllKeysLfu,
    AllKeysRandom,
    VolatileLru,
    VolatileLfu,
    VolatileRandom,
    VolatileTtl,
}

impl EvictionPolicy {
    pub const ALL: [(&'static str, EvictionPolicy); 8] = [
        ("noeviction", EvictionPolicy::NoEviction),
        ("allkeys-lru", EvictionPolicy::AllKeysLru),
        ("allkeys-lfu", EvictionPolicy::AllKeysLfu),
        ("allkeys-random", EvictionPolicy::AllKeysRandom),
        ("volatile-lru", EvictionPolicy::VolatileLru),
        ("volatile-lfu", EvictionPolicy::VolatileLfu),
        ("volatile-random", EvictionPolicy::VolatileRandom),
        ("volatile-ttl", EvictionPolicy::VolatileTtl),
    ];

    pub fn parse(name: &str) -> Option<EvictionPolicy> {
        Self::ALL
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, p)| p)
    }

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(n, _)| *n)
            .unwrap_or("noeviction")
    }

    fn volatile_only(self) -> bool {
        matches!(
            self,
            EvictionPolicy::VolatileLru
                | EvictionPolicy::VolatileLfu
                | EvictionPolicy::VolatileRandom
                | EvictionPolicy::VolatileTtl
        )
    }
}

/// All databases of a node.
pub struct Keyspace {
    dbs: Box<[Db]>,
    hasher: foldhash::fast::RandomState,
    /// Where the active expiry cycle resumes: db * STRIPES + stripe.
    expire_cursor: AtomicUsize,
    evicted: AtomicU64,
    /// WATCH registrations in all stripes: while zero, a write skips the watcher check
    /// (and the second hash of its key) entirely.
    watches: AtomicUsize,
}

/// Encodes (db, stripe) so that sorting the ids gives the global lock order.
#[inline]
fn lock_id(db: usize, stripe: usize) -> u32 {
    (db * STRIPES + stripe) as u32
}

/// The stripes a command will lock, collected before locking so they can be taken in
/// one global order (no deadlock between multi-key commands).
#[derive(Default, Debug, Clone)]
pub struct LockSet {
    ids: SmallVec<[u32; 4]>,
}

impl LockSet {
    pub fn new() -> LockSet {
        LockSet::default()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn clear(&mut self) {
        self.ids.clear();
    }
}

/// The stripes a command holds, and through them every key operation it may do.
/// Dropping it releases the locks.
pub struct Locked<'a> {
    ks: &'a Keyspace,
    /// The stripes held (sorted), or to be taken by [`Locked::acquire`].
    set: LockSet,
    guards: SmallVec<[MutexGuard<'a, Stripe>; 4]>,
    /// The time the whole command (or transaction) sees, as redis-server caches it.
    pub now_ms: u64,
    /// Keys removed because their TTL had passed, for notifications and propagation.
    expired: Vec<(usize, Vec<u8>)>,
    /// When set, keys created by `insert` are recorded (for `new` notifications).
    pub track_created: bool,
    created: Vec<(usize, Vec<u8>)>,
}

/// A read's update of an item's access clock: its LFU counter, or the LRU clock.
#[inline]
fn refresh_clock(item: &mut Item, now_ms: u64, lfu: bool) {
    if lfu {
        item.set_clock(crate::lfu::on_access(item.clock()));
    } else {
        item.set_clock(((now_ms / 1000) & 0x00ff_ffff) as u32);
    }
}

/// One key's stripe, locked by [`Keyspace::lock_one`], with the key's hash.
pub struct KeyLock<'a> {
    ks: &'a Keyspace,
    id: u32,
    hash: u64,
    guard: MutexGuard<'a, Stripe>,
    now_ms: u64,
}

/// What [`KeyLock::read`] found.
pub enum Lookup<'l> {
    Hit(&'l mut Item),
    Miss,
    /// Past its TTL: [`KeyLock::widen`] and read again, which removes it and reports
    /// the expiry as every other path does.
    Expired,
}

impl<'a> KeyLock<'a> {
    /// A read lookup of the key the lock was taken for: counts a hit or a miss and
    /// refreshes the access clock, as [`Locked::read`] does.
    #[inline]
    pub fn read(&mut self, key: &[u8], lfu: bool) -> Lookup<'_> {
        let now = self.now_ms;
        let stripe = &mut *self.guard;
        let Some(item) = stripe.table.find_mut(self.hash, |item| item.key() == key) else {
            stripe.misses += 1;
            return Lookup::Miss;
        };
        if item.expire_at().is_some_and(|when| when <= now) {
            return Lookup::Expired;
        }
        stripe.hits += 1;
        refresh_clock(item, now, lfu);
        Lookup::Hit(item)
    }

    /// The same lock as a [`Locked`], for everything beyond a lookup.
    pub fn widen(self) -> Locked<'a> {
        let mut locked = self.ks.unlocked(self.now_ms);
        locked.set.ids.push(self.id);
        locked.guards.push(self.guard);
        locked
    }
}

impl Keyspace {
    pub fn new(databases: usize) -> Keyspace {
        Keyspace {
            dbs: (0..databases.max(1)).map(|_| Db::new()).collect(),
            hasher: foldhash::fast::RandomState::default(),
            expire_cursor: AtomicUsize::new(0),
            evicted: AtomicU64::new(0),
            watches: AtomicUsize::new(0),
        }
    }

    pub fn databases(&self) -> usize {
        self.dbs.len()
    }

    #[inline]
    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The hash of a key and its stripe. The table uses the low bits for buckets and
    /// the top seven for tags, so the stripe comes from bits in between.
    #[inline]
    fn locate(&self, key: &[u8]) -> (u64, usize) {
        let hash = self.hash(key);
        (hash, ((hash >> STRIPE_SHIFT) as usize) & (STRIPES - 1))
    }

    pub fn add_key(&self, set: &mut LockSet, db: usize, key: &[u8]) {
        if db < self.dbs.len() {
            set.ids.push(lock_id(db, self.locate(key).1));
        }
    }

    pub fn add_db(&self, set: &mut LockSet, db: usize) {
        if db < self.dbs.len() {
            set.ids.extend((0..STRIPES).map(|s| lock_id(db, s)));
        }
    }

    pub fn add_all(&self, set: &mut LockSet) {
        for db in 0..self.dbs.len() {
            self.add_db(set, db);
        }
    }

    /// Locks the set in global order.
    pub fn lock(&self, set: LockSet) -> Locked<'_> {
        self.lock_at(set, now_ms())
    }

    /// Locks the set; the command sees `now_ms` as the current time.
    pub fn lock_at(&self, set: LockSet, now_ms: u64) -> Locked<'_> {
        let mut locked = self.unlocked(now_ms);
        locked.set = set;
        locked.acquire();
        locked
    }

    /// Locks the stripe of one key: [`Keyspace::lock_one`], widened.
    #[inline]
    pub fn lock_key(&self, db: usize, key: &[u8], now_ms: u64) -> Locked<'_> {
        if db < self.dbs.len() {
            self.lock_one(db, key, now_ms).widen()
        } else {
            self.unlocked(now_ms)
        }
    }

    /// Locks the stripe of one key for a lookup, hashing the key once: the path of
    /// single-key reads, where building a [`Locked`] (a lock set, its sorting, a
    /// second hash to find the stripe again) cost more than the lookup itself.
    /// [`KeyLock::widen`] turns it into a [`Locked`] holding the same lock. `db` must
    /// be one of the keyspace's databases (see [`Keyspace::databases`]).
    #[inline]
    pub fn lock_one(&self, db: usize, key: &[u8], now_ms: u64) -> KeyLock<'_> {
        let (hash, stripe) = self.locate(key);
        KeyLock {
            ks: self,
            id: lock_id(db, stripe),
            hash,
            guard: self.dbs[db].stripes[stripe].lock(),
            now_ms,
        }
    }

    /// A [`Locked`] that holds nothing yet: fill [`Locked::pending`], then
    /// [`Locked::acquire`]. The command path builds its set where it stays, since
    /// moving a just-filled set stalls on the stores that filled it.
    #[inline]
    pub fn unlocked(&self, now_ms: u64) -> Locked<'_> {
        Locked {
            ks: self,
            set: LockSet::new(),
            guards: SmallVec::new(),
            now_ms,
            expired: Vec::new(),
            track_created: false,
            created: Vec::new(),
        }
    }

    fn stripe_by_id(&self, id: u32) -> &Mutex<Stripe> {
        let id = id as usize;
        &self.dbs[id / STRIPES].stripes[id % STRIPES]
    }

    /// Keys, TTLs, bytes and hit counters, summed per database.
    pub fn stats(&self) -> Vec<KeyspaceStats> {
        self.dbs
            .iter()
            .map(|db| {
                let mut s = KeyspaceStats::default();
                for stripe in db.stripes.iter() {
                    let stripe = stripe.lock();
                    s.keys += stripe.len();
                    s.volatile += stripe.volatile;
                    s.bytes += stripe.bytes;
                    s.hits += stripe.hits;
                    s.misses += stripe.misses;
                    s.expired += stripe.expired;
                }
                s
            })
            .collect()
    }

    /// Zeroes the hit, miss, expiry and eviction counters (CONFIG RESETSTAT).
    pub fn reset_stats(&self) {
        for db in self.dbs.iter() {
            for stripe in db.stripes.iter() {
                let mut stripe = stripe.lock();
                stripe.hits = 0;
                stripe.misses = 0;
                stripe.expired = 0;
            }
        }
        self.evicted.store(0, Ordering::Relaxed);
    }

    pub fn evicted_keys(&self) -> u64 {
        self.evicted.load(Ordering::Relaxed)
    }

    /// One pass of active expiry: walks the stripes of databases that may hold keys
    /// with a TTL, from where the last pass stopped, removing expired keys until
    /// `budget` is spent or every such stripe was visited. Each stripe is locked on its
    /// own, briefly, so commands are never held up long; databases without TTL keys
    /// cost nothing.
    pub fn active_expire(
        &self,
        budget: Duration,
        on_expired: &mut dyn FnMut(usize, &[u8]),
    ) -> usize {
        let started = Instant::now();
        let total = self.dbs.len() * STRIPES;
        let mut cursor = self.expire_cursor.load(Ordering::Relaxed) % total;
        let now = now_ms();
        let mut removed = 0;
        let mut visited = 0;
        while visited < total {
            let db = cursor / STRIPES;
            let hint = &self.dbs[db].may_expire;
            if cursor.is_multiple_of(STRIPES) {
                // Starting a pass over this database: clear its hint first, so a TTL
                // set while we scan sets it again.
                if !hint.swap(false, Ordering::AcqRel) {
                    visited += STRIPES;
                    cursor = (cursor + STRIPES) % total;
                    continue;
                }
            }
            {
                let mut stripe = self.dbs[db].stripes[cursor % STRIPES].lock();
                if stripe.volatile > 0 {
                    removed += stripe.remove_expired(now, &mut |key| on_expired(db, key));
                    if stripe.volatile > 0 {
                        hint.store(true, Ordering::Release);
                    }
                }
            }
            cursor = (cursor + 1) % total;
            visited += 1;
            if visited.is_multiple_of(64) && started.elapsed() >= budget {
                // Stopping mid-database: make sure the rest is visited next time.
                if !cursor.is_multiple_of(STRIPES) {
                    self.dbs[cursor / STRIPES]
                        .may_expire
                        .store(true, Ordering::Release);
                }
                break;
            }
        }
        self.expire_cursor.store(cursor, Ordering::Relaxed);
        removed
    }

    /// Notes that `db` holds a key with a TTL (checked before writing, so the flag's
    /// cache line is not written by every command).
    fn note_volatile(&self, db: usize) {
        let hint = &self.dbs[db].may_expire;
        if !hint.load(Ordering::Relaxed) {
            hint.store(true, Ordering::Release);
        }
    }

    /// Evicts one key chosen by `policy` from `samples` random candidates; returns the
    /// database and key, or None when nothing can be evicted. Must not be called while
    /// the caller holds a [`Locked`].
    pub fn evict_one(&self, policy: EvictionPolicy, samples: usize) -> Option<(usize, Vec<u8>)> {
        if policy == EvictionPolicy::NoEviction {
            return None;
        }
        let mut rng = rand::thread_rng();
        let total = self.dbs.len() * STRIPES;
        // (score: higher is evicted first, stripe id, key)
        let mut best: Option<(u64, usize, Vec<u8>)> = None;
        let mut sampled = 0;
        let mut probes = 0;
        let start = rng.gen_range(0..total);
        while sampled < samples.max(1) && probes < total {
            let id = (start + probes * 7919) % total;
            probes += 1;
            let stripe = self.dbs[id / STRIPES].stripes[id % STRIPES].lock();
            if stripe.is_empty() || (policy.volatile_only() && stripe.volatile == 0) {
                continue;
            }
            let skip = rng.gen_range(0..stripe.len());
            let candidate = stripe
                .table
                .iter()
                .cycle()
                .skip(skip)
                .take(stripe.len())
                .find(|item| !policy.volatile_only() || item.expire_at().is_some());
            let Some(item) = candidate else { continue };
            sampled += 1;
            let score = match policy {
                EvictionPolicy::AllKeysLru | EvictionPolicy::VolatileLru => {
                    idle_seconds(item.clock())
                }
                EvictionPolicy::AllKeysLfu | EvictionPolicy::VolatileLfu => {
                    255 - crate::lfu::decayed_counter(item.clock()) as u64
                }
                EvictionPolicy::VolatileTtl => u64::MAX - item.expire_at().unwrap_or(u64::MAX),
                _ => rng.gen::<u32>() as u64,
            };
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, id, item.key().to_vec()));
            }
        }
        let (_, id, key) = best?;
        let db = id / STRIPES;
        let (hash, _) = self.locate(&key);
        let removed = self.dbs[db].stripes[id % STRIPES].lock().remove(hash, &key);
        removed.map(|_| {
            self.evicted.fetch_add(1, Ordering::Relaxed);
            (db, key)
        })
    }
}

impl<'a> Locked<'a> {
    /// The stripes [`Locked::acquire`] will take.
    pub fn pending(&mut self) -> &mut LockSet {
        debug_assert!(self.guards.is_empty(), "stripes already taken");
        &mut self.set
    }

    /// Releases the stripes in place (dropping a `Locked` moves it first, a copy that
    /// stalls on the stores just made to it).
    #[inline]
    pub fn release(&mut self) {
        self.guards.clear();
        self.set.clear();
    }

    /// Takes the pending stripes, in global order (no deadlock between multi-key
    /// commands).
    #[inline]
    pub fn acquire(&mut self) {
        debug_assert!(self.guards.is_empty(), "stripes already taken");
        self.set.ids.sort_unstable();
        self.set.ids.dedup();
        let ks = self.ks;
        for &id in &self.set.ids {
            self.guards.push(ks.stripe_by_id(id).lock());
        }
    }

    /// The hash of `key` and the index of its stripe among the locked ones.
    fn resolve(&mut self, db: usize, key: &[u8]) -> (u64, usize) {
        let (hash, stripe) = self.ks.locate(key);
        let id = lock_id(db, stripe);
        let index = match self.set.ids.binary_search(&id) {
            Ok(i) => i,
            Err(i) => {
                // A command touched a key outside its declared set: a bug in its key
                // specification. Lock it now rather than corrupt data.
                debug_assert!(false, "stripe {id} used without being locked");
                self.set.ids.insert(i, id);
                self.guards.insert(i, self.ks.stripe_by_id(id).lock());
                i
            }
        };
        (hash, index)
    }

    fn stripe(&mut self, db: usize, key: &[u8]) -> (u64, &mut Stripe) {
        let (hash, index) = self.resolve(db, key);
        (hash, &mut self.guards[index])
    }

    /// The live item at `key` in one probe of its stripe's table: an item past its TTL
    /// is removed (and reported as expired) instead. `count` adds a hit or a miss.
    fn live(
        &mut self,
        db: usize,
        hash: u64,
        index: usize,
        key: &[u8],
        count: Count,
    ) -> Option<&mut Item> {
        let now = self.now_ms;
        // Field by field, so the table's entry can be returned while the counters
        // are still written on the other path.
        let Stripe {
            table,
            hits,
            misses,
            expired,
            volatile,
            bytes,
            watchers,
        } = &mut *self.guards[index];
        let entry = match table.find_entry(hash, |item| item.key() == key) {
            Ok(entry) => entry,
            Err(_) => {
                *misses += count as u64;
                return None;
            }
        };
        if entry.get().expire_at().is_none_or(|when| when > now) {
            *hits += count as u64;
            return Some(entry.into_mut());
        }
        let (item, _) = entry.remove();
        *expired += 1;
        *misses += count as u64;
        Stripe::uncount(bytes, volatile, &item);
        Stripe::touch(watchers, Some(key));
        self.expired.push((db, key.to_vec()));
        None
    }

    /// True if `db` is a valid database number.
    pub fn has_db(&self, db: usize) -> bool {
        db < self.ks.dbs.len()
    }

    /// The live item at `key`, removing it first if it has expired. Does not count as a
    /// read (no hit/miss, no LRU update): use [`Locked::read`] for that.
    pub fn get(&mut self, db: usize, key: &[u8]) -> Option<&mut Item> {
        let (hash, index) = self.resolve(db, key);
        self.live(db, hash, index, key, Count::No)
    }

    /// A read lookup: like [`Locked::get`], and counts a keyspace hit or miss and
    /// refreshes the item's access clock.
    pub fn read(&mut self, db: usize, key: &[u8], lfu: bool) -> Option<&mut Item> {
        let (hash, index) = self.resolve(db, key);
        let now_ms = self.now_ms;
        let item = self.live(db, hash, index, key, Count::Yes)?;
        refresh_clock(item, now_ms, lfu);
        Some(item)
    }

    /// The live item at `key` through a shared borrow, so several values can be held at
    /// once (SINTER, SUNION...). Counts nothing and removes nothing: an expired key is
    /// just absent. None as well when the key's stripe is not locked.
    pub fn peek(&self, db: usize, key: &[u8]) -> Option<&Item> {
        let (hash, stripe) = self.ks.locate(key);
        let index = self.set.ids.binary_search(&lock_id(db, stripe)).ok()?;
        let item = self.guards[index].find(hash, key)?;
        match item.expire_at() {
            Some(when) if when <= self.now_ms => None,
            _ => Some(item),
        }
    }

    /// A read lookup that counts a hit or miss but leaves the access clock alone
    /// (TYPE, EXISTS, OBJECT: redis-server's `LOOKUP_NOTOUCH`).
    pub fn read_untouched(&mut self, db: usize, key: &[u8]) -> Option<&mut Item> {
        let (hash, index) = self.resolve(db, key);
        self.live(db, hash, index, key, Count::Yes)
    }

    pub fn exists(&mut self, db: usize, key: &[u8]) -> bool {
        self.get(db, key).is_some()
    }

    /// Stores `item` (its key is its own), replacing any value; returns the old item.
    pub fn insert(&mut self, db: usize, item: Item) -> Option<Item> {
        let ks = self.ks;
        let created_key = self.track_created.then(|| item.key().to_vec());
        if item.expire_at().is_some() {
            ks.note_volatile(db);
        }
        let (hash, stripe) = self.stripe(db, item.key());
        let old = stripe.insert(hash, item, |i| ks.hash(i.key()));
        if let (None, Some(key)) = (&old, created_key) {
            self.created.push((db, key));
        }
        old
    }

    /// Stores a string value at `key` (the concatenation of `parts`), replacing any
    /// value; true when a key was replaced. When the old value is a string of the same
    /// size it is overwritten where it lies, so a SET over a key of the same size
    /// allocates and frees nothing.
    pub fn store_string(
        &mut self,
        db: usize,
        key: &[u8],
        parts: &[&[u8]],
        expire_at: Option<u64>,
        clock: u32,
        raw: bool,
    ) -> bool {
        if expire_at.is_some() {
            self.ks.note_volatile(db);
        }
        let (hash, index) = self.resolve(db, key);
        if let Some(item) = self.live(db, hash, index, key, Count::No) {
            let had_ttl = item.expire_at().is_some();
            if item.overwrite_string(parts, expire_at, clock, raw) {
                self.guards[index].ttl_changed(had_ttl, expire_at.is_some());
                return true;
            }
        }
        let mut item = Item::build(key, parts, expire_at, clock);
        if raw {
            item.mark_raw();
        }
        self.insert(db, item).is_some()
    }

    pub fn remove(&mut self, db: usize, key: &[u8]) -> Option<Item> {
        self.get(db, key)?;
        let (hash, stripe) = self.stripe(db, key);
        stripe.remove(hash, key)
    }

    /// Sets or clears a live key's TTL; false when the key does not exist.
    pub fn set_expire(&mut self, db: usize, key: &[u8], expire_at: Option<u64>) -> bool {
        if expire_at.is_some() {
            self.ks.note_volatile(db);
        }
        let (hash, index) = self.resolve(db, key);
        let replacement = {
            let Some(item) = self.live(db, hash, index, key, Count::No) else {
                return false;
            };
            let had = item.expire_at().is_some();
            let in_place = match expire_at {
                Some(when) => item.set_expire_in_place(when),
                None => !had || item.clear_expire_in_place(),
            };
            if in_place {
                self.guards[index].ttl_changed(had, expire_at.is_some());
                return true;
            }
            item.with_expire(expire_at)
        };
        self.insert(db, replacement);
        true
    }

    /// Number of keys of `db` in the locked stripes (the whole db when it is locked whole).
    pub fn len(&mut self, db: usize) -> usize {
        self.db_stripes(db).map(|s| s.len()).sum()
    }

    /// Indices (into `guards`) of the locked stripes of `db`, in stripe order.
    fn db_range(&self, db: usize) -> std::ops::Range<usize> {
        let lo = lock_id(db, 0);
        let hi = lock_id(db + 1, 0);
        let start = self.set.ids.partition_point(|&id| id < lo);
        let end = self.set.ids.partition_point(|&id| id < hi);
        start..end
    }

    fn db_stripes(&mut self, db: usize) -> impl Iterator<Item = &mut MutexGuard<'a, Stripe>> {
        let range = self.db_range(db);
        self.guards[range].iter_mut()
    }

    /// Removes the expired keys of the locked stripes of `db` (before whole-db reads such
    /// as KEYS and DBSIZE, so they never see dead keys).
    pub fn purge_expired(&mut self, db: usize) {
        let now = self.now_ms;
        let mut dead = Vec::new();
        for stripe in self.db_stripes(db) {
            stripe.remove_expired(now, &mut |key| dead.push((db, key.to_vec())));
        }
        self.expired.extend(dead);
    }

    /// Calls `f` for every live key of `db` in the locked stripes.
    pub fn for_each(&mut self, db: usize, mut f: impl FnMut(&Item)) {
        self.purge_expired(db);
        for stripe in self.db_stripes(db) {
            stripe.table.iter().for_each(&mut f);
        }
    }

    /// SCAN: visits whole stripes of `db` from `cursor` (a stripe number) until `count`
    /// keys were seen; returns the next cursor (0 when done). Whole stripes make the
    /// guarantee exact: a key present for the whole iteration is returned. Expired keys
    /// are removed from the visited stripes only, so one call costs what it visits.
    pub fn scan(&mut self, db: usize, cursor: u64, count: usize, mut f: impl FnMut(&Item)) -> u64 {
        let now = self.now_ms;
        let range = self.db_range(db);
        let mut dead = Vec::new();
        let mut seen = 0;
        let mut stripe_no = cursor.min(STRIPES as u64) as usize;
        while stripe_no < STRIPES {
            let index = range.start + stripe_no;
            if index < range.end {
                let stripe = &mut self.guards[index];
                stripe.remove_expired(now, &mut |key| dead.push((db, key.to_vec())));
                seen += stripe.len();
                stripe.table.iter().for_each(&mut f);
            }
            stripe_no += 1;
            if seen >= count {
                break;
            }
        }
        self.expired.extend(dead);
        if stripe_no >= STRIPES {
            0
        } else {
            stripe_no as u64
        }
    }

    /// A random live key of `db`.
    pub fn random_key(&mut self, db: usize) -> Option<Vec<u8>> {
        let mut rng = rand::thread_rng();
        for _ in 0..100 {
            let range = self.db_range(db);
            if range.is_empty() {
                return None;
            }
            let total = self.len(db);
            if total == 0 {
                return None;
            }
            // Pick a key uniformly: a random rank, then find its stripe.
            let mut rank = rng.gen_range(0..total);
            let mut chosen = None;
            for stripe in self.db_stripes(db) {
                if rank < stripe.len() {
                    chosen = stripe.table.iter().nth(rank).map(|i| i.key().to_vec());
                    break;
                }
                rank -= stripe.len();
            }
            let key = chosen?;
            if self.get(db, &key).is_some() {
                return Some(key);
            }
        }
        None
    }

    /// Removes every key of `db` (the db must be locked whole); returns how many.
    pub fn flush_db(&mut self, db: usize) -> usize {
        self.touch_all_watched(db);
        let mut removed = 0;
        for stripe in self.db_stripes(db) {
            removed += stripe.len();
            stripe.clear();
        }
        removed
    }

    /// Exchanges the contents of two databases (both locked whole).
    pub fn swap_db(&mut self, a: usize, b: usize) {
        if a == b {
            return;
        }
        let (ra, rb) = (self.db_range(a), self.db_range(b));
        if ra.len() != STRIPES || rb.len() != STRIPES {
            debug_assert!(false, "swap_db without both databases locked");
            return;
        }
        // Either side may now hold TTL keys.
        self.ks.note_volatile(a);
        self.ks.note_volatile(b);
        for i in 0..STRIPES {
            let (lo, hi) = if ra.start < rb.start {
                (ra.start + i, rb.start + i)
            } else {
                (rb.start + i, ra.start + i)
            };
            let (left, right) = self.guards.split_at_mut(hi);
            let (a, b) = (&mut *left[lo], &mut *right[0]);
            // Watch registrations belong to the database number, not its contents.
            std::mem::swap(a, b);
            std::mem::swap(&mut a.watchers, &mut b.watchers);
        }
    }

    /// Registers `flag` to be set when `key` is modified (WATCH).
    pub fn watch(&mut self, db: usize, key: &[u8], flag: &Arc<AtomicBool>) {
        // A key already past its TTL is removed first, so its expiry cannot fail EXEC.
        self.get(db, key);
        let (_, stripe) = self.stripe(db, key);
        if !stripe
            .watchers
            .iter()
            .any(|(k, f)| k == key && Arc::ptr_eq(f, flag))
        {
            stripe.watchers.push((key.to_vec(), flag.clone()));
            self.ks.watches.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Removes a WATCH registration.
    pub fn unwatch(&mut self, db: usize, key: &[u8], flag: &Arc<AtomicBool>) {
        let ks = self.ks;
        let (_, stripe) = self.stripe(db, key);
        let before = stripe.watchers.len();
        stripe
            .watchers
            .retain(|(k, f)| !(k == key && Arc::ptr_eq(f, flag)));
        ks.watches
            .fetch_sub(before - stripe.watchers.len(), Ordering::Relaxed);
    }

    /// Signals that `key` was modified: every client watching it will fail its EXEC.
    pub fn touch_watched(&mut self, db: usize, key: &[u8]) {
        if self.ks.watches.load(Ordering::Relaxed) == 0 {
            return;
        }
        let (_, stripe) = self.stripe(db, key);
        if !stripe.watchers.is_empty() {
            stripe.touch_watchers(Some(key));
        }
    }

    /// Signals every watched key of `db` that exists (FLUSHDB, SWAPDB).
    pub fn touch_all_watched(&mut self, db: usize) {
        let now = self.now_ms;
        for stripe in self.db_stripes(db) {
            if !stripe.watchers.is_empty() {
                stripe.touch_existing_watchers(now);
            }
        }
    }

    /// Keys created since the last call (when `track_created` is set).
    pub fn take_created(&mut self) -> Vec<(usize, Vec<u8>)> {
        std::mem::take(&mut self.created)
    }

    /// Keys that expired while this lock was held, for notifications and propagation.
    pub fn take_expired(&mut self) -> Vec<(usize, Vec<u8>)> {
        // Checked first: the usual empty vector is not moved out (see `release`).
        if self.expired.is_empty() {
            return Vec::new();
        }
        std::mem::take(&mut self.expired)
    }
}

/// Refreshes an item's access clock: the LRU seconds, or the LFU counter.
pub fn touch(item: &mut Item, lfu: bool) {
    if lfu {
        item.set_clock(crate::lfu::on_access(item.clock()));
    } else {
        item.set_clock(lru_clock());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_untouched_counts_without_touching() {
        let ks = Keyspace::new(1);
        let mut set = LockSet::new();
        ks.add_key(&mut set, 0, b"k");
        ks.add_key(&mut set, 0, b"missing");
        let mut locked = ks.lock(set);
        locked.insert(0, Item::new_string(b"k", b"v", None, 7));
        assert_eq!(locked.read_untouched(0, b"k").map(|i| i.clock()), Some(7));
        assert!(locked.read_untouched(0, b"missing").is_none());
        drop(locked);
        let stats = ks.stats();
        assert_eq!((stats[0].hits, stats[0].misses), (1, 1));
    }

    #[test]
    fn a_set_filled_in_place_locks_and_releases_its_stripes() {
        let ks = std::sync::Arc::new(Keyspace::new(2));
        let mut locked = ks.unlocked(now_ms());
        // Out of order and repeated: acquire sorts and takes each stripe once.
        ks.add_key(locked.pending(), 1, b"b");
        ks.add_key(locked.pending(), 0, b"a");
        ks.add_key(locked.pending(), 1, b"b");
        locked.acquire();
        locked.insert(0, Item::new_string(b"a", b"1", None, 0));
        locked.insert(1, Item::new_string(b"b", b"2", None, 0));
        locked.release();
        // Released: another thread takes the same stripes at once (a stripe still
        // held would make it wait past the timeout).
        let (tx, rx) = std::sync::mpsc::channel();
        let other = ks.clone();
        std::thread::spawn(move || {
            let mut b = other.lock_key(1, b"b", now_ms());
            let seen = b.get(1, b"b").map(|i| i.value().to_vec());
            drop(b);
            let mut a = other.lock_key(0, b"a", now_ms());
            let _ = tx.send((seen, a.get(0, b"a").is_some()));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(5));
        drop(locked);
        assert_eq!(got, Ok((Some(b"2".to_vec()), true)));
    }

    #[test]
    fn store_string_keeps_ttl_counts_and_expiry_right() {
        let ks = Keyspace::new(1);
        let mut set = LockSet::new();
        ks.add_key(&mut set, 0, b"k");
        let mut locked = ks.lock(set);
        let now = locked.now_ms;
        assert!(!locked.store_string(0, b"k", &[b"aaaa"], Some(now + 10_000), 1, false));
        // Same size: overwritten in place, TTL dropped.
        assert!(locked.store_string(0, b"k", &[b"bb", b"bb"], None, 2, false));
        // Different size: a new item, TTL back.
        assert!(locked.store_string(0, b"k", &[b"ccccc"], Some(now + 10_000), 3, true));
        let item = locked.get(0, b"k").expect("stored");
        assert_eq!((item.value(), item.is_raw()), (&b"ccccc"[..], true));
        drop(locked);
        assert_eq!(ks.stats()[0].volatile, 1);
        // A key past its TTL is expired, not replaced.
        let mut set = LockSet::new();
        ks.add_key(&mut set, 0, b"k");
        let mut locked = ks.lock_at(set, now + 20_000);
        assert!(!locked.store_string(0, b"k", &[b"ddddd"], None, 4, false));
        assert_eq!(locked.take_expired(), vec![(0, b"k".to_vec())]);
        drop(locked);
        let stats = ks.stats()[0];
        assert_eq!((stats.keys, stats.volatile, stats.expired), (1, 0, 1));
    }

    #[test]
    fn a_one_key_lock_reads_counts_and_widens_without_letting_go() {
        let ks = std::sync::Arc::new(Keyspace::new(1));
        let now = now_ms();
        let mut locked = ks.lock_key(0, b"k", now);
        locked.insert(0, Item::new_string(b"k", b"v", Some(now + 1_000), 0));
        drop(locked);
        let mut one = ks.lock_one(0, b"k", now);
        match one.read(b"k", false) {
            Lookup::Hit(item) => {
                assert_eq!(item.value(), b"v");
                assert_eq!(item.clock(), ((now / 1000) & 0x00ff_ffff) as u32);
            }
            _ => panic!("k is live"),
        }
        drop(one);
        let mut one = ks.lock_one(0, b"other", now);
        assert!(matches!(one.read(b"other", false), Lookup::Miss));
        drop(one);
        // Past its TTL: reported, and removed (with its expiry noted) once widened.
        let mut one = ks.lock_one(0, b"k", now + 2_000);
        assert!(matches!(one.read(b"k", false), Lookup::Expired));
        let mut locked = one.widen();
        // Widened, the stripe is still held: another thread waits for it.
        let (tx, rx) = std::sync::mpsc::channel();
        let other = ks.clone();
        let waiter = std::thread::spawn(move || {
            let mut b = other.lock_key(0, b"k", now);
            let _ = tx.send(b.get(0, b"k").is_some());
        });
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        assert!(locked.read(0, b"k", false).is_none());
        assert_eq!(locked.take_expired(), vec![(0, b"k".to_vec())]);
        drop(locked);
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_secs(5)),
            Ok(false)
        );
        waiter.join().expect("waiter");
        let stats = ks.stats()[0];
        assert_eq!((stats.hits, stats.misses, stats.expired), (1, 2, 1));
    }

    #[test]
    fn scan_visits_every_live_key_once_and_drops_expired() {
        let ks = Keyspace::new(1);
        let mut set = LockSet::new();
        ks.add_db(&mut set, 0);
        let mut locked = ks.lock(set);
        let now = locked.now_ms;
        for i in 0..500 {
            let key = format!("key:{i}");
            let expire = if i % 5 == 0 { Some(now - 1) } else { None };
            locked.insert(0, Item::new_string(key.as_bytes(), b"v", expire, 0));
        }
        let mut seen = Vec::new();
        let mut cursor = 0;
        loop {
            cursor = locked.scan(0, cursor, 10, |item| seen.push(item.key().to_vec()));
            if cursor == 0 {
                break;
            }
        }
        seen.sort();
        let before = seen.len();
        seen.dedup();
        assert_eq!(before, seen.len());
        assert_eq!(seen.len(), 400);
        assert_eq!(locked.take_expired().len(), 100);
        assert_eq!(locked.len(0), 400);
        assert_eq!(locked.scan(0, u64::MAX, 10, |_| panic!("past the end")), 0);
    }
}
