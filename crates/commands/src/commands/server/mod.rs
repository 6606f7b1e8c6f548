//! Server commands: INFO, CONFIG, COMMAND, TIME, LASTSAVE, ROLE, LOLWUT, SAVE, BGSAVE,
//! SHUTDOWN, MONITOR, SLOWLOG, LATENCY, MEMORY, DEBUG.
//!
//! None of them locks keyspace stripes except MEMORY USAGE (its key) and DEBUG (the
//! keys its subcommand names, see [`debug::lock`]): INFO, CONFIG RESETSTAT and MEMORY
//! STATS read or reset the per-stripe counters by locking every stripe one at a time,
//! which they skip when running inside EXEC (the transaction already holds stripes).

use crate::client::Client;
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;

mod bgsave;
mod command;
mod config;
mod debug;
mod info;
mod lastsave;
mod latency;
mod lolwut;
mod memory;
mod monitor;
mod role;
mod save;
mod shutdown;
mod slowlog;
mod time;

const ADMIN_SLOW: &str = "admin slow dangerous";

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new("info", -1, LOADING | STALE | SENTINEL, info::run)
        .acl("slow dangerous")
        .doc(
            "server",
            "1.0.0",
            "Get information and statistics about the server",
        ),
    CommandSpec::new("config", -2, 0, config::help)
        .acl("slow")
        .doc(
            "server",
            "2.0.0",
            "A container for server configuration commands",
        )
        .subcommands(config::SUBCOMMANDS),
    CommandSpec::new("command", -1, LOADING | STALE | SENTINEL, command::run)
        .acl("slow connection")
        .doc("server", "2.8.13", "Get array of Redis command details")
        .subcommands(command::SUBCOMMANDS),
    CommandSpec::new("time", 1, LOADING | STALE | FAST, time::run)
        .acl("fast")
        .doc("server", "2.6.0", "Return the current server time"),
    CommandSpec::new("lastsave", 1, LOADING | STALE | FAST, lastsave::run)
        .acl("admin fast dangerous")
        .doc(
            "server",
            "1.0.0",
            "Get the UNIX time stamp of the last successful save to disk",
        ),
    CommandSpec::new(
        "role",
        1,
        NOSCRIPT | LOADING | STALE | FAST | SENTINEL,
        role::run,
    )
    .acl("admin fast dangerous")
    .doc(
        "server",
        "2.8.12",
        "Return the role of the instance in the context of replication",
    ),
    CommandSpec::new("lolwut", -1, READONLY | FAST, lolwut::run)
        .acl("read fast")
        .doc(
            "server",
            "5.0.0",
            "Display some computer art and the Redis version",
        ),
    CommandSpec::new(
        "save",
        1,
        NO_ASYNC_LOADING | ADMIN | NOSCRIPT | NO_MULTI,
        save::run,
    )
    .acl(ADMIN_SLOW)
    .doc("server", "1.0.0", "Synchronously save the dataset to disk"),
    CommandSpec::new(
        "bgsave",
        -1,
        NO_ASYNC_LOADING | ADMIN | NOSCRIPT,
        bgsave::run,
    )
    .acl(ADMIN_SLOW)
    .doc("server", "1.0.0", "Asynchronously save the dataset to disk"),
    CommandSpec::new(
        "shutdown",
        -1,
        ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | SENTINEL | ALLOW_BUSY,
        shutdown::run,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "1.0.0",
        "Synchronously save the dataset to disk and then shut down the server",
    ),
    CommandSpec::new(
        "monitor",
        1,
        ADMIN | NOSCRIPT | LOADING | STALE,
        monitor::run,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "1.0.0",
        "Listen for all requests received by the server in real time",
    ),
    CommandSpec::new("slowlog", -2, 0, slowlog::help)
        .acl("slow")
        .doc("server", "2.2.12", "A container for slow log commands")
        .subcommands(slowlog::SUBCOMMANDS),
    CommandSpec::new("latency", -2, 0, latency::help)
        .acl("slow")
        .doc(
            "server",
            "2.8.13",
            "A container for latency diagnostics commands",
        )
        .subcommands(latency::SUBCOMMANDS),
    CommandSpec::new("memory", -2, 0, memory::help)
        .acl("slow")
        .doc(
            "server",
            "4.0.0",
            "A container for memory diagnostics commands",
        )
        .subcommands(memory::SUBCOMMANDS),
    CommandSpec::new("debug", -2, ADMIN | NOSCRIPT | LOADING | STALE, debug::run)
        .acl(ADMIN_SLOW)
        .doc("server", "1.0.0", "A container for debugging commands")
        .lock(debug::lock),
];

