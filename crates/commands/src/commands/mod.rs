//! Every command, one file each, grouped as Redis groups them. Each group's `mod.rs`
//! holds its rows of the command table.

use crate::table::CommandSpec;

pub mod client;
pub mod connection;
pub mod keys;
pub mod pubsub;
pub mod server;
pub mod strings;
pub mod tx;

/// The whole table, group by group.
pub static COMMANDS: &[&[CommandSpec]] = &[
    client::COMMANDS,
    connection::COMMANDS,
    keys::COMMANDS,
    pubsub::COMMANDS,
    server::COMMANDS,
    strings::COMMANDS,
    tx::COMMANDS,
];
