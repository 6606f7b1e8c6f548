//! CLIENT and its subcommands: connection introspection and control.

use crate::client::{Client, ClientInfo, ClientKind, ClientShared};
use crate::ctx::Ctx;
use crate::table::flags::*;
use crate::table::CommandSpec;

mod caching;
mod getname;
mod getredir;
mod help;
mod id;
mod info;
mod kill;
mod list;
mod no_evict;
mod pause;
mod reply;
mod setname;
mod tracking;
mod trackinginfo;
mod unblock;
mod unpause;

const PLAIN: u32 = NOSCRIPT | LOADING | STALE;
const ADMIN_CMD: u32 = ADMIN | NOSCRIPT | LOADING | STALE;
const PLAIN_ACL: &str = "slow connection";
const ADMIN_ACL: &str = "admin slow dangerous connection";

#[rustfmt::skip]
pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new("client|help", 2, LOADING | STALE, help::run).acl(PLAIN_ACL).doc("connection", "5.0.0", "Show helpful text about the different subcommands"),
    CommandSpec::new("client|list", -2, ADMIN_CMD, list::run).acl(ADMIN_ACL).doc("connection", "2.4.0", "Get the list of client connections"),
    CommandSpec::new("client|id", 2, PLAIN, id::run).acl(PLAIN_ACL).doc("connection", "5.0.0", "Returns the client ID for the current connection"),
    CommandSpec::new("client|kill", -3, ADMIN_CMD, kill::run).acl(ADMIN_ACL).doc("connection", "2.4.0", "Kill the connection of a client"),
    CommandSpec::new("client|unblock", -3, ADMIN_CMD, unblock::run).acl(ADMIN_ACL).doc("connection", "5.0.0", "Unblock a client blocked in a blocking command from a different connection"),
    CommandSpec::new("client|getredir", 2, PLAIN, getredir::run).acl(PLAIN_ACL).doc("connection", "6.0.0", "Get tracking notifications redirection client ID if any"),
    CommandSpec::new("client|caching", 3, PLAIN, caching::run).acl(PLAIN_ACL).doc("connection", "6.0.0", "Instruct the server about tracking or not keys in the next request"),
    CommandSpec::new("client|info", 2, PLAIN, info::run).acl(PLAIN_ACL).doc("connection", "6.2.0", "Returns information about the current client connection."),
    CommandSpec::new("client|getname", 2, PLAIN, getname::run).acl(PLAIN_ACL).doc("connection", "2.6.9", "Get the current connection name"),
    CommandSpec::new("client|unpause", 2, ADMIN_CMD, unpause::run).acl(ADMIN_ACL).doc("connection", "6.2.0", "Resume processing of clients that were paused"),
    CommandSpec::new("client|trackinginfo", 2, PLAIN, trackinginfo::run).acl(PLAIN_ACL).doc("connection", "6.2.0", "Return information about server assisted client side caching for the current connection"),
    CommandSpec::new("client|pause", -3, ADMIN_CMD, pause::run).acl(ADMIN_ACL).doc("connection", "2.9.50", "Stop processing commands from clients for some time"),
    CommandSpec::new("client|setname", 3, PLAIN, setname::run).acl(PLAIN_ACL).doc("connection", "2.6.9", "Set the current connection name"),
    CommandSpec::new("client|tracking", -3, PLAIN, tracking::run).acl(PLAIN_ACL).doc("connection", "6.0.0", "Enable or disable server assisted client side caching support"),
    CommandSpec::new("client|reply", 3, PLAIN, reply::run).acl(PLAIN_ACL).doc("connection", "3.2.0", "Instruct the server whether to reply to commands"),
    CommandSpec::new("client|no-evict", 3, ADMIN_CMD, no_evict::run).acl(ADMIN_ACL).doc("connection", "7.0.0", "Set client eviction mode for the current connection"),
];

pub static COMMANDS: &[CommandSpec] = &[CommandSpec::new("client", -2, 0, help::run)
    .acl("slow")
    .doc(
        "connection",
        "2.4.0",
        "A container for client connection commands",
    )
    .subcommands(SUBCOMMANDS)];

/// The client classes CLIENT LIST TYPE and CLIENT KILL TYPE filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientType {
    Normal,
    Replica,
    PubSub,
    Master,
}

