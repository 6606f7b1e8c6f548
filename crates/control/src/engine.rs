//! What the control plane offers: node types and their memory, engine versions, and
//! the parameter families (`redis7`, `memcached1.6`) with ElastiCache's parameters,
//! their defaults, and how each one reaches a running node.

use crate::model::Engine;

/// Node types and the memory ElastiCache gives each (Redis's node-type-specific
/// `maxmemory`, in bytes). Memcached nodes get the same amount as `-m` megabytes.
pub const NODE_TYPES: &[(&str, u64)] = &[
    ("cache.t2.micro", 595_591_168),
    ("cache.t2.small", 1_664_299_827),
    ("cache.t2.medium", 3_461_204_377),
    ("cache.t3.micro", 536_870_912),
    ("cache.t3.small", 1_471_026_299),
    ("cache.t3.medium", 3_317_862_236),
    ("cache.t4g.micro", 536_870_912),
    ("cache.t4g.small", 1_471_026_299),
    ("cache.t4g.medium", 3_317_862_236),
    ("cache.m5.large", 6_854_542_746),
    ("cache.m5.xlarge", 13_891_921_715),
    ("cache.m5.2xlarge", 27_966_669_455),
    ("cache.m5.4xlarge", 56_116_178_125),
    ("cache.m5.12xlarge", 168_715_971_994),
    ("cache.m5.24xlarge", 337_500_562_842),
    ("cache.m6g.large", 6_854_542_746),
    ("cache.m6g.xlarge", 13_891_921_715),
    ("cache.m6g.2xlarge", 27_966_669_455),
    ("cache.m6g.4xlarge", 56_116_178_125),
    ("cache.m7g.large", 6_854_542_746),
    ("cache.m7g.xlarge", 13_891_921_715),
    ("cache.r5.large", 14_037_181_030),
    ("cache.r5.xlarge", 28_261_849_702),
    ("cache.r5.2xlarge", 56_711_183_565),
    ("cache.r5.4xlarge", 113_609_865_216),
    ("cache.r5.12xlarge", 341_206_346_547),
    ("cache.r5.24xlarge", 682_485_973_811),
    ("cache.r6g.large", 14_037_181_030),
    ("cache.r6g.xlarge", 28_261_849_702),
    ("cache.r6g.2xlarge", 56_711_183_565),
    ("cache.r6g.4xlarge", 113_609_865_216),
    ("cache.r7g.large", 14_037_181_030),
    ("cache.r7g.xlarge", 28_261_849_702),
];

pub fn node_memory(node_type: &str) -> Option<u64> {
    NODE_TYPES
        .iter()
        .find(|(name, _)| *name == node_type)
        .map(|(_, bytes)| *bytes)
}

pub struct EngineVersion {
    pub engine: Engine,
    pub version: &'static str,
    pub family: &'static str,
    pub engine_description: &'static str,
    pub version_description: &'static str,
}

pub const ENGINE_VERSIONS: &[EngineVersion] = &[
    EngineVersion {
        engine: Engine::Memcached,
        version: "1.6.17",
        family: "memcached1.6",
        engine_description: "memcached",
        version_description: "memcached version 1.6.17",
    },
    EngineVersion {
        engine: Engine::Redis,
        version: "7.0.7",
        family: "redis7",
        engine_description: "Redis",
        version_description: "redis version 7.0.7",
    },
];

/// The version a request names: exact, or a major.minor prefix (`7.0` -> `7.0.7`);
/// none named means the newest for the engine.
pub fn find_version(engine: Engine, requested: Option<&str>) -> Option<&'static EngineVersion> {
    let mut candidates = ENGINE_VERSIONS.iter().filter(|v| v.engine == engine);
    match requested {
        None => candidates.next_back(),
        Some(req) => candidates.find(|v| {
            v.version == req
                || v.version
                    .strip_prefix(req)
                    .is_some_and(|rest| rest.starts_with('.'))
        }),
    }
}

