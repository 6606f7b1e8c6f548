//! Control-plane resources, as stored: each carries the intent the API recorded and
//! what the reconciler last observed (statuses, node processes).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The account and region a request acts in (from its SigV4 credential scope).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Scope {
    pub account: String,
    pub region: String,
}

impl Scope {
    pub fn key(&self) -> String {
        format!("{}/{}", self.account, self.region)
    }

    pub fn from_key(key: &str) -> Scope {
        let (account, region) = key.split_once('/').unwrap_or((key, "us-east-1"));
        Scope {
            account: account.to_string(),
            region: region.to_string(),
        }
    }

    pub fn arn(&self, kind: &str, id: &str) -> String {
        format!(
            "arn:aws:elasticache:{}:{}:{kind}:{id}",
            self.region, self.account
        )
    }

    /// The availability zone nodes are placed in when none is asked for.
    pub fn default_zone(&self) -> String {
        format!("{}a", self.region)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Redis,
    Memcached,
}

impl Engine {
    pub fn parse(name: &str) -> Option<Engine> {
        match name {
            "redis" => Some(Engine::Redis),
            "memcached" => Some(Engine::Memcached),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Redis => "redis",
            Engine::Memcached => "memcached",
        }
    }

    pub fn default_port(self) -> u16 {
        match self {
            Engine::Redis => 6379,
            Engine::Memcached => 11211,
        }
    }
}

/// Statuses as ElastiCache spells them.
pub mod status {
    pub const CREATING: &str = "creating";
    pub const AVAILABLE: &str = "available";
    pub const MODIFYING: &str = "modifying";
    pub const DELETING: &str = "deleting";
    pub const REBOOTING_CLUSTER: &str = "rebooting cache cluster nodes";
    pub const REBOOTING_NODE: &str = "rebooting";
    pub const IN_SYNC: &str = "in-sync";
    pub const APPLYING: &str = "applying";
    pub const PENDING_REBOOT: &str = "pending-reboot";
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PendingModifiedValues {
    pub num_cache_nodes: Option<u32>,
    pub cache_node_ids_to_remove: Vec<String>,
    pub cache_node_type: Option<String>,
    pub engine_version: Option<String>,
}

impl PendingModifiedValues {
    pub fn is_empty(&self) -> bool {
        self.num_cache_nodes.is_none()
            && self.cache_node_ids_to_remove.is_empty()
            && self.cache_node_type.is_none()
            && self.engine_version.is_none()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheCluster {
    pub id: String,
    pub engine: Engine,
    pub engine_version: String,
    pub cache_node_type: String,
    pub num_cache_nodes: u32,
    /// The port asked for (or the engine's default); nodes get it when it is free.
    pub port: u16,
    pub preferred_availability_zone: String,
    pub az_mode: Option<String>,
    pub cache_subnet_group_name: Option<String>,
    pub cache_parameter_group_name: String,
    pub parameter_apply_status: String,
    pub cache_node_ids_to_reboot: Vec<String>,
    pub security_group_ids: Vec<String>,
    pub preferred_maintenance_window: String,
    pub snapshot_retention_limit: Option<i64>,
    pub snapshot_window: Option<String>,
    pub auto_minor_version_upgrade: bool,
    pub transit_encryption_enabled: bool,
    pub auth_token: Option<String>,
    pub notification_topic_arn: Option<String>,
    pub network_type: String,
    pub created_ms: u64,
    pub status: String,
    pub pending: PendingModifiedValues,
    pub nodes: Vec<CacheNode>,
    /// Node ids are `0001`, `0002`, ... and never reused within a cluster.
    pub next_node_number: u32,
    /// Set when the running nodes must be brought in line with the cluster's settings
    /// (node type, parameter group): the reconciler pushes them and clears it.
    pub config_dirty: bool,
}

impl CacheCluster {
    pub fn new_node(&mut self, zone: &str, port: u16, now_ms: u64) -> &CacheNode {
        let id = format!("{:04}", self.next_node_number);
        self.next_node_number += 1;
        self.nodes.push(CacheNode {
            id,
            status: status::CREATING.to_string(),
            created_ms: now_ms,
            port,
            pid: None,
            availability_zone: zone.to_string(),
            parameter_status: status::IN_SYNC.to_string(),
            remove: false,
            applied: Applied::default(),
        });
        self.nodes.last().expect("just pushed")
    }

    pub fn node_mut(&mut self, id: &str) -> Option<&mut CacheNode> {
        self.nodes.iter_mut().find(|n| n.id == id)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheNode {
    pub id: String,
    pub status: String,
    pub created_ms: u64,
    pub port: u16,
    /// The node's process, once started (or adopted).
    pub pid: Option<u32>,
    pub availability_zone: String,
    pub parameter_status: String,
    /// Asked to be removed (memcached scale-in): stopped, then dropped from the list.
    pub remove: bool,
    /// The settings the running process has (to know what a change needs).
    #[serde(default)]
    pub applied: Applied,
}

/// What a node process was started with or last given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub memory_bytes: u64,
    pub settings: Vec<(String, String)>,
    pub auth_token: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheSubnetGroup {
    pub name: String,
    pub description: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CacheParameterGroup {
    pub name: String,
    pub family: String,
    pub description: String,
    /// Values the user set, by parameter name; the rest are the family's defaults.
    pub overrides: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Event {
    pub source_identifier: String,
    pub source_type: String,
    pub message: String,
    pub date_ms: u64,
}

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// ISO 8601 with milliseconds, as AWS writes timestamps: `2026-11-22T02:30:00.123Z`.
pub fn iso_time(ms: u64) -> String {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms);
    humantime::format_rfc3339_millis(t).to_string()
}

/// ElastiCache's rule for cluster, subnet group and parameter group names: 1 to
/// `max_len` ASCII letters, digits or hyphens, a letter first, no trailing hyphen and
/// no two hyphens in a row.
pub fn valid_identifier(id: &str, max_len: usize) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= max_len
        && bytes[0].is_ascii_alphabetic()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && !id.ends_with('-')
        && !id.contains("--")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_follow_elasticache_rules() {
        assert!(valid_identifier("user-session-cache", 50));
        assert!(valid_identifier("a", 50));
        for bad in ["", "1abc", "ab-", "a--b", "a_b", "a.b", &"a".repeat(51)] {
            assert!(!valid_identifier(bad, 50), "{bad}");
        }
    }

    #[test]
    fn timestamps_are_iso8601_with_milliseconds() {
        assert_eq!(iso_time(1_700_000_000_123), "2023-11-14T22:13:20.123Z");
    }
}
