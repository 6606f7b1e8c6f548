//! The command layer: joins the RESP codec (`ferrocache-protocol`) and the keyspace
//! (`ferrocache-keyspace`). It knows nothing of sockets; the server crate feeds it
//! parsed requests and writes out the replies it produces.
//!
//! Layout:
//! - [`table`]: the static command table; [`commands`]: one file per command, grouped
//!   by Redis's command groups, each group's `mod.rs` holding its table rows.
//! - [`dispatch`]: from a request to a reply (lookup, arity, auth, MULTI queueing,
//!   subscribe mode, eviction, locking, execution, stats, propagation).
//! - [`ctx`]: what a handler gets: node, client, reply buffer, locked stripes.
//! - [`node`], [`client`], [`config`], [`pubsub`], [`stream`], [`stats`]: node-wide
//!   and per-connection state.
//!
//! A command runs to completion on the thread that read it: the dispatcher locks the
//! stripes of its keys (all of them at once, in global order), calls the handler, and
//! appends the effective write to the write stream before releasing them.

pub mod args;
pub mod blocking;
pub mod client;
pub mod commands;
pub mod config;
pub mod ctx;
pub mod dispatch;
pub mod errors;
pub mod long_double;
pub mod lookup;
pub mod node;
pub mod pubsub;
pub mod scan_order;
pub mod signal;
pub mod stats;
pub mod stream;
pub mod table;
#[cfg(test)]
mod testing;
pub mod tracking;

pub use client::{Client, ClientShared};
pub use ctx::Ctx;
pub use node::Node;
