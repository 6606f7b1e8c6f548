//! The ElastiCache API: the AWS Query protocol over HTTP.
//!
//! A request is a form (`POST /` body, or the query string of a GET) with `Action`,
//! `Version` and the operation's parameters; the answer is XML in ElastiCache's
//! namespace: `<{Action}Response><{Action}Result>...</{Action}Result>
//! <ResponseMetadata><RequestId>...` or an `<ErrorResponse>` with the wire error code
//! and HTTP status botocore matches on. Operations live one resource per file; each
//! takes the caller's [`Scope`] and [`Params`] and returns the Result element's body.

mod cache_clusters;
pub mod error;
mod events;
mod parameter_groups;
pub mod query;
pub mod sigv4;
mod subnet_groups;
mod tags;
pub mod xml;

use crate::model::Scope;
use crate::ControlPlane;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use error::ApiError;
use query::Params;
use std::sync::Arc;

pub const NAMESPACE: &str = "http://elasticache.amazonaws.com/doc/2015-02-02/";
pub const API_VERSION: &str = "2015-02-02";
/// Largest request body accepted.
const MAX_BODY: usize = 1024 * 1024;

/// An operation: writes its Result element's children, or fails.
type Operation = fn(&ControlPlane, &Scope, &Params) -> Result<String, ApiError>;

/// Every operation, by Action name. `None` as the result marks operations whose
/// response has no Result element.
fn operation(action: &str) -> Option<(Operation, bool)> {
    use cache_clusters as cc;
    use parameter_groups as pg;
    use subnet_groups as sg;
    Some(match action {
        "CreateCacheCluster" => (cc::create as Operation, true),
        "DescribeCacheClusters" => (cc::describe, true),
        "ModifyCacheCluster" => (cc::modify, true),
        "DeleteCacheCluster" => (cc::delete, true),
        "RebootCacheCluster" => (cc::reboot, true),
        "CreateCacheSubnetGroup" => (sg::create, true),
        "DescribeCacheSubnetGroups" => (sg::describe, true),
        "ModifyCacheSubnetGroup" => (sg::modify, true),
        "DeleteCacheSubnetGroup" => (sg::delete, false),
        "CreateCacheParameterGroup" => (pg::create, true),
        "DescribeCacheParameterGroups" => (pg::describe, true),
        "ModifyCacheParameterGroup" => (pg::modify, true),
        "ResetCacheParameterGroup" => (pg::reset, true),
        "DeleteCacheParameterGroup" => (pg::delete, false),
        "DescribeCacheParameters" => (pg::describe_parameters, true),
        "DescribeEngineDefaultParameters" => (pg::engine_defaults, true),
        "DescribeCacheEngineVersions" => (pg::engine_versions, true),
        "AddTagsToResource" => (tags::add, true),
        "ListTagsForResource" => (tags::list, true),
        "RemoveTagsFromResource" => (tags::remove, true),
        "DescribeEvents" => (events::describe, true),
        _ => return None,
    })
}

pub fn router(plane: Arc<ControlPlane>) -> axum::Router {
    axum::Router::new()
        .fallback(handle)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(plane)
}

async fn handle(
    State(plane): State<Arc<ControlPlane>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let request_id = new_request_id();
    let outcome = tokio::task::spawn_blocking({
        let request_id = request_id.clone();
        move || serve(&plane, &method, &uri, &headers, &body, &request_id)
    })
    .await
    .unwrap_or_else(|_| Err(ApiError::internal("An internal error has occurred.")));
    match outcome {
        Ok(xml) => xml_response(StatusCode::OK, xml, &request_id),
        Err(err) => {
            let status = StatusCode::from_u16(err.status).unwrap_or(StatusCode::BAD_REQUEST);
            xml_response(status, err.to_xml(&request_id), &request_id)
        }
    }
}

fn xml_response(status: StatusCode, body: String, request_id: &str) -> Response {
    (
        status,
        [
            ("content-type", "text/xml"),
            ("x-amzn-requestid", request_id),
        ],
        body,
    )
        .into_response()
}

fn serve(
    plane: &ControlPlane,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    request_id: &str,
) -> Result<String, ApiError> {
    let mut params = Params::parse(uri.query().unwrap_or("").as_bytes());
    if method == Method::POST {
        params.merge(Params::parse(body));
    }
    let scope = authenticate(plane, method, uri, headers, body)?;
    let action = params
        .str("Action")
        .ok_or_else(|| ApiError::missing_action("Missing Action"))?
        .to_string();
    let Some((op, has_result)) = operation(&action) else {
        return Err(ApiError::invalid_action(format!(
            "The action {action} is not valid for this web service."
        )));
    };
    let result = op(plane, &scope, &params)?;
    let mut out = format!("<{action}Response xmlns=\"{NAMESPACE}\">");
    if has_result {
        out.push_str(&format!("<{action}Result>{result}</{action}Result>"));
    }
    out.push_str(&format!(
        "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></{action}Response>"
    ));
    Ok(out)
}

fn authenticate(
    plane: &ControlPlane,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Scope, ApiError> {
    let header = headers.get("authorization").and_then(|v| v.to_str().ok());
    let auth = header.map(sigv4::parse_authorization).transpose()?;
    if !plane.config.credentials.is_empty() {
        let Some(auth) = &auth else {
            return Err(ApiError {
                code: "MissingAuthenticationToken",
                status: 403,
                message: "Request is missing Authentication Token".into(),
            });
        };
        let Some(secret) = plane.config.credentials.get(auth.access_key) else {
            return Err(ApiError::invalid_client_token(
                "The security token included in the request is invalid.",
            ));
        };
        let header_pairs: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let request = sigv4::SignedRequest {
            method: method.as_str(),
            path: uri.path(),
            query: uri.query().unwrap_or(""),
            headers: &header_pairs,
            body,
        };
        if sigv4::expected_signature(auth, &request, secret) != auth.signature {
            return Err(ApiError::invalid_signature(
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
            ));
        }
    }
    Ok(sigv4::scope_for(auth.as_ref(), &plane.config.region))
}

fn new_request_id() -> String {
    let bytes: [u8; 16] = rand::random();
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `Marker`/`MaxRecords` paging, as the Describe operations do it: MaxRecords from 20
/// to 100 (default 100); the marker is opaque to the client.
pub fn page<T>(items: Vec<T>, params: &Params) -> Result<(Vec<T>, Option<String>), ApiError> {
    let max = match params.int("MaxRecords")? {
        None => 100,
        Some(n) if (20..=100).contains(&n) => n as usize,
        Some(_) => {
            return Err(ApiError::invalid_parameter_value(
                "The parameter MaxRecords must be between 20 and 100.",
            ))
        }
    };
    let start = match params.str("Marker") {
        None | Some("") => 0,
        Some(marker) => marker
            .strip_prefix("m-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| ApiError::invalid_parameter_value("Invalid marker"))?,
    };
    let total = items.len();
    let page: Vec<T> = items.into_iter().skip(start).take(max).collect();
    let next = (start + page.len() < total).then(|| format!("m-{}", start + page.len()));
    Ok((page, next))
}