impl ClientType {
    /// `normal`, `slave`/`replica`, `pubsub`, `master`, in any case.
    pub fn by_name(name: &[u8]) -> Option<ClientType> {
        let types = [
            ("normal", ClientType::Normal),
            ("slave", ClientType::Replica),
            ("replica", ClientType::Replica),
            ("pubsub", ClientType::PubSub),
            ("master", ClientType::Master),
        ];
        types
            .iter()
            .find(|(n, _)| name.eq_ignore_ascii_case(n.as_bytes()))
            .map(|&(_, t)| t)
    }

    /// The class of a client. MONITOR clients count as normal ones.
    pub fn of(shared: &ClientShared, info: &ClientInfo) -> ClientType {
        match shared.kind() {
            ClientKind::Master => ClientType::Master,
            ClientKind::Replica if !info.monitor => ClientType::Replica,
            ClientKind::Replica | ClientKind::Normal => ClientType::Normal,
            ClientKind::PubSub => ClientType::PubSub,
        }
    }
}

/// Turns CLIENT TRACKING off, forgetting every option and prefix (CLIENT TRACKING
/// OFF; RESET should do the same).
pub fn disable_tracking(node: &crate::node::Node, client: &mut Client) {
    node.tracking.disable(client.id());
    client.tracking = None;
    let mut info = client.shared.info.lock();
    info.tracking = false;
    info.tracking_redirect = 0;
    info.tracking_bcast = false;
}

/// `ERR Unknown client type 'foo'`
fn unknown_type(ctx: &mut Ctx<'_>, name: &[u8]) {
    ctx.err(&format!(
        "ERR Unknown client type '{}'",
        String::from_utf8_lossy(name)
    ));
}

/// The error redis-server gives when a subcommand gets an argument count its own
/// parser refuses although the arity allowed it.
fn subcommand_syntax(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let sub = &args[1][..args[1].len().min(128)];
    ctx.err(&format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        String::from_utf8_lossy(sub),
        String::from_utf8_lossy(args[0]).to_ascii_uppercase()
    ));
}

#[cfg(test)]
mod tests {
    use crate::client::Client;
    use crate::config::Settings;
    use crate::dispatch::execute;
    use crate::node::Node;
    use ferrocache_protocol::{Reply, RespVersion};
    use std::sync::Arc;

    fn connect(node: &Node) -> Client {
        let (shared, _pushes) =
            node.register_client("127.0.0.1:5000".into(), "127.0.0.1:6379".into());
        Client::new(shared, true)
    }

    fn run(node: &Node, client: &mut Client, args: &[&str]) -> String {
        let mut out = Reply::new(RespVersion::Resp2);
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        execute(node, client, &mut out, &args);
        String::from_utf8_lossy(&out.buf).into_owned()
    }

    fn setup() -> (Arc<Node>, Client) {
        let node = Node::new(Settings::default());
        let client = connect(&node);
        (node, client)
    }

    #[test]
    fn reply_modes() {
        let (node, mut c) = setup();
        assert_eq!(run(&node, &mut c, &["client", "reply", "skip"]), "");
        assert_eq!(run(&node, &mut c, &["ping"]), "");
        assert_eq!(run(&node, &mut c, &["ping"]), "+PONG\r\n");
        assert_eq!(run(&node, &mut c, &["client", "reply", "off"]), "");
        assert_eq!(run(&node, &mut c, &["ping"]), "");
        assert_eq!(run(&node, &mut c, &["client", "reply", "skip"]), "");
        assert_eq!(run(&node, &mut c, &["ping"]), "");
        assert_eq!(run(&node, &mut c, &["client", "reply", "on"]), "+OK\r\n");
        assert_eq!(run(&node, &mut c, &["ping"]), "+PONG\r\n");
        // ON right after SKIP is itself replied to.
        run(&node, &mut c, &["client", "reply", "skip"]);
        assert_eq!(run(&node, &mut c, &["client", "reply", "on"]), "+OK\r\n");
    }

    #[test]
    fn names() {
        let (node, mut c) = setup();
        assert_eq!(run(&node, &mut c, &["client", "getname"]), "$-1\r\n");
        assert_eq!(run(&node, &mut c, &["client", "setname", "app"]), "+OK\r\n");
        assert_eq!(run(&node, &mut c, &["client", "getname"]), "$3\r\napp\r\n");
        assert_eq!(
            run(&node, &mut c, &["client", "setname", "a b"]),
            "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
        );
        assert_eq!(run(&node, &mut c, &["client", "setname", ""]), "+OK\r\n");
        assert_eq!(run(&node, &mut c, &["client", "getname"]), "$-1\r\n");
    }

