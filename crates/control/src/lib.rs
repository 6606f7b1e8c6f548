//! `ferrocache up`: the control plane. It speaks the ElastiCache API (AWS Query
//! protocol) so the AWS CLI, boto3 and Terraform work against it, and runs real
//! `ferrocache server` processes as the clusters' nodes.
//!
//! ```text
//!  aws CLI / boto3 ──HTTP──▶ api (axum)  ── writes intent ──▶ store (SQLite file)
//!                               │                                │ ▲
//!                               └── wakes ──▶ reconciler thread ─┘ │ records observations,
//!                                               │                  │ statuses, events
//!                                               ▼                  │
//!                                   provisioner: start / stop / adopt node processes
//!                                               │
//!                                    nodes: ferrocache server (redis | memcached)
//!                                      ◀── health (PING / version), CONFIG SET ──
//! ```
//!
//! - The API validates, records the resource as asked (status `creating`,
//!   `modifying`, `deleting`, ...) and returns at once. The reconciler drives the nodes
//!   toward that intent and moves statuses only on what it observed, so waiters see
//!   `available` only once every node answers.
//! - All state is in the store; restarting `up` re-reads it and adopts the node
//!   processes still running (their pid and working directory match) or restarts them.
//! - The control plane talks to nodes only as a client could (RESP, memcached text
//!   protocol, signals): a node works the same without it.
//!
//! Layout: `api/` (protocol, one file per resource), `model` (resources), `store`
//! (all database access), `engine` (node types, versions, parameter families),
//! `reconciler`, `provisioner`, `node_client`.

pub mod api;
pub mod engine;
pub mod model;
pub mod node_client;
pub mod provisioner;
mod reconciler;
pub mod store;

use model::{CacheCluster, CacheParameterGroup, Event, Scope};
use provisioner::{LocalProcesses, Provisioner};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;
use store::{kind, Store};

/// How `ferrocache up` runs.
#[derive(Debug, Clone)]
pub struct UpConfig {
    pub data_dir: PathBuf,
    pub listen: SocketAddr,
    /// The address nodes listen on and that endpoints report.
    pub node_host: String,
    /// Ports for nodes when the requested one is taken.
    pub node_ports: (u16, u16),
    pub region: String,
    /// Access key id -> secret; when non-empty, signatures are verified.
    pub credentials: HashMap<String, String>,
    /// Leave nodes running when `up` exits (they are adopted at the next start).
    pub keep_nodes_running: bool,
    /// How often the reconciler checks every node when nothing wakes it.
    pub health_interval: Duration,
}

impl UpConfig {
    pub fn new(data_dir: PathBuf) -> UpConfig {
        UpConfig {
            data_dir,
            listen: SocketAddr::from(([127, 0, 0, 1], 9000)),
            node_host: "127.0.0.1".into(),
            node_ports: (6380, 6999),
            region: "us-east-1".into(),
            credentials: HashMap::new(),
            keep_nodes_running: false,
            health_interval: Duration::from_secs(1),
        }
    }
}

/// The control plane's shared state.
pub struct ControlPlane {
    pub config: UpConfig,
    store: Mutex<Store>,
    provisioner: Box<dyn Provisioner>,
    wake: (Mutex<bool>, Condvar),
    stopping: AtomicBool,
}

impl ControlPlane {
    pub fn open(config: UpConfig) -> Result<Arc<ControlPlane>, String> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
        let store = Store::open(&config.data_dir.join("control.db"))
            .map_err(|e| format!("cannot open the metadata store: {e}"))?;
        let exe = std::env::current_exe().map_err(|e| format!("cannot find own binary: {e}"))?;
        let provisioner = Box::new(LocalProcesses::new(exe, &config.data_dir));
        Ok(Arc::new(ControlPlane {
            config,
            store: Mutex::new(store),
            provisioner,
            wake: (Mutex::new(false), Condvar::new()),
            stopping: AtomicBool::new(false),
        }))
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Asks the reconciler to look at the clusters now.
    pub(crate) fn wake_reconciler(&self) {
        let (flag, cvar) = &self.wake;
        *flag.lock().unwrap_or_else(|e| e.into_inner()) = true;
        cvar.notify_all();
    }

