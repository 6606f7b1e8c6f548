//! Create/Describe/Modify/DeleteCacheSubnetGroup. Subnets here only label where a
//! cluster "lives" (nodes run on the node host); a `default` group always exists.

use super::error::ApiError;
use super::page;
use super::query::Params;
use super::tags::read_tags;
use super::xml::Xml;
use crate::model::{valid_identifier, CacheCluster, CacheSubnetGroup, Scope};
use crate::store::{kind, Store};
use crate::ControlPlane;

const DEFAULT_GROUP: &str = "default";

fn default_group(scope: &Scope) -> CacheSubnetGroup {
    CacheSubnetGroup {
        name: DEFAULT_GROUP.into(),
        description: "default".into(),
        vpc_id: vpc_id(scope),
        subnet_ids: vec![format!(
            "subnet-{}",
            &scope_hash(scope, "default-subnet")[..17]
        )],
    }
}

fn scope_hash(scope: &Scope, salt: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(format!("{}/{salt}", scope.key()).as_bytes()))
}

/// The one VPC of an account's region, with a stable AWS-shaped id.
fn vpc_id(scope: &Scope) -> String {
    format!("vpc-{}", &scope_hash(scope, "vpc")[..17])
}

pub(super) fn load(store: &Store, scope: &Scope, name: &str) -> Result<CacheSubnetGroup, ApiError> {
    let name = name.to_ascii_lowercase();
    if name == DEFAULT_GROUP {
        return Ok(store
            .get(scope, kind::SUBNET_GROUP, &name)?
            .unwrap_or_else(|| default_group(scope)));
    }
    store.get(scope, kind::SUBNET_GROUP, &name)?.ok_or_else(|| {
        ApiError::subnet_group_not_found(format!("Cache subnet group {name} not found."))
    })
}

fn subnet_ids(params: &Params, required: bool) -> Result<Vec<String>, ApiError> {
    let ids = params.list("SubnetIds", "SubnetIdentifier")?;
    if ids.is_empty() && required {
        return Err(ApiError::missing_parameter(
            "The request must contain the parameter SubnetIds",
        ));
    }
    if let Some(bad) = ids.iter().find(|id| id.is_empty() || id.len() > 255) {
        return Err(ApiError::invalid_subnet(format!(
            "The subnet ID {bad} does not exist"
        )));
    }
    Ok(ids)
}

fn group_xml(x: &mut Xml, scope: &Scope, g: &CacheSubnetGroup) {
    x.text("CacheSubnetGroupName", &g.name)
        .text("CacheSubnetGroupDescription", &g.description)
        .text("VpcId", &g.vpc_id)
        .list(
            "Subnets",
            "Subnet",
            g.subnet_ids.iter().enumerate(),
            |x, (i, id)| {
                x.text("SubnetIdentifier", id)
                    .element("SubnetAvailabilityZone", |x| {
                        x.text(
                            "Name",
                            format!("{}{}", scope.region, (b'a' + (i % 3) as u8) as char),
                        );
                    })
                    .list("SupportedNetworkTypes", "member", ["ipv4"], |x, t| {
                        x.text_only(t);
                    });
            },
        )
        .text("ARN", scope.arn("subnetgroup", &g.name))
        .list("SupportedNetworkTypes", "member", ["ipv4"], |x, t| {
            x.text_only(t);
        });
}

pub(super) fn create(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheSubnetGroupName")?;
    let description = params.required("CacheSubnetGroupDescription")?.to_string();
    let ids = subnet_ids(params, true)?;
    if !valid_identifier(name, 255) {
        return Err(ApiError::invalid_parameter_value(
            "The parameter CacheSubnetGroupName is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
        ));
    }
    let name = name.to_ascii_lowercase();
    let tags = read_tags(params)?;
    let store = plane.store();
    if name == DEFAULT_GROUP
        || store
            .get::<CacheSubnetGroup>(scope, kind::SUBNET_GROUP, &name)?
            .is_some()
    {
        return Err(ApiError::subnet_group_already_exists(format!(
            "Cache subnet group {name} already exists."
        )));
    }
    let group = CacheSubnetGroup {
        name: name.clone(),
        description,
        vpc_id: vpc_id(scope),
        subnet_ids: ids,
    };
    store.put(scope, kind::SUBNET_GROUP, &name, &group)?;
    store.set_tags(&scope.arn("subnetgroup", &name), &tags)?;
    let mut x = Xml::new();
    x.element("CacheSubnetGroup", |x| group_xml(x, scope, &group));
    Ok(x.finish())
}

pub(super) fn describe(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let groups = {
        let store = plane.store();
        match params.str("CacheSubnetGroupName") {
            Some(name) => vec![load(&store, scope, name)?],
            None => {
                let mut all = vec![load(&store, scope, DEFAULT_GROUP)?];
                all.extend(
                    store
                        .list::<CacheSubnetGroup>(scope, kind::SUBNET_GROUP)?
                        .into_iter()
                        .filter(|g| g.name != DEFAULT_GROUP),
                );
                all
            }
        }
    };
    let (groups, marker) = page(groups, params)?;
    let mut x = Xml::new();
    x.opt("Marker", marker)
        .list("CacheSubnetGroups", "CacheSubnetGroup", &groups, |x, g| {
            group_xml(x, scope, g)
        });
    Ok(x.finish())
}

pub(super) fn modify(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheSubnetGroupName")?;
    let ids = subnet_ids(params, false)?;
    let store = plane.store();
    let mut group = load(&store, scope, name)?;
    if group.name == DEFAULT_GROUP {
        return Err(ApiError::invalid_parameter_value(
            "The default cache subnet group cannot be modified.",
        ));
    }
    if let Some(description) = params.string("CacheSubnetGroupDescription") {
        group.description = description;
    }
    if !ids.is_empty() {
        group.subnet_ids = ids;
    }
    store.put(scope, kind::SUBNET_GROUP, &group.name, &group)?;
    let mut x = Xml::new();
    x.element("CacheSubnetGroup", |x| group_xml(x, scope, &group));
    Ok(x.finish())
}

pub(super) fn delete(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let name = params.required("CacheSubnetGroupName")?;
    let store = plane.store();
    let group = load(&store, scope, name)?;
    if group.name == DEFAULT_GROUP {
        return Err(ApiError::invalid_parameter_value(
            "Cannot delete default cache subnet group",
        ));
    }
    let in_use = store
        .list::<CacheCluster>(scope, kind::CACHE_CLUSTER)?
        .iter()
        .any(|c| c.cache_subnet_group_name.as_deref() == Some(group.name.as_str()));
    if in_use {
        return Err(ApiError::subnet_group_in_use(format!(
            "Cache subnet group {} is currently in use by a cache cluster.",
            group.name
        )));
    }
    store.delete(scope, kind::SUBNET_GROUP, &group.name)?;
    store.delete_tags(&scope.arn("subnetgroup", &group.name))?;
    Ok(String::new())
}
