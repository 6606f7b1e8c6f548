//! CreateCacheCluster, DescribeCacheClusters, ModifyCacheCluster, DeleteCacheCluster,
//! RebootCacheCluster, and the `<CacheCluster>` element they answer with.

use super::error::ApiError;
use super::page;
use super::query::Params;
use super::tags::read_tags;
use super::xml::Xml;
use crate::engine;
use crate::model::{
    iso_time, now_ms, status, valid_identifier, CacheCluster, Engine, PendingModifiedValues, Scope,
};
use crate::store::{kind, Store};
use crate::ControlPlane;

/// Most nodes a memcached cluster may have.
const MAX_MEMCACHED_NODES: i64 = 40;

fn no_free_port() -> ApiError {
    ApiError::insufficient_capacity("No free port is left in the node port range.")
}

pub(super) fn load(store: &Store, scope: &Scope, id: &str) -> Result<CacheCluster, ApiError> {
    store
        .get(scope, kind::CACHE_CLUSTER, &id.to_ascii_lowercase())?
        .ok_or_else(|| ApiError::cluster_not_found(format!("CacheCluster not found: {id}")))
}

fn cluster_id(params: &Params) -> Result<String, ApiError> {
    let id = params.required("CacheClusterId")?;
    if !valid_identifier(id, 50) {
        return Err(ApiError::invalid_parameter_value(
            "The parameter CacheClusterIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
        ));
    }
    Ok(id.to_ascii_lowercase())
}

fn node_type(params: &Params, required: bool) -> Result<Option<String>, ApiError> {
    match params.str("CacheNodeType") {
        None if required => Err(ApiError::invalid_parameter_value(
            "The parameter CacheNodeType must be provided and must not be blank.",
        )),
        None => Ok(None),
        Some(t) if engine::node_memory(t).is_some() => Ok(Some(t.to_string())),
        Some(t) => Err(ApiError::invalid_parameter_value(format!(
            "Invalid value for parameter CacheNodeType: {t}"
        ))),
    }
}

/// The zones of `count` new nodes: the ones asked for, else the preferred zone, else
/// spread over the region's zones for `cross-az`.
fn zones(
    scope: &Scope,
    preferred: Option<&str>,
    listed: &[String],
    cross_az: bool,
    count: usize,
) -> Vec<String> {
    (0..count)
        .map(|i| {
            if let Some(zone) = listed.get(i) {
                zone.clone()
            } else if let Some(zone) = preferred {
                zone.to_string()
            } else if cross_az {
                format!("{}{}", scope.region, (b'a' + (i % 3) as u8) as char)
            } else {
                scope.default_zone()
            }
        })
        .collect()
}