    fn wait_for_work(&self, timeout: Duration) {
        let (flag, cvar) = &self.wake;
        let mut woken = flag.lock().unwrap_or_else(|e| e.into_inner());
        if !*woken {
            woken = cvar
                .wait_timeout(woken, timeout)
                .map(|(g, _)| g)
                .unwrap_or_else(|e| e.into_inner().0);
        }
        *woken = false;
    }

    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    /// Records an event as DescribeEvents reports it.
    pub(crate) fn event(
        store: &Store,
        scope: &Scope,
        source_type: &str,
        id: &str,
        message: String,
    ) {
        let event = Event {
            source_identifier: id.to_string(),
            source_type: source_type.to_string(),
            message,
            date_ms: model::now_ms(),
        };
        if let Err(e) = store.add_event(scope, &event) {
            eprintln!("ferrocache up: cannot record event: {e}");
        }
    }

    /// Applies `change` to the stored cluster (if it still exists) under the store lock.
    pub(crate) fn update_cluster(
        &self,
        scope: &Scope,
        id: &str,
        change: impl FnOnce(&Store, &mut CacheCluster),
    ) -> Option<CacheCluster> {
        let store = self.store();
        let mut cluster: CacheCluster = match store.get(scope, kind::CACHE_CLUSTER, id) {
            Ok(Some(c)) => c,
            _ => return None,
        };
        change(&store, &mut cluster);
        if let Err(e) = store.put(scope, kind::CACHE_CLUSTER, id, &cluster) {
            eprintln!("ferrocache up: cannot store cluster {id}: {e}");
        }
        Some(cluster)
    }

    /// Ports for `count` new nodes: `preferred` when no node has it and it can be
    /// bound, then the first such ports of the configured range; `None` when the range
    /// has too few left.
    pub(crate) fn allocate_ports(
        &self,
        store: &Store,
        preferred: u16,
        count: usize,
    ) -> Option<Vec<u16>> {
        let mut used: Vec<u16> = Vec::new();
        if let Ok(all) = store.list_all::<CacheCluster>(kind::CACHE_CLUSTER) {
            for (_, cluster) in all {
                used.extend(cluster.nodes.iter().map(|n| n.port));
            }
        }
        let free = |port: u16, used: &[u16]| {
            port != 0
                && !used.contains(&port)
                && port != self.config.listen.port()
                && std::net::TcpListener::bind((self.config.node_host.as_str(), port)).is_ok()
        };
        let mut chosen = Vec::with_capacity(count);
        let candidates =
            std::iter::once(preferred).chain(self.config.node_ports.0..=self.config.node_ports.1);
        for port in candidates {
            if chosen.len() == count {
                break;
            }
            if free(port, &used) {
                chosen.push(port);
                used.push(port);
            }
        }
        (chosen.len() == count).then_some(chosen)
    }

    /// A parameter group by name: stored, or one of the families' default groups.
    pub(crate) fn parameter_group(
        &self,
        store: &Store,
        scope: &Scope,
        name: &str,
    ) -> Result<Option<CacheParameterGroup>, store::StoreError> {
        if let Some(group) = store.get(scope, kind::PARAMETER_GROUP, name)? {
            return Ok(Some(group));
        }
        Ok(engine::ENGINE_VERSIONS
            .iter()
            .find(|v| engine::default_group_name(v.family) == name)
            .map(|v| default_parameter_group(v.family)))
    }

    /// The effective value of every parameter of a group: its overrides over the
    /// family's defaults.
    pub(crate) fn effective_parameters(
        group: &CacheParameterGroup,
    ) -> BTreeMap<&'static str, String> {
        let mut values = BTreeMap::new();
        for def in engine::family_parameters(&group.family).unwrap_or(&[]) {
            let value = group
                .overrides
                .get(def.name)
                .cloned()
                .unwrap_or_else(|| def.default.to_string());
            values.insert(def.name, value);
        }
        values
    }
}

pub(crate) fn default_parameter_group(family: &str) -> CacheParameterGroup {
    CacheParameterGroup {
        name: engine::default_group_name(family),
        family: family.to_string(),
        description: format!("Default parameter group for {family}"),
        overrides: BTreeMap::new(),
    }
}

const UP_USAGE: &str = "Usage: ferrocache up [options]

