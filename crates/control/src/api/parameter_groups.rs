//! Cache parameter groups (Create/Describe/Modify/Reset/Delete, DescribeCacheParameters),
//! DescribeEngineDefaultParameters and DescribeCacheEngineVersions. Every family has a
//! read-only `default.<family>` group; changing a group marks the clusters using it
//! for the reconciler, which applies the new values to their running nodes.

use super::error::ApiError;
use super::page;
use super::query::Params;
use super::tags::read_tags;
use super::xml::Xml;
use crate::engine::{self, ParameterDef};
use crate::model::{status, valid_identifier, CacheCluster, CacheParameterGroup, Scope};
use crate::store::{kind, Store};
use crate::{default_parameter_group, ControlPlane};

/// Most parameters one ModifyCacheParameterGroup call may change.
const MAX_CHANGES_PER_CALL: usize = 20;

fn load(
    plane: &ControlPlane,
    store: &Store,
    scope: &Scope,
    name: &str,
) -> Result<CacheParameterGroup, ApiError> {
    plane.parameter_group(store, scope, name)?.ok_or_else(|| {
        ApiError::parameter_group_not_found(format!("CacheParameterGroup {name} not found."))
    })
}

fn is_default(name: &str) -> bool {
    name.starts_with("default.")
}

fn group_xml(x: &mut Xml, scope: &Scope, g: &CacheParameterGroup) {
    x.text("CacheParameterGroupName", &g.name)
        .text("CacheParameterGroupFamily", &g.family)
        .text("Description", &g.description)
        .bool("IsGlobal", false)
        .text("ARN", scope.arn("parametergroup", &g.name));
}

pub(super) fn create(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheParameterGroupName")?;
    let family = params.required("CacheParameterGroupFamily")?.to_string();
    let description = params.required("Description")?.to_string();
    if !valid_identifier(name, 255) {
        return Err(ApiError::invalid_parameter_value(
            "The parameter CacheParameterGroupName is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
        ));
    }
    if engine::family_parameters(&family).is_none() {
        return Err(ApiError::invalid_parameter_value(format!(
            "The parameter CacheParameterGroupFamily {family} is not a valid family. Valid families: memcached1.6, redis7."
        )));
    }
    let name = name.to_ascii_lowercase();
    let tags = read_tags(params)?;
    let store = plane.store();
    if plane.parameter_group(&store, scope, &name)?.is_some() {
        return Err(ApiError::parameter_group_already_exists(format!(
            "Parameter group {name} already exists."
        )));
    }
    let group = CacheParameterGroup {
        name: name.clone(),
        family,
        description,
        overrides: Default::default(),
    };
    store.put(scope, kind::PARAMETER_GROUP, &name, &group)?;
    store.set_tags(&scope.arn("parametergroup", &name), &tags)?;
    let mut x = Xml::new();
    x.element("CacheParameterGroup", |x| group_xml(x, scope, &group));
    Ok(x.finish())
}

pub(super) fn describe(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let groups = {
        let store = plane.store();
        match params.str("CacheParameterGroupName") {
            Some(name) => vec![load(plane, &store, scope, name)?],
            None => {
                let mut all: Vec<CacheParameterGroup> = engine::ENGINE_VERSIONS
                    .iter()
                    .map(|v| default_parameter_group(v.family))
                    .collect();
                all.extend(store.list::<CacheParameterGroup>(scope, kind::PARAMETER_GROUP)?);
                all
            }
        }
    };
    let (groups, marker) = page(groups, params)?;
    let mut x = Xml::new();
    x.opt("Marker", marker).list(
        "CacheParameterGroups",
        "CacheParameterGroup",
        &groups,
        |x, g| group_xml(x, scope, g),
    );
    Ok(x.finish())
}

/// Marks every cluster using `group` so the reconciler applies its values.
fn mark_clusters(store: &Store, scope: &Scope, group: &str) -> Result<(), ApiError> {
    for mut cluster in store.list::<CacheCluster>(scope, kind::CACHE_CLUSTER)? {
        if cluster.cache_parameter_group_name == group && cluster.status != status::DELETING {
            cluster.config_dirty = true;
            cluster.parameter_apply_status = status::APPLYING.into();
            store.put(scope, kind::CACHE_CLUSTER, &cluster.id, &cluster)?;
        }
    }
    Ok(())
}

