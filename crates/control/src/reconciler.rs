//! The reconciler: one thread that drives every cluster's nodes toward what the API
//! recorded, and moves statuses only on what it observed.
//!
//! Each pass reads the clusters, then for each node: starts it (`creating`), restarts
//! it (`rebooting`), stops and drops it (removal, deletion), or checks its health and
//! restarts it when its process is gone or it stops answering. Settings changes
//! (node type, parameter group, auth token) are pushed to running Redis-engine nodes
//! with CONFIG SET; memcached-engine nodes take flags at start, so parameter changes
//! wait for a reboot (`pending-reboot`) and memory changes restart them. Slow work
//! happens without the store lock; each observation is then applied to the stored
//! cluster as a small change, so API writes made meanwhile are kept.

use crate::engine::{self, Applies};
use crate::model::{status, Applied, CacheCluster, CacheNode, Engine, Scope};
use crate::node_client;
use crate::provisioner::NodeSpec;
use crate::store::kind;
use crate::ControlPlane;
use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long a started node has to answer before it counts as failed.
const START_TIMEOUT: Duration = Duration::from_secs(10);
/// Failed health checks in a row before a running but silent node is restarted.
const UNHEALTHY_AFTER: u32 = 3;
const SOURCE_CLUSTER: &str = "cache-cluster";

pub(crate) fn spawn(plane: Arc<ControlPlane>) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("reconciler".into())
        .spawn(move || {
            let mut reconciler = Reconciler {
                plane,
                failures: HashMap::new(),
            };
            while !reconciler.plane.stopping() {
                reconciler.pass();
                let interval = reconciler.plane.config.health_interval;
                reconciler.plane.wait_for_work(interval);
            }
        })
        .expect("spawn reconciler thread")
}

/// Stops every node process (clean shutdown of `up`); the next start restarts them.
pub(crate) fn stop_all_nodes(plane: &ControlPlane) {
    let clusters = match plane.store().list_all::<CacheCluster>(kind::CACHE_CLUSTER) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ferrocache up: cannot read clusters: {e}");
            return;
        }
    };
    for (scope, cluster) in clusters {
        for node in &cluster.nodes {
            if let Some(pid) = node.pid {
                plane
                    .provisioner
                    .stop(&node_name(&scope, &cluster.id, &node.id), pid);
            }
        }
        plane.update_cluster(&scope, &cluster.id, |_, c| {
            for node in &mut c.nodes {
                node.pid = None;
            }
        });
    }
}

fn node_name(scope: &Scope, cluster: &str, node: &str) -> String {
    format!("{}-{}-{cluster}-{node}", scope.account, scope.region)
}

struct Reconciler {
    plane: Arc<ControlPlane>,
    /// Consecutive failed health checks, by node name.
    failures: HashMap<String, u32>,
}