pub fn family_engine(family: &str) -> Option<Engine> {
    ENGINE_VERSIONS
        .iter()
        .find(|v| v.family == family)
        .map(|v| v.engine)
}

/// Where a parameter takes effect on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// `CONFIG SET <name>` on a Redis-engine node (and in its config file).
    RedisConfig(&'static str),
    /// A command-line flag of a memcached-engine node, taking effect on restart.
    MemcachedFlag(&'static str),
    /// Recorded by the control plane only (ElastiCache-specific, or not a node setting).
    ControlPlane,
}

pub struct ParameterDef {
    pub name: &'static str,
    pub default: &'static str,
    pub data_type: &'static str,
    pub allowed: &'static str,
    pub modifiable: bool,
    /// `immediate` or `requires-reboot`, as ElastiCache reports ChangeType.
    pub change_type: &'static str,
    pub min_version: &'static str,
    pub description: &'static str,
    pub applies: Applies,
}

const fn parameter(
    name: &'static str,
    default: &'static str,
    data_type: &'static str,
    allowed: &'static str,
    description: &'static str,
    applies: Applies,
) -> ParameterDef {
    ParameterDef {
        name,
        default,
        data_type,
        allowed,
        modifiable: true,
        change_type: "immediate",
        min_version: "2.8.6",
        description,
        applies,
    }
}

/// A Redis parameter: modifiable and applied at once unless marked otherwise.
use parameter as redis;

/// A memcached parameter: memcached takes its settings at start, so they apply at
/// the next reboot.
const fn memcached(
    name: &'static str,
    default: &'static str,
    data_type: &'static str,
    allowed: &'static str,
    description: &'static str,
    applies: Applies,
) -> ParameterDef {
    let mut def = at_reboot(parameter(
        name,
        default,
        data_type,
        allowed,
        description,
        applies,
    ));
    def.min_version = "1.4.5";
    def
}

const fn fixed(mut def: ParameterDef) -> ParameterDef {
    def.modifiable = false;
    def
}

const fn at_reboot(mut def: ParameterDef) -> ParameterDef {
    def.change_type = "requires-reboot";
    def
}

use Applies::{ControlPlane, MemcachedFlag, RedisConfig};

const YES_NO: &str = "yes,no";
const POLICIES: &str = "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction";

pub const REDIS7_PARAMETERS: &[ParameterDef] = &[
    redis("acllog-max-len", "128", "integer", "1-10000", "The maximum number of entries in the ACL log.", ControlPlane),
    redis("activedefrag", "no", "string", YES_NO, "Enabled active memory defragmentation", ControlPlane),
    redis("active-expire-effort", "1", "integer", "1-10", "The amount of effort that redis uses to expire items in the active expiration job", ControlPlane),
    redis("activerehashing", "yes", "string", YES_NO, "Apply rehashing or not.", ControlPlane),
    redis("appendonly", "no", "string", YES_NO, "Enable Redis persistence.", ControlPlane),
    redis("appendfsync", "everysec", "string", "always,everysec,no", "fsync policy for AOF persistence", ControlPlane),
    redis("client-output-buffer-limit-normal-hard-limit", "0", "integer", "0-", "Normal client output buffer hard limit in bytes.", ControlPlane),
    redis("client-output-buffer-limit-normal-soft-limit", "0", "integer", "0-", "Normal client output buffer soft limit in bytes.", ControlPlane),
    redis("client-output-buffer-limit-normal-soft-seconds", "0", "integer", "0-", "Normal client output buffer soft limit in seconds.", ControlPlane),
    redis("client-output-buffer-limit-pubsub-hard-limit", "33554432", "integer", "0-", "Pubsub client output buffer hard limit in bytes.", ControlPlane),
    redis("client-output-buffer-limit-pubsub-soft-limit", "8388608", "integer", "0-", "Pubsub client output buffer soft limit in bytes.", ControlPlane),
    redis("client-output-buffer-limit-pubsub-soft-seconds", "60", "integer", "0-", "Pubsub client output buffer soft limit in seconds.", ControlPlane),
    at_reboot(redis("cluster-enabled", "no", "string", YES_NO, "Enable cluster mode", ControlPlane)),
    at_reboot(redis("databases", "16", "integer", "1-1200000", "Set the number of databases.", ControlPlane)),
    redis("hash-max-listpack-entries", "128", "integer", "0-", "The maximum number of hash entries in order for the dataset to be compressed.", RedisConfig("hash-max-listpack-entries")),
    redis("hash-max-listpack-value", "64", "integer", "0-", "The threshold of biggest hash entries in order for the dataset to be compressed.", RedisConfig("hash-max-listpack-value")),
    redis("hll-sparse-max-bytes", "3000", "integer", "1-16000", "HyperLogLog sparse representation bytes limit", ControlPlane),
    redis("lazyfree-lazy-eviction", "no", "string", YES_NO, "Perform an asynchronous delete on evictions", ControlPlane),
    redis("lazyfree-lazy-expire", "no", "string", YES_NO, "Perform an asynchronous delete on expired keys", ControlPlane),
    redis("lazyfree-lazy-server-del", "no", "string", YES_NO, "Perform an asynchronous delete on key updates", ControlPlane),
    redis("lazyfree-lazy-user-del", "no", "string", YES_NO, "Specifies whether the default behavior of DEL command acts the same as UNLINK", ControlPlane),
    redis("lazyfree-lazy-user-flush", "no", "string", YES_NO, "Specifies whether FLUSHDB and FLUSHALL commands default to ASYNC", ControlPlane),
    redis("lfu-decay-time", "1", "integer", "0-", "The amount of time in minutes to decrement the key counter for LFU eviction policy", RedisConfig("lfu-decay-time")),
    redis("lfu-log-factor", "10", "integer", "1-", "The log factor for incrementing key counter for LFU eviction policy", RedisConfig("lfu-log-factor")),
    redis("list-compress-depth", "0", "integer", "0-", "Number of quicklist ziplist nodes from each side of the list to exclude from compression.", RedisConfig("list-compress-depth")),
    redis("list-max-listpack-size", "-2", "integer", "-5,-4,-3,-2,-1,1-", "The number of entries allowed per internal list node can be specified as a fixed maximum size or a maximum number of elements.", RedisConfig("list-max-listpack-size")),
    fixed(redis("lua-time-limit", "5000", "integer", "5000", "Max execution time of a Lua script in milliseconds. 0 or negative for unlimited execution without warnings.", ControlPlane)),
    fixed(at_reboot(redis("maxclients", "65000", "integer", "1-65000", "The maximum number of Redis clients.", ControlPlane))),
    redis("maxmemory-policy", "volatile-lru", "string", POLICIES, "Max memory policy.", RedisConfig("maxmemory-policy")),
    redis("maxmemory-samples", "3", "integer", "1-", "Max memory samples.", RedisConfig("maxmemory-samples")),
    redis("min-replicas-max-lag", "10", "integer", "0-", "The maximum amount of replica lag in seconds beyond which the master would stop taking writes.", ControlPlane),
    redis("min-replicas-to-write", "0", "integer", "0-", "The minimum number of replicas that must be present with lag no greater than min-replicas-max-lag for master to take writes.", ControlPlane),
    redis("notify-keyspace-events", "", "string", "", "The keyspace events for Redis to notify Pub/Sub clients about. By default all notifications are disabled", RedisConfig("notify-keyspace-events")),
    redis("proto-max-bulk-len", "536870912", "integer", "1048576-536870912", "Max size of a single element request", RedisConfig("proto-max-bulk-len")),
    redis("repl-backlog-size", "1048576", "integer", "16384-", "The replication backlog size in bytes for PSYNC. This is the size of the buffer which accumulates slave data when slave is disconnected for some time, so that when slave reconnects again, only transfer the portion of data which the slave missed. Minimum value is 16K.", ControlPlane),
    redis("repl-backlog-ttl", "3600", "integer", "0-", "The amount of time in seconds after the master no longer have any slaves connected for the master to free the replication backlog. A value of 0 means to never release the backlog.", ControlPlane),
    redis("reserved-memory-percent", "25", "integer", "0-100", "The percent of memory reserved for non-cache memory usage. You may want to increase this parameter for nodes with read replicas, AOF enabled, etc, to reduce swap usage.", ControlPlane),
    redis("set-max-intset-entries", "512", "integer", "0-", "The limit in the size of the set in order for the dataset to be compressed.", RedisConfig("set-max-intset-entries")),
    redis("slowlog-log-slower-than", "10000", "integer", "-", "The execution time, in microseconds, to exceed in order for the command to get logged. Note that a negative number disables the slow log, while a value of zero forces the logging of every command.", RedisConfig("slowlog-log-slower-than")),
    redis("slowlog-max-len", "128", "integer", "0-", "The length of the slow log. There is no limit to this length. Just be aware that it will consume memory. You can reclaim memory used by the slow log with SLOWLOG RESET.", RedisConfig("slowlog-max-len")),
    redis("stream-node-max-bytes", "4096", "integer", "0-", "The maximum size of a single node in a stream in bytes.", ControlPlane),
    redis("stream-node-max-entries", "100", "integer", "0-", "The maximum number of items a single node in a stream can contain.", ControlPlane),
    redis("tcp-keepalive", "300", "integer", "0-", "If non-zero, send ACKs every given number of seconds.", RedisConfig("tcp-keepalive")),
    redis("timeout", "0", "integer", "0,20-", "Close connection if client is idle for a given number of seconds, or never if 0.", RedisConfig("timeout")),
    redis("zset-max-listpack-entries", "128", "integer", "0-", "The maximum number of sorted set entries in order for the dataset to be compressed.", RedisConfig("zset-max-listpack-entries")),
    redis("zset-max-listpack-value", "64", "integer", "0-", "The threshold of biggest sorted set entries in order for the dataset to be compressed.", RedisConfig("zset-max-listpack-value")),
];

pub const MEMCACHED16_PARAMETERS: &[ParameterDef] = &[
    memcached("backlog_queue_limit", "1024", "integer", "1-10000", "The backlog queue limit.", ControlPlane),
    memcached("binding_protocol", "auto", "string", "ascii,auto", "Binding protocol.", ControlPlane),
    memcached("cas_disabled", "0", "boolean", "0,1", "If 1 (true), check and set (CAS) operations will be disabled, and items stored will consume 8 bytes less than with CAS enabled.", ControlPlane),
    memcached("chunk_size", "48", "integer", "1-", "The minimum amount, in bytes, of space to allocate for the smallest item's key, value, and flags.", ControlPlane),
    memcached("chunk_size_growth_factor", "1.25", "float", "1-2", "The growth factor that controls the size of each successive memcached chunk - each chunk will be chunk_size_growth_factor times larger than the previous chunk.", ControlPlane),
    memcached("error_on_memory_exhausted", "0", "boolean", "0,1", "If 1 (true), when there is no more memory to store items, memcached will return an error rather than evicting items.", MemcachedFlag("-M")),
    fixed(memcached("large_memory_pages", "0", "boolean", "0,1", "If 1 (true), ElastiCache will try to use large memory pages.", ControlPlane)),
    fixed(memcached("lock_down_paged_memory", "0", "boolean", "0,1", "If 1 (true), ElastiCache will lock down all paged memory.", ControlPlane)),
    memcached("max_item_size", "1048576", "integer", "1048576-1073741824", "The size of the largest item that can be stored in the cluster.", MemcachedFlag("-I")),
    memcached("max_simultaneous_connections", "65000", "integer", "3-65000", "The maximum number of simultaneous connections.", MemcachedFlag("-c")),
    fixed(memcached("maximize_core_file_limit", "0", "boolean", "0,1", "If 1 (true), ElastiCache will maximize the core file limit.", ControlPlane)),
    memcached("memcached_connections_overhead", "100", "integer", "0-", "The amount of memory to be reserved for memcached connections and other miscellaneous overhead.", ControlPlane),
    memcached("requests_per_event", "20", "integer", "1-1000", "The maximum number of requests per event for a given connection. This limit is required to prevent resource starvation.", ControlPlane),
    memcached("idle_timeout", "0", "integer", "0-", "The number of seconds a client may be idle before it is disconnected. Zero means never time out.", ControlPlane),
    memcached("lru_crawler", "0", "boolean", "0,1", "Enable the LRU crawler.", ControlPlane),
    memcached("slab_reassign", "0", "boolean", "0,1", "Enable slab reassignment.", ControlPlane),
    memcached("slab_automove", "0", "integer", "0-2", "Adjust the slab automove algorithm.", ControlPlane),
    memcached("track_sizes", "0", "boolean", "0,1", "Show the sizes each slab group has consumed.", ControlPlane),
];

pub fn family_parameters(family: &str) -> Option<&'static [ParameterDef]> {
    match family {
        "redis7" => Some(REDIS7_PARAMETERS),
        "memcached1.6" => Some(MEMCACHED16_PARAMETERS),
        _ => None,
    }
}