Runs the control plane: the ElastiCache API on --listen, and the clusters' nodes.

Options:
  --data-dir DIR          metadata store and node directories (default: ./ferrocache-data)
  --listen ADDR:PORT      API address (default: 127.0.0.1:9000)
  --node-host HOST        address nodes listen on and endpoints report (default: 127.0.0.1)
  --node-ports FROM-TO    ports for nodes whose requested port is taken (default: 6380-6999)
  --region REGION         region for unsigned requests (default: us-east-1)
  --credentials FILE      verify SigV4 signatures; FILE has one 'ACCESS_KEY_ID SECRET' per line
  --keep-nodes-running    leave nodes running on exit (adopted at the next start)";

/// Parses `ferrocache up` flags.
pub fn parse_args(args: &[String]) -> Result<UpConfig, String> {
    let mut config = UpConfig::new(PathBuf::from("ferrocache-data"));
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || {
            iter.next()
                .cloned()
                .ok_or_else(|| format!("option {flag} needs a value"))
        };
        match flag.as_str() {
            "--data-dir" => config.data_dir = PathBuf::from(value()?),
            "--listen" => {
                let v = value()?;
                config.listen = v
                    .parse()
                    .map_err(|_| format!("--listen {v}: expected ADDRESS:PORT"))?;
            }
            "--node-host" => config.node_host = value()?,
            "--node-ports" => {
                let v = value()?;
                let range = v
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                    .filter(|(a, b): &(u16, u16)| a <= b && *a > 0)
                    .ok_or_else(|| format!("--node-ports {v}: expected FROM-TO"))?;
                config.node_ports = range;
            }
            "--region" => config.region = value()?,
            "--credentials" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("--credentials {path}: {e}"))?;
                for line in text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                {
                    let mut parts = line.split_whitespace();
                    match (parts.next(), parts.next()) {
                        (Some(key), Some(secret)) => {
                            config
                                .credentials
                                .insert(key.to_string(), secret.to_string());
                        }
                        _ => return Err(format!("--credentials {path}: bad line '{line}'")),
                    }
                }
            }
            "--keep-nodes-running" => config.keep_nodes_running = true,
            "-h" | "--help" => return Err(UP_USAGE.to_string()),
            other => return Err(format!("unknown option '{other}'\n\n{UP_USAGE}")),
        }
    }
    Ok(config)
}

/// `ferrocache up`: runs until SIGINT or SIGTERM; returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let config = match parse_args(args) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return if message.starts_with("Usage") { 0 } else { 2 };
        }
    };
    let plane = match ControlPlane::open(config) {
        Ok(plane) => plane,
        Err(e) => {
            eprintln!("ferrocache up: {e}");
            return 1;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ferrocache up: cannot start runtime: {e}");
            return 1;
        }
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind(plane.config.listen)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "ferrocache up: cannot listen on {}: {e}",
                plane.config.listen
            );
            return 1;
        }
    };
    let reconciler = reconciler::spawn(plane.clone());
    let endpoint = format!(
        "http://{}",
        listener
            .local_addr()
            .map(|a| a.to_string())
            .unwrap_or_default()
    );
    println!(
        "ferrocache up: ElastiCache API on {endpoint} (data in {})",
        plane.config.data_dir.display()
    );
    println!(
        "Try:\n  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION={region}\n  aws elasticache create-cache-cluster --endpoint-url {endpoint} --cache-cluster-id user-session-cache --engine redis --cache-node-type cache.t3.micro --num-cache-nodes 1 --port 6379\n  aws elasticache wait cache-cluster-available --endpoint-url {endpoint} --cache-cluster-id user-session-cache\n  redis-cli -h {host} -p 6379",
        region = plane.config.region,
        host = plane.config.node_host,
    );
    let app = api::router(plane.clone());
    let served = runtime.block_on(async {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    });
    plane.stopping.store(true, Ordering::Relaxed);
    plane.wake_reconciler();
    let _ = reconciler.join();
    if !plane.config.keep_nodes_running {
        reconciler::stop_all_nodes(&plane);
    }
    println!("ferrocache up: stopped");
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("ferrocache up: {e}");
            1
        }
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = match signal(SignalKind::terminate()) {
        Ok(s) => s,
        Err(_) => return std::future::pending().await,
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