impl Reconciler {
    fn pass(&mut self) {
        let clusters = match self
            .plane
            .store()
            .list_all::<CacheCluster>(kind::CACHE_CLUSTER)
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("ferrocache up: cannot read clusters: {e}");
                return;
            }
        };
        for (scope, cluster) in clusters {
            if self.plane.stopping() {
                return;
            }
            self.reconcile(&scope, cluster);
        }
    }

    /// The spec a node of `cluster` must run with.
    fn spec(&self, scope: &Scope, cluster: &CacheCluster, node: &CacheNode) -> NodeSpec {
        let group = {
            let store = self.plane.store();
            self.plane
                .parameter_group(&store, scope, &cluster.cache_parameter_group_name)
                .ok()
                .flatten()
        };
        let mut redis_config = Vec::new();
        let mut memcached_flags = Vec::new();
        if let Some(group) = &group {
            let values = ControlPlane::effective_parameters(group);
            for def in engine::family_parameters(&group.family).unwrap_or(&[]) {
                let value = values.get(def.name).cloned().unwrap_or_default();
                match def.applies {
                    Applies::RedisConfig(name) => redis_config.push((name.to_string(), value)),
                    Applies::MemcachedFlag(flag) => memcached_flags.push((flag.to_string(), value)),
                    Applies::ControlPlane => {}
                }
            }
        }
        NodeSpec {
            name: node_name(scope, &cluster.id, &node.id),
            engine: cluster.engine,
            host: self.plane.config.node_host.clone(),
            port: node.port,
            memory_bytes: engine::node_memory(&cluster.cache_node_type).unwrap_or(512 << 20),
            redis_config,
            memcached_flags,
            auth_token: cluster.auth_token.clone(),
        }
    }

    fn event(&self, scope: &Scope, cluster: &str, message: String) {
        ControlPlane::event(&self.plane.store(), scope, SOURCE_CLUSTER, cluster, message);
    }

    fn reconcile(&mut self, scope: &Scope, cluster: CacheCluster) {
        if cluster.status == status::DELETING {
            self.delete(scope, &cluster);
            return;
        }
        for node in &cluster.nodes {
            let name = node_name(scope, &cluster.id, &node.id);
            if node.remove {
                self.remove_node(scope, &cluster, node, &name);
                continue;
            }
            match node.status.as_str() {
                status::CREATING => {
                    if self.start_node(scope, &cluster, node) {
                        self.mark_available(scope, &cluster.id, &node.id);
                        self.event(
                            scope,
                            &cluster.id,
                            format!(
                                "Added cache node {} in availability zone {}",
                                node.id, node.availability_zone
                            ),
                        );
                    }
                }
                status::REBOOTING_NODE => {
                    if let Some(pid) = node.pid {
                        self.plane.provisioner.stop(&name, pid);
                    }
                    if self.start_node(scope, &cluster, node) {
                        self.mark_available(scope, &cluster.id, &node.id);
                        self.event(
                            scope,
                            &cluster.id,
                            format!("Cache node {} restarted", node.id),
                        );
                    }
                }
                _ => self.check_health(scope, &cluster, node, &name),
            }
        }
        self.push_settings(scope, &cluster.id);
        self.complete(scope, &cluster.id);
    }

    fn delete(&mut self, scope: &Scope, cluster: &CacheCluster) {
        for node in &cluster.nodes {
            let name = node_name(scope, &cluster.id, &node.id);
            if let Some(pid) = node.pid {
                self.plane.provisioner.stop(&name, pid);
            }
            self.plane.provisioner.destroy(&name);
            self.failures.remove(&name);
        }
        let store = self.plane.store();
        let result = store
            .delete(scope, kind::CACHE_CLUSTER, &cluster.id)
            .and_then(|_| store.delete_tags(&scope.arn("cluster", &cluster.id)));
        if let Err(e) = result {
            eprintln!("ferrocache up: cannot delete cluster {}: {e}", cluster.id);
            return;
        }
        ControlPlane::event(
            &store,
            scope,
            SOURCE_CLUSTER,
            &cluster.id,
            "Cache cluster deleted".into(),
        );
    }

    fn remove_node(&mut self, scope: &Scope, cluster: &CacheCluster, node: &CacheNode, name: &str) {
        if let Some(pid) = node.pid {
            self.plane.provisioner.stop(name, pid);
        }
        self.plane.provisioner.destroy(name);
        self.failures.remove(name);
        self.plane.update_cluster(scope, &cluster.id, |store, c| {
            c.nodes.retain(|n| n.id != node.id);
            ControlPlane::event(
                store,
                scope,
                SOURCE_CLUSTER,
                &c.id,
                format!("Removed cache node {}", node.id),
            );
        });
    }

    fn mark_available(&self, scope: &Scope, cluster: &str, node_id: &str) {
        self.plane.update_cluster(scope, cluster, |_, c| {
            if let Some(node) = c.node_mut(node_id) {
                if node.status != status::DELETING {
                    node.status = status::AVAILABLE.into();
                    node.parameter_status = status::IN_SYNC.into();
                }
            }
            c.cache_node_ids_to_reboot.retain(|id| id != node_id);
            if c.cache_node_ids_to_reboot.is_empty()
                && c.parameter_apply_status == status::PENDING_REBOOT
            {
                c.parameter_apply_status = status::IN_SYNC.into();
            }
        });
    }

    /// Starts a node process and waits until it answers. On failure the process is
    /// stopped, and the node moves to another port if its port is taken.
    fn start_node(&mut self, scope: &Scope, cluster: &CacheCluster, node: &CacheNode) -> bool {
        let spec = self.spec(scope, cluster, node);
        let pid = match self.plane.provisioner.start(&spec) {
            Ok(pid) => pid,
            Err(e) => {
                eprintln!("ferrocache up: node {}: {e}", spec.name);
                return false;
            }
        };
        let applied = Applied {
            memory_bytes: spec.memory_bytes,
            settings: match cluster.engine {
                Engine::Redis => spec.redis_config.clone(),
                Engine::Memcached => spec.memcached_flags.clone(),
            },
            auth_token: spec.auth_token.clone(),
        };
        let recorded = self.plane.update_cluster(scope, &cluster.id, |_, c| {
            if let Some(n) = c.node_mut(&node.id) {
                n.pid = Some(pid);
                n.applied = applied;
            }
        });
        if recorded.is_none() {
            // The cluster was deleted meanwhile: nothing must be left running.
            self.plane.provisioner.stop(&spec.name, pid);
            self.plane.provisioner.destroy(&spec.name);
            return false;
        }
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            if node_client::alive(cluster.engine, &spec.host, spec.port) {
                self.failures.remove(&spec.name);
                return true;
            }
            if !self.plane.provisioner.is_running(&spec.name, pid) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.plane.provisioner.stop(&spec.name, pid);
        let port_taken = std::net::TcpListener::bind((spec.host.as_str(), spec.port)).is_err();
        let store = self.plane.store();
        let new_port = if port_taken {
            self.plane
                .allocate_ports(&store, spec.port, 1)
                .and_then(|ports| ports.first().copied())
        } else {
            None
        };
        drop(store);
        self.plane.update_cluster(scope, &cluster.id, |_, c| {
            if let Some(n) = c.node_mut(&node.id) {
                n.pid = None;
                if let Some(port) = new_port {
                    n.port = port;
                }
            }
        });
        eprintln!(
            "ferrocache up: node {} did not start (see {}/nodes/{}/node.log)",
            spec.name,
            self.plane.config.data_dir.display(),
            spec.name
        );
        false
    }

    fn check_health(
        &mut self,
        scope: &Scope,
        cluster: &CacheCluster,
        node: &CacheNode,
        name: &str,
    ) {
        let running = node
            .pid
            .is_some_and(|pid| self.plane.provisioner.is_running(name, pid));
        if running {
            if node_client::alive(cluster.engine, &self.plane.config.node_host, node.port) {
                self.failures.remove(name);
                return;
            }
            let failures = self.failures.entry(name.to_string()).or_default();
            *failures += 1;
            if *failures < UNHEALTHY_AFTER {
                return;
            }
            if let Some(pid) = node.pid {
                self.plane.provisioner.stop(name, pid);
            }
        }
        self.failures.remove(name);
        if node.pid.is_some() {
            // It was running under this control plane and died: a failure.
            self.event(
                scope,
                &cluster.id,
                format!("Recovering cache nodes {}", node.id),
            );
            if self.start_node(scope, cluster, node) {
                self.event(
                    scope,
                    &cluster.id,
                    format!("Finished recovery for cache nodes {}", node.id),
                );
            }
        } else if self.start_node(scope, cluster, node) {
            // Stopped with the control plane: brought back at its start.
            self.event(
                scope,
                &cluster.id,
                format!("Cache node {} restarted", node.id),
            );
        }
    }

    /// Brings running nodes in line with the cluster's settings when they changed.
    fn push_settings(&mut self, scope: &Scope, cluster_id: &str) {
        let Ok(Some(cluster)) =
            self.plane
                .store()
                .get::<CacheCluster>(scope, kind::CACHE_CLUSTER, cluster_id)
        else {
            return;
        };
        if !cluster.config_dirty || cluster.nodes.iter().any(|n| n.status != status::AVAILABLE) {
            return;
        }
        let mut pending_reboot = Vec::new();
        let mut all_applied = true;
        let mut applied_by_node = Vec::new();
        for node in &cluster.nodes {
            let spec = self.spec(scope, &cluster, node);
            let name = spec.name.clone();
            match cluster.engine {
                Engine::Redis => {
                    let mut settings = spec.redis_config.clone();
                    settings.push(("maxmemory".into(), spec.memory_bytes.to_string()));
                    settings.push((
                        "requirepass".into(),
                        spec.auth_token.clone().unwrap_or_default(),
                    ));
                    let auth = node.applied.auth_token.as_deref();
                    match node_client::config_set(&spec.host, node.port, auth, &settings) {
                        Ok(()) => applied_by_node.push((
                            node.id.clone(),
                            Applied {
                                memory_bytes: spec.memory_bytes,
                                settings: spec.redis_config,
                                auth_token: spec.auth_token,
                            },
                        )),
                        Err(e) => {
                            eprintln!("ferrocache up: node {name}: {e}");
                            all_applied = false;
                        }
                    }
                }
                Engine::Memcached => {
                    if node.applied.memory_bytes != spec.memory_bytes {
                        // Memory is a start-up flag: restart the node with the new size.
                        if let Some(pid) = node.pid {
                            self.plane.provisioner.stop(&name, pid);
                        }
                        if self.start_node(scope, &cluster, node) {
                            self.event(
                                scope,
                                &cluster.id,
                                format!("Cache node {} restarted", node.id),
                            );
                        } else {
                            all_applied = false;
                        }
                    } else if node.applied.settings != spec.memcached_flags {
                        pending_reboot.push(node.id.clone());
                    }
                }
            }
        }
        if !all_applied {
            return;
        }
        self.plane.update_cluster(scope, cluster_id, |store, c| {
            for (id, applied) in applied_by_node {
                if let Some(n) = c.node_mut(&id) {
                    n.applied = applied;
                }
            }
            c.config_dirty = false;
            if pending_reboot.is_empty() {
                c.parameter_apply_status = status::IN_SYNC.into();
            } else {
                c.parameter_apply_status = status::PENDING_REBOOT.into();
                for node in &mut c.nodes {
                    if pending_reboot.contains(&node.id) {
                        node.parameter_status = status::PENDING_REBOOT.into();
                    }
                }
                c.cache_node_ids_to_reboot = pending_reboot.clone();
            }
            ControlPlane::event(
                store,
                scope,
                SOURCE_CLUSTER,
                &c.id,
                "Cache cluster parameters changed".into(),
            );
        });
    }

    /// Moves a cluster to `available` once every node is, recording what finished.
    fn complete(&self, scope: &Scope, cluster_id: &str) {
        self.plane.update_cluster(scope, cluster_id, |store, c| {
            let busy = c.config_dirty
                || c.nodes
                    .iter()
                    .any(|n| n.status != status::AVAILABLE || n.pid.is_none());
            if busy || c.status == status::AVAILABLE || c.status == status::DELETING {
                return;
            }
            let message = match c.status.as_str() {
                status::CREATING => Some("Cache cluster created"),
                status::MODIFYING => Some("Cache cluster modified"),
                _ => None,
            };
            c.status = status::AVAILABLE.into();
            if let Some(message) = message {
                ControlPlane::event(store, scope, SOURCE_CLUSTER, &c.id, message.into());
            }
        });
    }
}