/// Every family's default parameter group is named `default.<family>`.
pub fn default_group_name(family: &str) -> String {
    format!("default.{family}")
}

/// Whether `value` is one a parameter accepts, by its data type and allowed values.
pub fn value_allowed(def: &ParameterDef, value: &str) -> bool {
    match def.data_type {
        "integer" => {
            let Ok(n) = value.parse::<i64>() else {
                return false;
            };
            def.allowed.is_empty() || def.allowed.split(',').any(|range| in_range(range, n))
        }
        "float" => value.parse::<f64>().is_ok(),
        "boolean" => value == "0" || value == "1",
        _ => def.allowed.is_empty() || def.allowed.split(',').any(|v| v == value),
    }
}

fn in_range(range: &str, n: i64) -> bool {
    if range == "-" {
        return true;
    }
    match range.rsplit_once('-') {
        Some((low, high)) if !low.is_empty() => {
            low.parse::<i64>().is_ok_and(|low| n >= low)
                && (high.is_empty() || high.parse::<i64>().is_ok_and(|high| n <= high))
        }
        _ => range.parse::<i64>().is_ok_and(|v| v == n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_resolve_by_prefix() {
        assert_eq!(
            find_version(Engine::Redis, Some("7.0")).unwrap().version,
            "7.0.7"
        );
        assert_eq!(find_version(Engine::Redis, None).unwrap().family, "redis7");
        assert!(find_version(Engine::Redis, Some("7.01")).is_none());
        assert!(find_version(Engine::Memcached, Some("7.0")).is_none());
    }

    #[test]
    fn allowed_values() {
        let timeout = REDIS7_PARAMETERS
            .iter()
            .find(|p| p.name == "timeout")
            .unwrap();
        assert!(value_allowed(timeout, "0"));
        assert!(value_allowed(timeout, "300"));
        assert!(!value_allowed(timeout, "10"));
        assert!(!value_allowed(timeout, "x"));
        let policy = REDIS7_PARAMETERS
            .iter()
            .find(|p| p.name == "maxmemory-policy")
            .unwrap();
        assert!(value_allowed(policy, "allkeys-lru"));
        assert!(!value_allowed(policy, "lru"));
        let list = REDIS7_PARAMETERS
            .iter()
            .find(|p| p.name == "list-max-listpack-size")
            .unwrap();
        assert!(value_allowed(list, "-2"));
        assert!(value_allowed(list, "100"));
        assert!(!value_allowed(list, "-7"));
    }
}