/// The reply of a HELP subcommand: a header naming the command as it was typed, the
/// given lines, and the HELP entry, all as status replies (redis-server's addReplyHelp).
pub fn reply_help(ctx: &mut Ctx<'_>, args: &[&[u8]], lines: &[&str]) {
    let name = String::from_utf8_lossy(args[0]).to_ascii_uppercase();
    ctx.out.array(lines.len() + 3);
    ctx.out.simple(&format!(
        "{name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ));
    for line in lines {
        ctx.out.simple(line);
    }
    ctx.out.simple("HELP");
    ctx.out.simple("    Prints this help.");
}

/// `ERR unknown subcommand or wrong number of arguments for 'x'. Try CMD HELP.`
pub fn subcommand_syntax_error(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let name = String::from_utf8_lossy(args[0]).to_ascii_uppercase();
    let sub = args.get(1).copied().unwrap_or_default();
    let sub = String::from_utf8_lossy(&sub[..sub.len().min(128)]).into_owned();
    ctx.err(&format!(
        "ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {name} HELP."
    ));
}

/// `100B`, `2.00K`, `1.50M`, ... as redis-server's bytesToHuman.
pub fn bytes_to_human(n: u64) -> String {
    const UNITS: [(u64, &str); 5] = [
        (1 << 10, "K"),
        (1 << 20, "M"),
        (1 << 30, "G"),
        (1 << 40, "T"),
        (1 << 50, "P"),
    ];
    if n < 1024 {
        return format!("{n}B");
    }
    for (i, (div, unit)) in UNITS.iter().enumerate() {
        let next = UNITS.get(i + 1).map_or(1u64 << 60, |u| u.0);
        if n < next {
            return format!("{:.2}{unit}", n as f64 / *div as f64);
        }
    }
    format!("{n}B")
}

/// True for a client connected through the loopback interface or a unix socket
/// (redis-server's islocalClient: `127.0.0.1` or `::1`).
pub fn is_local_client(client: &Client) -> bool {
    match client.shared.addr.parse::<std::net::SocketAddr>() {
        Ok(addr) => match addr.ip() {
            std::net::IpAddr::V4(v4) => v4 == std::net::Ipv4Addr::LOCALHOST,
            std::net::IpAddr::V6(v6) => {
                v6 == std::net::Ipv6Addr::LOCALHOST
                    || v6.to_ipv4_mapped() == Some(std::net::Ipv4Addr::LOCALHOST)
            }
        },
        // Not an IP address: a unix socket.
        Err(_) => true,
    }
}

/// Whether a protected action is allowed for `client` under a `yes | no | local`
/// setting (enable-debug-command, enable-protected-configs).
pub fn protected_action_allowed(setting: Option<&str>, client: &Client) -> bool {
    match setting {
        Some("yes") => true,
        Some("local") => is_local_client(client),
        _ => false,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod unit_tests {
    use super::bytes_to_human;

    #[test]
    fn human_bytes() {
        assert_eq!(bytes_to_human(0), "0B");
        assert_eq!(bytes_to_human(1023), "1023B");
        assert_eq!(bytes_to_human(1024), "1.00K");
        assert_eq!(bytes_to_human(1536), "1.50K");
        assert_eq!(bytes_to_human(5 << 20), "5.00M");
        assert_eq!(bytes_to_human(3 << 30), "3.00G");
        assert_eq!(bytes_to_human(2 << 40), "2.00T");
    }
}