pub(super) fn create(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let id = cluster_id(params)?;
    if let Some(group) = params.str("ReplicationGroupId") {
        return Err(ApiError {
            code: "ReplicationGroupNotFoundFault",
            status: 404,
            message: format!("ReplicationGroup {group} not found."),
        });
    }
    let engine = match params.str("Engine") {
        None | Some("") => {
            return Err(ApiError::invalid_parameter_value(
                "The parameter Engine must be provided and must not be blank.",
            ))
        }
        Some(name) => Engine::parse(&name.to_ascii_lowercase()).ok_or_else(|| {
            ApiError::invalid_parameter_value(format!(
                "Invalid value for parameter Engine: {name}. Valid values are: memcached, redis."
            ))
        })?,
    };
    let node_type = node_type(params, true)?.expect("required");
    let num_nodes = params.int("NumCacheNodes")?.unwrap_or(1);
    if num_nodes < 1 {
        return Err(ApiError::invalid_parameter_value(
            "The parameter NumCacheNodes must be a positive integer.",
        ));
    }
    if engine == Engine::Redis && num_nodes > 1 {
        return Err(ApiError::invalid_parameter_value(
            "Cannot create a Redis cluster with a NumCacheNodes parameter greater than 1.",
        ));
    }
    if num_nodes > MAX_MEMCACHED_NODES {
        return Err(ApiError::node_quota_for_cluster(format!(
            "The number of cache nodes requested ({num_nodes}) exceeds the maximum allowed per cluster ({MAX_MEMCACHED_NODES})."
        )));
    }
    let version = engine::find_version(engine, params.str("EngineVersion")).ok_or_else(|| {
        ApiError::invalid_parameter_combination(format!(
            "Cannot find version {} for {}",
            params.str("EngineVersion").unwrap_or(""),
            engine.name()
        ))
    })?;
    let port = match params.int("Port")? {
        None => engine.default_port(),
        Some(p) if (1..=65535).contains(&p) => p as u16,
        Some(p) => {
            return Err(ApiError::invalid_parameter_value(format!(
                "Invalid value for parameter Port: {p}"
            )))
        }
    };
    if params.bool("TransitEncryptionEnabled")? == Some(true) {
        return Err(ApiError::invalid_parameter_combination(
            "Encryption in transit is not available: nodes serve plain TCP.",
        ));
    }
    let auth_token = params.string("AuthToken");
    if auth_token.is_some() && engine == Engine::Memcached {
        return Err(ApiError::invalid_parameter_combination(
            "AuthToken is only supported for the redis engine.",
        ));
    }
    if params.str("SnapshotArns.SnapshotArn.1").is_some() || params.str("SnapshotName").is_some() {
        return Err(ApiError {
            code: "SnapshotFeatureNotSupportedFault",
            status: 400,
            message: "Restoring from a snapshot is not supported.".into(),
        });
    }
    let tags = read_tags(params)?;
    let preferred_zones = params.list("PreferredAvailabilityZones", "PreferredAvailabilityZone")?;
    let az_mode = params.string("AZMode");
    if az_mode
        .as_deref()
        .is_some_and(|m| m != "single-az" && m != "cross-az")
    {
        return Err(ApiError::invalid_parameter_value(format!(
            "Invalid value for parameter AZMode: {}",
            az_mode.unwrap_or_default()
        )));
    }

    let store = plane.store();
    if store
        .get::<CacheCluster>(scope, kind::CACHE_CLUSTER, &id)?
        .is_some()
    {
        return Err(ApiError::cluster_already_exists(format!(
            "Cache cluster {id} already exists."
        )));
    }
    let group_name = params
        .string("CacheParameterGroupName")
        .unwrap_or_else(|| engine::default_group_name(version.family));
    let group = plane
        .parameter_group(&store, scope, &group_name)?
        .ok_or_else(|| {
            ApiError::parameter_group_not_found(format!(
                "CacheParameterGroup {group_name} not found."
            ))
        })?;
    if group.family != version.family {
        return Err(ApiError::invalid_parameter_combination(format!(
            "The parameter group family {} does not match the engine version family {}.",
            group.family, version.family
        )));
    }
    let subnet_group = params.string("CacheSubnetGroupName");
    if let Some(name) = &subnet_group {
        super::subnet_groups::load(&store, scope, name)?;
    }

    let now = now_ms();
    let preferred = params.str("PreferredAvailabilityZone");
    let node_zones = zones(
        scope,
        preferred,
        &preferred_zones,
        az_mode.as_deref() == Some("cross-az"),
        num_nodes as usize,
    );
    let mut cluster = CacheCluster {
        id: id.clone(),
        engine,
        engine_version: version.version.to_string(),
        cache_node_type: node_type,
        num_cache_nodes: num_nodes as u32,
        port,
        preferred_availability_zone: if az_mode.as_deref() == Some("cross-az") && num_nodes > 1 {
            "Multiple".to_string()
        } else {
            node_zones[0].clone()
        },
        az_mode,
        cache_subnet_group_name: subnet_group,
        cache_parameter_group_name: group.name.clone(),
        parameter_apply_status: status::IN_SYNC.into(),
        cache_node_ids_to_reboot: Vec::new(),
        security_group_ids: params.list("SecurityGroupIds", "SecurityGroupId")?,
        preferred_maintenance_window: params
            .string("PreferredMaintenanceWindow")
            .unwrap_or_else(|| "sun:05:00-sun:06:00".into()),
        snapshot_retention_limit: match engine {
            Engine::Redis => Some(params.int("SnapshotRetentionLimit")?.unwrap_or(0)),
            Engine::Memcached => None,
        },
        snapshot_window: match engine {
            Engine::Redis => Some(
                params
                    .string("SnapshotWindow")
                    .unwrap_or_else(|| "06:30-07:30".into()),
            ),
            Engine::Memcached => None,
        },
        auto_minor_version_upgrade: params.bool("AutoMinorVersionUpgrade")?.unwrap_or(true),
        transit_encryption_enabled: false,
        auth_token,
        notification_topic_arn: params.string("NotificationTopicArn"),
        network_type: "ipv4".into(),
        created_ms: now,
        status: status::CREATING.into(),
        pending: PendingModifiedValues::default(),
        nodes: Vec::new(),
        next_node_number: 1,
        config_dirty: false,
    };
    // Every port is chosen before anything is stored: a request that cannot be served
    // leaves nothing behind.
    let ports = plane
        .allocate_ports(&store, port, node_zones.len())
        .ok_or_else(no_free_port)?;
    for (zone, node_port) in node_zones.iter().zip(ports) {
        cluster.new_node(zone, node_port, now);
    }
    store.put(scope, kind::CACHE_CLUSTER, &id, &cluster)?;
    let arn = scope.arn("cluster", &id);
    store.set_tags(&arn, &tags)?;
    drop(store);
    plane.wake_reconciler();
    Ok(cluster_xml(plane, scope, &cluster, false))
}