fn name_values(params: &Params) -> Result<Vec<(String, Option<String>)>, ApiError> {
    let items = params.structs("ParameterNameValues", "ParameterNameValue")?;
    if items.len() > MAX_CHANGES_PER_CALL {
        return Err(ApiError::invalid_parameter_value(format!(
            "At most {MAX_CHANGES_PER_CALL} parameters can be modified in one request."
        )));
    }
    items
        .into_iter()
        .map(|mut item| {
            let name = item.remove("ParameterName").ok_or_else(|| {
                ApiError::invalid_parameter_value(
                    "ParameterName must be provided for each parameter.",
                )
            })?;
            Ok((name, item.remove("ParameterValue")))
        })
        .collect()
}

fn find_def(family: &str, name: &str) -> Result<&'static ParameterDef, ApiError> {
    engine::family_parameters(family)
        .unwrap_or(&[])
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(|| ApiError::invalid_parameter_value(format!("Unrecognized parameter: {name}")))
}

fn modifiable_group(
    plane: &ControlPlane,
    store: &Store,
    scope: &Scope,
    name: &str,
) -> Result<CacheParameterGroup, ApiError> {
    let group = load(plane, store, scope, name)?;
    if is_default(&group.name) {
        return Err(ApiError::invalid_parameter_group_state(format!(
            "The default parameter group {} cannot be modified.",
            group.name
        )));
    }
    Ok(group)
}

pub(super) fn modify(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheParameterGroupName")?;
    let changes = name_values(params)?;
    if changes.is_empty() {
        return Err(ApiError::missing_parameter(
            "The request must contain the parameter ParameterNameValues",
        ));
    }
    let store = plane.store();
    let mut group = modifiable_group(plane, &store, scope, name)?;
    for (param, value) in &changes {
        let def = find_def(&group.family, param)?;
        if !def.modifiable {
            return Err(ApiError::invalid_parameter_value(format!(
                "Parameter {param} is not modifiable."
            )));
        }
        let value = value.as_deref().unwrap_or("");
        if !engine::value_allowed(def, value) {
            return Err(ApiError::invalid_parameter_value(format!(
                "Value {value} for parameter {param} is invalid. Allowed values: {}",
                def.allowed
            )));
        }
    }
    for (param, value) in changes {
        group.overrides.insert(param, value.unwrap_or_default());
    }
    store.put(scope, kind::PARAMETER_GROUP, &group.name, &group)?;
    mark_clusters(&store, scope, &group.name)?;
    drop(store);
    plane.wake_reconciler();
    let mut x = Xml::new();
    x.text("CacheParameterGroupName", &group.name);
    Ok(x.finish())
}

pub(super) fn reset(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheParameterGroupName")?;
    let all = params.bool("ResetAllParameters")?.unwrap_or(false);
    let changes = name_values(params)?;
    if all != changes.is_empty() {
        return Err(ApiError::invalid_parameter_combination(
            "Either ResetAllParameters or ParameterNameValues must be given, not both.",
        ));
    }
    let store = plane.store();
    let mut group = modifiable_group(plane, &store, scope, name)?;
    if all {
        group.overrides.clear();
    } else {
        for (param, _) in &changes {
            find_def(&group.family, param)?;
            group.overrides.remove(param);
        }
    }
    store.put(scope, kind::PARAMETER_GROUP, &group.name, &group)?;
    mark_clusters(&store, scope, &group.name)?;
    drop(store);
    plane.wake_reconciler();
    let mut x = Xml::new();
    x.text("CacheParameterGroupName", &group.name);
    Ok(x.finish())
}

pub(super) fn delete(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheParameterGroupName")?;
    let store = plane.store();
    let group = load(plane, &store, scope, name)?;
    if is_default(&group.name) {
        return Err(ApiError::invalid_parameter_group_state(format!(
            "The default parameter group {} cannot be deleted.",
            group.name
        )));
    }
    let in_use = store
        .list::<CacheCluster>(scope, kind::CACHE_CLUSTER)?
        .iter()
        .any(|c| c.cache_parameter_group_name == group.name);
    if in_use {
        return Err(ApiError::invalid_parameter_group_state(format!(
            "One or more cache clusters are still members of this parameter group {}, so the group cannot be deleted.",
            group.name
        )));
    }
    store.delete(scope, kind::PARAMETER_GROUP, &group.name)?;
    store.delete_tags(&scope.arn("parametergroup", &group.name))?;
    Ok(String::new())
}

fn parameter_xml(x: &mut Xml, def: &ParameterDef, value: &str, source: &str) {
    x.text("ParameterName", def.name)
        .text("ParameterValue", value)
        .text("Description", def.description)
        .text("Source", source)
        .text("DataType", def.data_type)
        .opt("AllowedValues", Some(def.allowed).filter(|a| !a.is_empty()))
        .bool("IsModifiable", def.modifiable)
        .text("MinimumEngineVersion", def.min_version)
        .text("ChangeType", def.change_type);
}

