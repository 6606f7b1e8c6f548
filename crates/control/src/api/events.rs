//! DescribeEvents: the lifecycle events the reconciler records, filtered by source,
//! type and time (the last hour unless told otherwise), oldest first.

use super::error::ApiError;
use super::page;
use super::query::Params;
use super::xml::Xml;
use crate::model::{iso_time, now_ms, Scope};
use crate::ControlPlane;

const SOURCE_TYPES: &[&str] = &[
    "cache-cluster",
    "cache-parameter-group",
    "cache-security-group",
    "cache-subnet-group",
    "replication-group",
    "serverless-cache",
    "serverless-cache-snapshot",
    "user",
    "user-group",
];

fn timestamp(params: &Params, name: &str) -> Result<Option<u64>, ApiError> {
    let Some(text) = params.str(name) else {
        return Ok(None);
    };
    let parsed = humantime::parse_rfc3339_weak(text)
        .ok()
        .or_else(|| {
            text.parse::<f64>()
                .ok()
                .map(|s| std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(s.max(0.0)))
        })
        .ok_or_else(|| {
            ApiError::invalid_parameter_value(format!("Invalid value for parameter {name}: {text}"))
        })?;
    Ok(parsed
        .duration_since(std::time::UNIX_EPOCH)
        .ok()
        .map(|d| d.as_millis() as u64))
}

pub(super) fn describe(
    plane: &ControlPlane,
    scope: &Scope,
    params: &Params,
) -> Result<String, ApiError> {
    let source_type = params.str("SourceType");
    if let Some(t) = source_type {
        if !SOURCE_TYPES.contains(&t) {
            return Err(ApiError::invalid_parameter_value(format!(
                "Invalid value for parameter SourceType: {t}"
            )));
        }
    }
    let source_id = params.str("SourceIdentifier");
    let now = now_ms();
    let end = timestamp(params, "EndTime")?.unwrap_or(now);
    let start = match (timestamp(params, "StartTime")?, params.int("Duration")?) {
        (Some(start), _) => start,
        (None, Some(minutes)) if minutes >= 0 => end.saturating_sub(minutes as u64 * 60_000),
        (None, Some(_)) => {
            return Err(ApiError::invalid_parameter_value(
                "The parameter Duration must be a non-negative integer.",
            ))
        }
        (None, None) => end.saturating_sub(60 * 60_000),
    };
    let events: Vec<_> = plane
        .store()
        .events(scope, start, end)?
        .into_iter()
        .filter(|e| source_type.is_none_or(|t| t == e.source_type))
        .filter(|e| source_id.is_none_or(|id| id.eq_ignore_ascii_case(&e.source_identifier)))
        .collect();
    let (events, marker) = page(events, params)?;
    let mut x = Xml::new();
    x.opt("Marker", marker)
        .list("Events", "Event", &events, |x, e| {
            x.text("SourceIdentifier", &e.source_identifier)
                .text("SourceType", &e.source_type)
                .text("Message", &e.message)
                .text("Date", iso_time(e.date_ms));
        });
    Ok(x.finish())
}
