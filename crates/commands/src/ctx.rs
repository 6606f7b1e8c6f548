//! [`Ctx`]: what a command handler works with.

use crate::blocking::Block;
use crate::client::Client;
use crate::config::{notify, Settings};
use crate::node::Node;
use crate::table::CommandSpec;
use ferrocache_keyspace::{EvictionPolicy, Locked};
use ferrocache_protocol::Reply;

/// The context of one command: the node, the calling client, its reply buffer, and
/// the keyspace stripes locked for it.
pub struct Ctx<'a> {
    pub node: &'a Node,
    /// The configuration this command runs under (loaded once per command).
    pub settings: &'a Settings,
    pub client: &'a mut Client,
    pub out: &'a mut Reply,
    /// The locked stripes: the only way to reach keys.
    pub keys: Locked<'a>,
    /// The database the command runs against (the client's selected one).
    pub db: usize,
    pub spec: &'static CommandSpec,
    /// Effective writes done by this command (0: nothing to propagate).
    pub dirty: u64,
    /// What to propagate instead of the command as received (EXPIRE as PEXPIREAT, ...).
    pub rewrite: Option<Vec<Vec<u8>>>,
    /// True when running inside EXEC.
    pub in_exec: bool,
    /// Set by a blocking command that found nothing to do (and replied nothing): the
    /// connection waits for one of its keys.
    pub block: Option<Block>,
    /// Keys made ready for blocked clients by this command (see `signal_ready`).
    pub ready: Vec<(usize, Vec<u8>)>,
}

impl<'a> Ctx<'a> {
    pub fn err(&mut self, text: &str) {
        self.out.error(text);
    }

    /// Signals a modification of `key` (WATCH) and counts it as a write.
    pub fn modified(&mut self, key: &[u8]) {
        self.keys.touch_watched(self.db, key);
        self.dirty += 1;
    }

    /// Publishes a keyspace notification if its class is enabled.
    pub fn notify(&self, class: u32, event: &str, key: &[u8]) {
        if self.settings.notify_flags & class != 0 {
            notify_keyspace(self.node, self.db, class, event, key);
        }
    }

    /// `key` may serve a client blocked on it (a push to a list, ...).
    /// Signals are gathered and sent once per key after the command (a push that
    /// also creates the key wakes one client, not two).
    pub fn signal_ready(&mut self, key: &[u8]) {
        if self.node.blocking.blocked_clients() > 0 {
            let entry = (self.db, key.to_vec());
            if !self.ready.contains(&entry) {
                self.ready.push(entry);
            }
        }
    }

    /// Propagate `args` instead of the command as received.
    pub fn propagate_as(&mut self, args: Vec<Vec<u8>>) {
        self.rewrite = Some(args);
    }

    /// True when the access clock counts frequency (an LFU policy is in force).
    pub fn lfu(&self) -> bool {
        matches!(
            self.settings.policy,
            EvictionPolicy::AllKeysLfu | EvictionPolicy::VolatileLfu
        )
    }
}

/// Publishes `__keyspace@<db>__:<key>` and/or `__keyevent@<db>__:<event>`.
pub fn notify_keyspace(node: &Node, db: usize, class: u32, event: &str, key: &[u8]) {
    let flags = node.settings().notify_flags;
    if flags & class == 0 || flags & (notify::KEYSPACE | notify::KEYEVENT) == 0 {
        return;
    }
    let deliver = |c: &std::sync::Arc<crate::client::ClientShared>, f: Vec<u8>| node.deliver(c, f);
    if flags & notify::KEYSPACE != 0 {
        let mut channel = format!("__keyspace@{db}__:").into_bytes();
        channel.extend_from_slice(key);
        node.pubsub.publish(&channel, event.as_bytes(), &deliver);
    }
    if flags & notify::KEYEVENT != 0 {
        let channel = format!("__keyevent@{db}__:{event}").into_bytes();
        node.pubsub.publish(&channel, key, &deliver);
    }
}