pub(super) fn describe(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let show_nodes = params.bool("ShowCacheNodeInfo")?.unwrap_or(false);
    let clusters = {
        let store = plane.store();
        match params.str("CacheClusterId") {
            Some(id) => vec![load(&store, scope, id)?],
            None => store.list::<CacheCluster>(scope, kind::CACHE_CLUSTER)?,
        }
    };
    let (clusters, marker) = page(clusters, params)?;
    let mut xml = Xml::new();
    xml.opt("Marker", marker);
    let mut body = xml.finish();
    body.push_str("<CacheClusters>");
    for cluster in &clusters {
        body.push_str("<CacheCluster>");
        body.push_str(&cluster_fields(plane, scope, cluster, show_nodes));
        body.push_str("</CacheCluster>");
    }
    body.push_str("</CacheClusters>");
    Ok(body)
}

fn require_available(cluster: &CacheCluster) -> Result<(), ApiError> {
    if cluster.status != status::AVAILABLE {
        return Err(ApiError::invalid_cluster_state(format!(
            "Cache cluster {} is not in available state.",
            cluster.id
        )));
    }
    Ok(())
}

pub(super) fn modify(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let id = params.required("CacheClusterId")?.to_string();
    let apply_now = params.bool("ApplyImmediately")?.unwrap_or(false);
    let new_type = node_type(params, false)?;
    let num_nodes = params.int("NumCacheNodes")?;
    let to_remove = params.list("CacheNodeIdsToRemove", "CacheNodeId")?;
    let store = plane.store();
    let mut cluster = load(&store, scope, &id)?;
    require_available(&cluster)?;
    let now = now_ms();
    let mut changing = false;

    if let Some(version) = params.str("EngineVersion") {
        let found = engine::find_version(cluster.engine, Some(version)).ok_or_else(|| {
            ApiError::invalid_parameter_combination(format!(
                "Cannot find version {version} for {}",
                cluster.engine.name()
            ))
        })?;
        if found.version != cluster.engine_version {
            return Err(ApiError::invalid_parameter_combination(format!(
                "Cannot modify engine version from {} to {version}.",
                cluster.engine_version
            )));
        }
    }

    // Number of nodes (memcached scale out / in).
    let current = cluster.nodes.len() as i64;
    let target = num_nodes.unwrap_or(current);
    if target < 1 {
        return Err(ApiError::invalid_parameter_value(
            "The parameter NumCacheNodes must be a positive integer.",
        ));
    }
    if cluster.engine == Engine::Redis && (target != 1 || !to_remove.is_empty()) {
        return Err(ApiError::invalid_parameter_value(
            "Cannot modify a Redis cluster's NumCacheNodes parameter to be greater than 1.",
        ));
    }
    if target > MAX_MEMCACHED_NODES {
        return Err(ApiError::node_quota_for_cluster(format!(
            "The number of cache nodes requested ({target}) exceeds the maximum allowed per cluster ({MAX_MEMCACHED_NODES})."
        )));
    }
    if target < current && to_remove.len() as i64 != current - target {
        return Err(ApiError::invalid_parameter_value(format!(
            "The number of cache node ids to remove ({}) must equal the difference between the current ({current}) and the requested ({target}) number of cache nodes.",
            to_remove.len()
        )));
    }
    if target >= current && !to_remove.is_empty() {
        return Err(ApiError::invalid_parameter_combination(
            "CacheNodeIdsToRemove requires NumCacheNodes to be less than the current number of cache nodes.",
        ));
    }
    for node_id in &to_remove {
        if !cluster.nodes.iter().any(|n| &n.id == node_id) {
            return Err(ApiError::invalid_parameter_value(format!(
                "Cache node {node_id} does not exist in cache cluster {}.",
                cluster.id
            )));
        }
    }
    if target != current {
        if apply_now {
            if target > current {
                let new_zones = params.list("NewAvailabilityZones", "PreferredAvailabilityZone")?;
                let zones = zones(
                    scope,
                    None,
                    &new_zones,
                    cluster.az_mode.as_deref() == Some("cross-az"),
                    (target - current) as usize,
                );
                let ports = plane
                    .allocate_ports(&store, cluster.port, zones.len())
                    .ok_or_else(no_free_port)?;
                for (zone, port) in zones.iter().zip(ports) {
                    cluster.new_node(zone, port, now);
                }
            } else {
                for node in cluster
                    .nodes
                    .iter_mut()
                    .filter(|n| to_remove.contains(&n.id))
                {
                    node.remove = true;
                    node.status = status::DELETING.into();
                }
            }
            cluster.num_cache_nodes = target as u32;
            cluster.pending.num_cache_nodes = None;
            cluster.pending.cache_node_ids_to_remove.clear();
            changing = true;
        } else {
            cluster.pending.num_cache_nodes = Some(target as u32);
            cluster.pending.cache_node_ids_to_remove = to_remove;
        }
    }

    if let Some(new_type) = new_type.filter(|t| *t != cluster.cache_node_type) {
        if apply_now {
            cluster.cache_node_type = new_type;
            cluster.pending.cache_node_type = None;
            cluster.config_dirty = true;
            changing = true;
        } else {
            cluster.pending.cache_node_type = Some(new_type);
        }
    }

    if let Some(name) = params.str("CacheParameterGroupName") {
        let group = plane.parameter_group(&store, scope, name)?.ok_or_else(|| {
            ApiError::parameter_group_not_found(format!("CacheParameterGroup {name} not found."))
        })?;
        let family = engine::find_version(cluster.engine, Some(&cluster.engine_version))
            .map(|v| v.family)
            .unwrap_or("");
        if group.family != family {
            return Err(ApiError::invalid_parameter_combination(format!(
                "The parameter group family {} does not match the engine version family {family}.",
                group.family
            )));
        }
        if group.name != cluster.cache_parameter_group_name {
            cluster.cache_parameter_group_name = group.name;
            cluster.parameter_apply_status = status::APPLYING.into();
            cluster.config_dirty = true;
            changing = true;
        }
    }

    match params.str("AuthTokenUpdateStrategy") {
        Some("DELETE") => {
            cluster.auth_token = None;
            cluster.config_dirty = true;
            changing = true;
        }
        Some("SET") | Some("ROTATE") | None if params.str("AuthToken").is_some() => {
            if cluster.engine == Engine::Memcached {
                return Err(ApiError::invalid_parameter_combination(
                    "AuthToken is only supported for the redis engine.",
                ));
            }
            cluster.auth_token = params.string("AuthToken");
            cluster.config_dirty = true;
            changing = true;
        }
        None => {}
        Some(other) => {
            return Err(ApiError::invalid_parameter_value(format!(
                "Invalid value for parameter AuthTokenUpdateStrategy: {other}"
            )))
        }
    }

    if let Some(ids) =
        Some(params.list("SecurityGroupIds", "SecurityGroupId")?).filter(|v| !v.is_empty())
    {
        cluster.security_group_ids = ids;
    }
    if let Some(window) = params.string("PreferredMaintenanceWindow") {
        cluster.preferred_maintenance_window = window;
    }
    if cluster.engine == Engine::Redis {
        if let Some(limit) = params.int("SnapshotRetentionLimit")? {
            cluster.snapshot_retention_limit = Some(limit);
        }
        if let Some(window) = params.string("SnapshotWindow") {
            cluster.snapshot_window = Some(window);
        }
    }
    if let Some(auto) = params.bool("AutoMinorVersionUpgrade")? {
        cluster.auto_minor_version_upgrade = auto;
    }
    if let Some(topic) = params.string("NotificationTopicArn") {
        cluster.notification_topic_arn = Some(topic);
    }
    if changing {
        cluster.status = status::MODIFYING.into();
    }
    store.put(scope, kind::CACHE_CLUSTER, &cluster.id, &cluster)?;
    drop(store);
    plane.wake_reconciler();
    Ok(cluster_xml(plane, scope, &cluster, false))
}

