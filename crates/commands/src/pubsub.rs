//! The pub/sub hub: channel, pattern and shard-channel subscriptions, and delivery of
//! messages to subscribers' push queues.

use crate::client::ClientShared;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_protocol::{Reply, RespVersion};
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::Arc;

type Subscribers = HashMap<Vec<u8>, Vec<Arc<ClientShared>>>;

#[derive(Default)]
pub struct PubSub {
    channels: RwLock<Subscribers>,
    patterns: RwLock<Subscribers>,
    shard_channels: RwLock<Subscribers>,
}

/// Which subscription table an operation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Channels,
    Patterns,
    Shard,
}

fn encode(version: RespVersion, parts: &[&[u8]]) -> Vec<u8> {
    let mut reply = Reply::new(version);
    reply.push(parts.len());
    for part in parts {
        reply.bulk(part);
    }
    reply.buf
}

impl PubSub {
    fn table(&self, which: Table) -> &RwLock<Subscribers> {
        match which {
            Table::Channels => &self.channels,
            Table::Patterns => &self.patterns,
            Table::Shard => &self.shard_channels,
        }
    }

    pub fn subscribe(&self, which: Table, name: &[u8], client: &Arc<ClientShared>) {
        let mut table = self.table(which).write();
        let subs = table.entry(name.to_vec()).or_default();
        if !subs.iter().any(|c| c.id == client.id) {
            subs.push(client.clone());
        }
    }

    pub fn unsubscribe(&self, which: Table, name: &[u8], client_id: u64) {
        let mut table = self.table(which).write();
        if let Some(subs) = table.get_mut(name) {
            subs.retain(|c| c.id != client_id);
            if subs.is_empty() {
                table.remove(name);
            }
        }
    }

    /// Delivers a message; returns how many subscriptions received it.
    pub fn publish(
        &self,
        channel: &[u8],
        message: &[u8],
        deliver: &dyn Fn(&Arc<ClientShared>, Vec<u8>),
    ) -> usize {
        let mut receivers = 0;
        if let Some(subs) = self.channels.read().get(channel) {
            for client in subs {
                deliver(
                    client,
                    encode(client.resp_version(), &[b"message", channel, message]),
                );
                receivers += 1;
            }
        }
        let patterns = self.patterns.read();
        for (pattern, subs) in patterns.iter() {
            if glob_match(pattern, channel, false) {
                for client in subs {
                    deliver(
                        client,
                        encode(
                            client.resp_version(),
                            &[b"pmessage", pattern, channel, message],
                        ),
                    );
                    receivers += 1;
                }
            }
        }
        receivers
    }

    pub fn spublish(
        &self,
        channel: &[u8],
        message: &[u8],
        deliver: &dyn Fn(&Arc<ClientShared>, Vec<u8>),
    ) -> usize {
        let mut receivers = 0;
        if let Some(subs) = self.shard_channels.read().get(channel) {
            for client in subs {
                deliver(
                    client,
                    encode(client.resp_version(), &[b"smessage", channel, message]),
                );
                receivers += 1;
            }
        }
        receivers
    }

    /// Names with at least one subscriber, optionally filtered by a glob pattern.
    pub fn names(&self, which: Table, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        self.table(which)
            .read()
            .keys()
            .filter(|name| pattern.is_none_or(|p| glob_match(p, name, false)))
            .cloned()
            .collect()
    }

    pub fn subscriber_count(&self, which: Table, name: &[u8]) -> usize {
        self.table(which).read().get(name).map_or(0, |s| s.len())
    }

    /// Number of pattern subscriptions (PUBSUB NUMPAT counts patterns, not clients).
    pub fn pattern_count(&self) -> usize {
        self.patterns.read().len()
    }

    pub fn channel_count(&self, which: Table) -> usize {
        self.table(which).read().len()
    }
}
