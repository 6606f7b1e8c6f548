//! The memcached engine: memcached 1.6's text, meta and binary protocols over the
//! same keyspace the Redis engine uses (one storage core, two protocol front ends).
//!
//! ```text
//!  bytes ─▶ Session (per connection: protocol by first byte, noreply, swallow, SASL)
//!             ├─ text.rs    get/set/.../stats: one line, then a data block
//!             ├─ meta.rs    mg/ms/md/ma/mn/me with their flags
//!             └─ binary.rs  24-byte headers, quiet commands, SASL PLAIN
//!                    │
//!                    ▼
//!            Cache (cache.rs): memcached semantics (flags, CAS, exptime, modes,
//!            incr/decr, flush_all, memory limit + LRU eviction) on a Keyspace
//!                    │
//!                    ▼
//!            ferrocache_keyspace: striped tables of compact items
//! ```
//!
//! - The network layer (`ferrocache-server`) owns sockets and buffers: it hands a
//!   [`Session`] the bytes it has read and writes back what the session produced.
//! - Client flags, CAS and meta state bits live in a small header at the front of the
//!   keyspace value (`value.rs`), so the keyspace needs no memcached-specific field.
//! - Replies, including every error, are memcached's byte for byte: its own test
//!   suite (`scripts/memcached-suite.sh`) runs against this engine.

mod binary;
pub mod cache;
pub mod config;
mod meta;
pub mod number;
mod report;
pub mod session;
pub mod stats;
mod text;
pub mod value;

pub use cache::Cache;
pub use config::{Config, ConfigError};
pub use session::{Progress, Session};