pub(super) fn delete(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let id = params.required("CacheClusterId")?;
    let store = plane.store();
    let mut cluster = load(&store, scope, id)?;
    if cluster.status == status::DELETING {
        return Err(ApiError::invalid_cluster_state(format!(
            "Cache cluster {} is already being deleted.",
            cluster.id
        )));
    }
    if params.str("FinalSnapshotIdentifier").is_some() {
        return Err(ApiError {
            code: "SnapshotFeatureNotSupportedFault",
            status: 400,
            message: "Final snapshots are not supported.".into(),
        });
    }
    cluster.status = status::DELETING.into();
    for node in &mut cluster.nodes {
        node.status = status::DELETING.into();
    }
    store.put(scope, kind::CACHE_CLUSTER, &cluster.id, &cluster)?;
    drop(store);
    plane.wake_reconciler();
    Ok(cluster_xml(plane, scope, &cluster, false))
}

pub(super) fn reboot(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let id = params.required("CacheClusterId")?;
    let ids = params.list("CacheNodeIdsToReboot", "CacheNodeId")?;
    if ids.is_empty() {
        return Err(ApiError::missing_parameter(
            "The request must contain the parameter CacheNodeIdsToReboot",
        ));
    }
    let store = plane.store();
    let mut cluster = load(&store, scope, id)?;
    require_available(&cluster)?;
    for node_id in &ids {
        let Some(node) = cluster.node_mut(node_id) else {
            return Err(ApiError::invalid_parameter_value(format!(
                "Cache node {node_id} does not exist in cache cluster {}.",
                cluster.id
            )));
        };
        node.status = status::REBOOTING_NODE.into();
    }
    cluster.status = status::REBOOTING_CLUSTER.into();
    store.put(scope, kind::CACHE_CLUSTER, &cluster.id, &cluster)?;
    drop(store);
    plane.wake_reconciler();
    Ok(cluster_xml(plane, scope, &cluster, false))
}

