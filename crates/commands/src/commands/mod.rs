//! Every command, one file each, grouped as Redis groups them. Each group's `mod.rs`
//! holds its rows of the command table.

use crate::table::CommandSpec;

pub mod bitmap;
pub mod client;
pub mod connection;
pub mod geo;
pub mod hash;
pub mod hyperloglog;
pub mod keys;
pub mod list;
pub mod pubsub;
pub mod server;
pub mod set;
pub mod sort;
pub mod stream;
pub mod strings;
pub mod tx;
pub mod zset;

/// The whole table, group by group.
pub static COMMANDS: &[&[CommandSpec]] = &[
    bitmap::COMMANDS,
    client::COMMANDS,
    connection::COMMANDS,
    geo::COMMANDS,
    hash::COMMANDS,
    hyperloglog::COMMANDS,
    keys::COMMANDS,
    list::COMMANDS,
    pubsub::COMMANDS,
    server::COMMANDS,
    set::COMMANDS,
    sort::COMMANDS,
    stream::COMMANDS,
    strings::COMMANDS,
    tx::COMMANDS,
    zset::COMMANDS,
];
