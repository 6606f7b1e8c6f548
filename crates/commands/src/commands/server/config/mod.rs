//! CONFIG GET | SET | RESETSTAT | REWRITE | HELP

use super::reply_help;
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;

mod get;
mod resetstat;
mod rewrite;
mod set;

const ADMIN_SLOW: &str = "admin slow dangerous";

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new(
        "config|get",
        -3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        get::run,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.0.0",
        "Get the values of configuration parameters",
    ),
    CommandSpec::new("config|help", 2, LOADING | STALE, help)
        .acl("slow")
        .doc(
            "server",
            "5.0.0",
            "Show helpful text about the different subcommands",
        ),
    CommandSpec::new(
        "config|resetstat",
        2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        resetstat::run,
    )
    .acl(ADMIN_SLOW)
    .doc("server", "2.0.0", "Reset the stats returned by INFO"),
    CommandSpec::new(
        "config|rewrite",
        2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        rewrite::run,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.8.0",
        "Rewrite the configuration file with the in memory configuration",
    ),
    CommandSpec::new(
        "config|set",
        -4,
        ADMIN | NOSCRIPT | LOADING | STALE,
        set::run,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.0.0",
        "Set configuration parameters to the given values",
    ),
];

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    );
}