fn cluster_xml(
    plane: &ControlPlane,
    scope: &Scope,
    cluster: &CacheCluster,
    show_nodes: bool,
) -> String {
    format!(
        "<CacheCluster>{}</CacheCluster>",
        cluster_fields(plane, scope, cluster, show_nodes)
    )
}

/// The children of a `<CacheCluster>` element, in the model's member order.
fn cluster_fields(
    plane: &ControlPlane,
    scope: &Scope,
    c: &CacheCluster,
    show_nodes: bool,
) -> String {
    let host = plane.config.node_host.as_str();
    let live_nodes: Vec<_> = c.nodes.iter().collect();
    let mut x = Xml::new();
    x.text("CacheClusterId", &c.id);
    if c.engine == Engine::Memcached {
        if let Some(first) = live_nodes.first() {
            x.element("ConfigurationEndpoint", |x| {
                x.text("Address", host).text("Port", first.port);
            });
        }
    }
    x.text(
        "ClientDownloadLandingPage",
        "https://console.aws.amazon.com/elasticache/home#client-download:",
    )
    .text("CacheNodeType", &c.cache_node_type)
    .text("Engine", c.engine.name())
    .text("EngineVersion", &c.engine_version)
    .text("CacheClusterStatus", &c.status)
    .text("NumCacheNodes", c.num_cache_nodes)
    .text("PreferredAvailabilityZone", &c.preferred_availability_zone)
    .text("CacheClusterCreateTime", iso_time(c.created_ms))
    .text(
        "PreferredMaintenanceWindow",
        &c.preferred_maintenance_window,
    )
    .element("PendingModifiedValues", |x| {
        let p = &c.pending;
        x.opt("NumCacheNodes", p.num_cache_nodes);
        if !p.cache_node_ids_to_remove.is_empty() {
            x.strings(
                "CacheNodeIdsToRemove",
                "CacheNodeId",
                &p.cache_node_ids_to_remove,
            );
        }
        x.opt("EngineVersion", p.engine_version.as_ref())
            .opt("CacheNodeType", p.cache_node_type.as_ref());
    });
    if let Some(topic) = &c.notification_topic_arn {
        x.element("NotificationConfiguration", |x| {
            x.text("TopicArn", topic).text("TopicStatus", "active");
        });
    }
    x.list(
        "CacheSecurityGroups",
        "CacheSecurityGroup",
        std::iter::empty::<()>(),
        |_, _| {},
    )
    .element("CacheParameterGroup", |x| {
        x.text("CacheParameterGroupName", &c.cache_parameter_group_name)
            .text("ParameterApplyStatus", &c.parameter_apply_status)
            .strings(
                "CacheNodeIdsToReboot",
                "CacheNodeId",
                &c.cache_node_ids_to_reboot,
            );
    })
    .opt("CacheSubnetGroupName", c.cache_subnet_group_name.as_ref());
    if show_nodes {
        x.list("CacheNodes", "CacheNode", &live_nodes, |x, node| {
            x.text("CacheNodeId", &node.id)
                .text("CacheNodeStatus", &node.status)
                .text("CacheNodeCreateTime", iso_time(node.created_ms))
                .element("Endpoint", |x| {
                    x.text("Address", host).text("Port", node.port);
                })
                .text("ParameterGroupStatus", &node.parameter_status)
                .text("CustomerAvailabilityZone", &node.availability_zone);
        });
    }
    x.bool("AutoMinorVersionUpgrade", c.auto_minor_version_upgrade)
        .list(
            "SecurityGroups",
            "member",
            &c.security_group_ids,
            |x, sg| {
                x.text("SecurityGroupId", sg).text("Status", "active");
            },
        )
        .opt("SnapshotRetentionLimit", c.snapshot_retention_limit)
        .opt("SnapshotWindow", c.snapshot_window.as_ref())
        .bool("AuthTokenEnabled", c.auth_token.is_some())
        .bool("TransitEncryptionEnabled", c.transit_encryption_enabled)
        .bool("AtRestEncryptionEnabled", false)
        .text("ARN", scope.arn("cluster", &c.id))
        .bool("ReplicationGroupLogDeliveryEnabled", false)
        .list(
            "LogDeliveryConfigurations",
            "LogDeliveryConfiguration",
            std::iter::empty::<()>(),
            |_, _| {},
        )
        .text("NetworkType", &c.network_type)
        .text("IpDiscovery", "ipv4");
    x.finish()
}
