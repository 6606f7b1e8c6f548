//! Connection commands.

use crate::table::flags::*;
use crate::table::CommandSpec;

mod auth;
mod echo;
mod hello;
mod ping;
mod quit;
mod reset;
mod select;

/// The version redis clients see in HELLO and INFO: the Redis release whose
/// behaviour a node implements.
pub const REDIS_VERSION: &str = "7.0.15";

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("ping", -1, FAST | SENTINEL | PUBSUB_CONTEXT, ping::run)
        .acl("fast connection")
        .doc(
            "connection",
            "1.0.0",
            "Returns the server's liveliness response.",
        ),
    CommandSpec::new("echo", 2, FAST, echo::run)
        .acl("fast connection")
        .doc("connection", "1.0.0", "Returns the given string."),
    CommandSpec::new("select", 2, LOADING | STALE | FAST, select::run)
        .acl("fast connection")
        .doc("connection", "1.0.0", "Changes the selected database."),
    CommandSpec::new(
        "quit",
        -1,
        ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | PUBSUB_CONTEXT,
        quit::run,
    )
    .acl("fast connection")
    .doc("connection", "1.0.0", "Closes the connection."),
    CommandSpec::new(
        "hello",
        -1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | SENTINEL | ALLOW_BUSY,
        hello::run,
    )
    .acl("fast connection")
    .doc("connection", "6.0.0", "Handshakes with the Redis server."),
    CommandSpec::new(
        "auth",
        -2,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | SENTINEL | ALLOW_BUSY,
        auth::run,
    )
    .acl("fast connection")
    .doc("connection", "1.0.0", "Authenticates the connection."),
    CommandSpec::new(
        "reset",
        1,
        NOSCRIPT | LOADING | STALE | FAST | NO_AUTH | ALLOW_BUSY | PUBSUB_CONTEXT,
        reset::run,
    )
    .acl("fast connection")
    .doc("connection", "6.2.0", "Resets the connection."),
];
