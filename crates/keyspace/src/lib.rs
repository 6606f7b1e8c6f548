//! The keyspace: values, expiry, eviction and memory. It knows nothing of sockets,
//! protocols or async runtimes.
//!
//! ```text
//!  Keyspace
//!   ├─ Db 0 ─ [Stripe 0][Stripe 1] ... [Stripe 1023]   each: Mutex<HashTable<Item>>
//!   ├─ Db 1 ─ ...
//!   └─ Db 15
//! ```
//!
//! - A key's stripe comes from its hash. A command first collects the stripes of every
//!   key it will touch into a [`LockSet`], then [`Keyspace::lock`] takes them in one
//!   global order (db, stripe), so multi-key commands and transactions are atomic and
//!   cannot deadlock. Whole-keyspace commands (KEYS, FLUSHDB, SWAPDB) lock every stripe
//!   of the databases involved. The [`Locked`] view is the only way to touch keys.
//! - Each key is one [`Item`]: key, value and metadata in a single allocation, pointed to
//!   by an 8-byte table slot (see `item.rs` for the layout and the reason).
//! - Expiry is lazy (a lookup removes an expired key) plus an active cycle
//!   ([`Keyspace::active_expire`]) that walks stripes with TTL keys under a time budget.
//! - Eviction ([`Keyspace::evict_one`]) samples random keys like redis-server's
//!   approximated LRU/LFU, for all eight `maxmemory-policy` values.
//! - [`memory::CountingAlloc`] counts every byte the process allocates, for `used_memory`.

pub mod collection;
mod entry;
pub mod fieldmap;
pub mod glob;
pub mod item;
mod keyspace;
pub mod lfu;
pub mod memberset;
pub mod memory;
pub mod packedlist;
pub mod stream;
mod stripe;
mod varint;
pub mod zset;

pub use collection::{Collection, Typed};
pub use fieldmap::{FieldMap, PackLimits};
pub use item::{Item, Kind};
pub use keyspace::{
    clock_ms, idle_seconds, lru_clock, now_ms, resync_clock, touch, unix_ms_at, EvictionPolicy,
    KeyLock, Keyspace, KeyspaceStats, LockSet, Locked, Lookup, STRIPES,
};
pub use memberset::MemberSet;