/// The node-type-specific parameters: each node type's memory.
fn node_type_parameters(x: &mut Xml, family: &str) {
    let redis = engine::family_engine(family) == Some(crate::model::Engine::Redis);
    let (name, description, scale) = if redis {
        (
            "maxmemory",
            "The maximum configurable amount of memory to use to store items, in bytes.",
            1,
        )
    } else {
        (
            "max_cache_memory",
            "The maximum configurable amount of memory to use to store items, in megabytes.",
            1024 * 1024,
        )
    };
    x.list(
        "CacheNodeTypeSpecificParameters",
        "CacheNodeTypeSpecificParameter",
        [()],
        |x, _| {
            x.text("ParameterName", name)
                .text("Description", description)
                .text("Source", "system")
                .text("DataType", "integer")
                .bool("IsModifiable", false)
                .text(
                    "MinimumEngineVersion",
                    if redis { "2.8.6" } else { "1.4.5" },
                )
                .list(
                    "CacheNodeTypeSpecificValues",
                    "CacheNodeTypeSpecificValue",
                    engine::NODE_TYPES,
                    |x, (node_type, bytes)| {
                        x.text("CacheNodeType", node_type)
                            .text("Value", bytes / scale);
                    },
                )
                .text("ChangeType", "immediate");
        },
    );
}

pub(super) fn describe_parameters(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheParameterGroupName")?;
    let group = {
        let store = plane.store();
        load(plane, &store, scope, name)?
    };
    let source_filter = params.str("Source");
    let rows: Vec<(&ParameterDef, String, &str)> = engine::family_parameters(&group.family)
        .unwrap_or(&[])
        .iter()
        .map(|def| match group.overrides.get(def.name) {
            Some(value) => (def, value.clone(), "user"),
            None => (def, def.default.to_string(), "system"),
        })
        .filter(|(_, _, source)| match source_filter {
            None => true,
            Some("engine-default") => *source == "system",
            Some(filter) => filter == *source,
        })
        .collect();
    let (rows, marker) = page(rows, params)?;
    let mut x = Xml::new();
    x.opt("Marker", marker.as_ref()).list(
        "Parameters",
        "Parameter",
        &rows,
        |x, (def, value, source)| parameter_xml(x, def, value, source),
    );
    if marker.is_none() && source_filter != Some("user") {
        node_type_parameters(&mut x, &group.family);
    }
    Ok(x.finish())
}

pub(super) fn engine_defaults(
    _plane: &ControlPlane,
    _scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let family = params.required("CacheParameterGroupFamily")?;
    let defs = engine::family_parameters(family).ok_or_else(|| {
        ApiError::invalid_parameter_value(format!(
            "The parameter CacheParameterGroupFamily {family} is not a valid family. Valid families: memcached1.6, redis7."
        ))
    })?;
    let (defs, marker) = page(defs.iter().collect(), params)?;
    let mut x = Xml::new();
    x.element("EngineDefaults", |x| {
        x.text("CacheParameterGroupFamily", family)
            .opt("Marker", marker.as_ref())
            .list("Parameters", "Parameter", &defs, |x, def| {
                parameter_xml(x, def, def.default, "system")
            });
        if marker.is_none() {
            node_type_parameters(x, family);
        }
    });
    Ok(x.finish())
}

pub(super) fn engine_versions(
    _plane: &ControlPlane,
    _scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let engine_filter = params.str("Engine");
    let version_filter = params.str("EngineVersion");
    let family_filter = params.str("CacheParameterGroupFamily");
    if let Some(family) = family_filter {
        if engine::family_parameters(family).is_none() {
            return Err(ApiError::invalid_parameter_value(format!(
                "The parameter CacheParameterGroupFamily {family} is not a valid family."
            )));
        }
    }
    let versions: Vec<_> = engine::ENGINE_VERSIONS
        .iter()
        .filter(|v| engine_filter.is_none_or(|e| e == v.engine.name()))
        .filter(|v| {
            version_filter.is_none_or(|want| {
                v.version == want
                    || v.version
                        .strip_prefix(want)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        })
        .filter(|v| family_filter.is_none_or(|f| f == v.family))
        .collect();
    let (versions, marker) = page(versions, params)?;
    let mut x = Xml::new();
    x.opt("Marker", marker).list(
        "CacheEngineVersions",
        "CacheEngineVersion",
        &versions,
        |x, v| {
            x.text("Engine", v.engine.name())
                .text("EngineVersion", v.version)
                .text("CacheParameterGroupFamily", v.family)
                .text("CacheEngineDescription", v.engine_description)
                .text("CacheEngineVersionDescription", v.version_description);
        },
    );
    Ok(x.finish())
}
