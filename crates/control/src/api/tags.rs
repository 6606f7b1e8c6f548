//! AddTagsToResource, ListTagsForResource, RemoveTagsFromResource: tags by ARN, for
//! every resource kind the control plane keeps.

use super::error::ApiError;
use super::query::Params;
use super::xml::Xml;
use crate::model::{CacheCluster, Scope};
use crate::store::{kind, Store};
use crate::ControlPlane;

/// ElastiCache's limit of tags on one resource.
const MAX_TAGS: usize = 50;

/// The `Tags.Tag.N.Key` / `.Value` pairs of a request.
pub(super) fn read_tags(params: &Params) -> Result<Vec<(String, String)>, ApiError> {
    let tags = params.structs("Tags", "Tag")?;
    if tags.len() > MAX_TAGS {
        return Err(ApiError::tag_quota(format!(
            "The request cannot be processed because it would cause the resource to have more than the allowed number of tags ({MAX_TAGS})."
        )));
    }
    tags.into_iter()
        .map(|mut tag| {
            let key = tag
                .remove("Key")
                .filter(|k| !k.is_empty())
                .ok_or_else(|| ApiError::invalid_parameter_value("Tag keys must not be empty."))?;
            if key.chars().count() > 128 {
                return Err(ApiError::invalid_parameter_value(format!(
                    "Tag key {key} is longer than 128 characters."
                )));
            }
            let value = tag.remove("Value").unwrap_or_default();
            if value.chars().count() > 256 {
                return Err(ApiError::invalid_parameter_value(format!(
                    "The value of tag {key} is longer than 256 characters."
                )));
            }
            Ok((key, value))
        })
        .collect()
}

/// Checks that `arn` names an existing resource of the caller's account and region.
fn resolve(plane: &ControlPlane, store: &Store, scope: &Scope, arn: &str) -> Result<(), ApiError> {
    let invalid = || ApiError::invalid_arn(format!("The ARN {arn} is not valid."));
    let parts: Vec<&str> = arn.splitn(7, ':').collect();
    let [prefix, partition, service, region, account, resource_kind, id] = parts[..] else {
        return Err(invalid());
    };
    if prefix != "arn" || !partition.starts_with("aws") || service != "elasticache" {
        return Err(invalid());
    }
    let same_scope = region == scope.region && account == scope.account;
    match resource_kind {
        "cluster" => {
            let found = same_scope
                && store
                    .get::<CacheCluster>(scope, kind::CACHE_CLUSTER, id)?
                    .is_some();
            if !found {
                return Err(ApiError::cluster_not_found(format!(
                    "CacheCluster not found: {id}"
                )));
            }
        }
        "subnetgroup" => {
            if !same_scope {
                return Err(ApiError::subnet_group_not_found(format!(
                    "Cache subnet group {id} not found."
                )));
            }
            super::subnet_groups::load(store, scope, id)?;
        }
        "parametergroup" => {
            let found = same_scope && plane.parameter_group(store, scope, id)?.is_some();
            if !found {
                return Err(ApiError::parameter_group_not_found(format!(
                    "CacheParameterGroup {id} not found."
                )));
            }
        }
        _ => return Err(invalid()),
    }
    Ok(())
}

fn tag_list(store: &Store, arn: &str) -> Result<String, ApiError> {
    let tags = store.tags(arn)?;
    let mut x = Xml::new();
    x.list("TagList", "Tag", &tags, |x, (key, value)| {
        x.text("Key", key).text("Value", value);
    });
    Ok(x.finish())
}

pub(super) fn add(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let arn = params.required("ResourceName")?;
    let tags = read_tags(params)?;
    if tags.is_empty() {
        return Err(ApiError::missing_parameter(
            "The request must contain the parameter Tags",
        ));
    }
    let store = plane.store();
    resolve(plane, &store, scope, arn)?;
    let existing = store.tags(arn)?;
    let added = tags
        .iter()
        .filter(|(k, _)| !existing.iter().any(|(e, _)| e == k))
        .count();
    if existing.len() + added > MAX_TAGS {
        return Err(ApiError::tag_quota(format!(
            "The request cannot be processed because it would cause the resource to have more than the allowed number of tags ({MAX_TAGS})."
        )));
    }
    store.set_tags(arn, &tags)?;
    tag_list(&store, arn)
}

pub(super) fn list(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let arn = params.required("ResourceName")?;
    let store = plane.store();
    resolve(plane, &store, scope, arn)?;
    tag_list(&store, arn)
}

pub(super) fn remove(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let arn = params.required("ResourceName")?;
    let keys = params.list("TagKeys", "member")?;
    if keys.is_empty() {
        return Err(ApiError::missing_parameter(
            "The request must contain the parameter TagKeys",
        ));
    }
    let store = plane.store();
    resolve(plane, &store, scope, arn)?;
    let existing = store.tags(arn)?;
    if let Some(missing) = keys.iter().find(|k| !existing.iter().any(|(e, _)| e == *k)) {
        return Err(ApiError::tag_not_found(format!(
            "The requested tagging key {missing} was not found."
        )));
    }
    store.remove_tags(arn, &keys)?;
    tag_list(&store, arn)
}