    #[test]
    fn list_line() {
        let (node, mut me) = setup();
        let mut other = connect(&node);
        run(&node, &mut other, &["client", "setname", "other"]);
        run(&node, &mut other, &["multi"]);
        run(&node, &mut other, &["set", "a", "b"]);
        let reply = run(&node, &mut me, &["client", "list"]);
        let body = reply.split_once("\r\n").unwrap().1;
        let lines: Vec<&str> = body.trim_end().lines().collect();
        assert_eq!(lines.len(), 2);
        let keys: Vec<&str> = lines[0]
            .split(' ')
            .map(|f| f.split('=').next().unwrap())
            .collect();
        assert_eq!(
            keys.join(" "),
            "id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp \
             obl oll omem tot-mem events cmd user redir resp"
        );
        assert!(lines[0].contains(" flags=N ") && lines[0].contains(" cmd=client|list "));
        assert!(lines[0].contains(" qbuf=26 ") && lines[0].contains(" argv-mem=10 "));
        assert!(
            lines[1].contains(" name=other ")
                && lines[1].contains(" flags=x ")
                && lines[1].contains(" multi=1 ")
        );
        assert!(lines[1].contains(" cmd=set "));
        let id = other.id().to_string();
        let only = run(&node, &mut me, &["client", "list", "id", &id]);
        assert!(only.contains(&format!("id={id} ")) && only.matches('\n').count() == 3);
        assert_eq!(
            run(&node, &mut me, &["client", "list", "type", "pubsub"]),
            "$0\r\n\r\n"
        );
    }

    #[test]
    fn kill() {
        let (node, mut me) = setup();
        let other = connect(&node);
        let id = other.id().to_string();
        assert_eq!(
            run(&node, &mut me, &["client", "kill", "id", &id]),
            ":1\r\n"
        );
        assert!(other.shared.is_killed());
        let mine = me.id().to_string();
        assert_eq!(
            run(&node, &mut me, &["client", "kill", "id", &mine]),
            ":0\r\n"
        );
        assert!(!me.close_after_reply);
        assert_eq!(
            run(
                &node,
                &mut me,
                &["client", "kill", "id", &mine, "skipme", "no"]
            ),
            ":1\r\n"
        );
        assert!(me.close_after_reply && !me.shared.is_killed());
        assert_eq!(
            run(&node, &mut me, &["client", "kill", "10.0.0.1:1"]),
            "-ERR No such client\r\n"
        );
    }

    #[test]
    fn pause_and_unpause() {
        let (node, mut c) = setup();
        assert_eq!(
            run(&node, &mut c, &["client", "pause", "100000", "write"]),
            "+OK\r\n"
        );
        let pause = node.pause.lock().unwrap();
        assert!(pause.write_only);
        assert_eq!(run(&node, &mut c, &["client", "pause", "10"]), "+OK\r\n");
        let merged = node.pause.lock().unwrap();
        assert!(!merged.write_only && merged.until == pause.until);
        assert_eq!(run(&node, &mut c, &["client", "unpause"]), "+OK\r\n");
        assert!(node.pause.lock().is_none());
        assert_eq!(
            run(&node, &mut c, &["client", "pause", "9223372036854775808"]),
            "-ERR timeout is not an integer or out of range\r\n"
        );
        // Too far away to represent: accepted, no pause.
        assert_eq!(
            run(&node, &mut c, &["client", "pause", "9223372036854775807"]),
            "+OK\r\n"
        );
        assert!(node.pause.lock().is_none());
    }

    #[test]
    fn caching_lasts_one_command() {
        let (node, mut c) = setup();
        assert_eq!(
            run(&node, &mut c, &["client", "tracking", "on", "optin"]),
            "+OK\r\n"
        );
        assert_eq!(run(&node, &mut c, &["client", "caching", "yes"]), "+OK\r\n");
        assert!(run(&node, &mut c, &["client", "trackinginfo"]).contains("caching-yes"));
        run(&node, &mut c, &["get", "k"]);
        assert!(!run(&node, &mut c, &["client", "trackinginfo"]).contains("caching-yes"));
        assert_eq!(run(&node, &mut c, &["client", "getredir"]), ":0\r\n");
        assert_eq!(
            run(&node, &mut c, &["client", "tracking", "off"]),
            "+OK\r\n"
        );
        assert_eq!(run(&node, &mut c, &["client", "getredir"]), ":-1\r\n");
    }
}
