//! API errors: one type that maps to the wire error code, HTTP status and message
//! ElastiCache gives (codes and statuses as botocore's model declares them).

use super::xml::escape;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub code: &'static str,
    pub status: u16,
    pub message: String,
}

macro_rules! faults {
    ($($fn_name:ident => $code:literal, $status:literal;)*) => {
        impl ApiError {
            $(
                pub fn $fn_name(message: impl Into<String>) -> ApiError {
                    ApiError { code: $code, status: $status, message: message.into() }
                }
            )*
        }
    };
}

faults! {
    missing_parameter => "MissingParameter", 400;
    missing_action => "MissingAction", 400;
    invalid_action => "InvalidAction", 400;
    invalid_parameter_value => "InvalidParameterValue", 400;
    invalid_parameter_combination => "InvalidParameterCombination", 400;
    invalid_signature => "SignatureDoesNotMatch", 403;
    incomplete_signature => "IncompleteSignature", 400;
    invalid_client_token => "InvalidClientTokenId", 403;
    internal => "InternalFailure", 500;
    cluster_not_found => "CacheClusterNotFound", 404;
    cluster_already_exists => "CacheClusterAlreadyExists", 400;
    invalid_cluster_state => "InvalidCacheClusterState", 400;
    node_quota_for_cluster => "NodeQuotaForClusterExceeded", 400;
    subnet_group_not_found => "CacheSubnetGroupNotFoundFault", 400;
    subnet_group_already_exists => "CacheSubnetGroupAlreadyExists", 400;
    subnet_group_in_use => "CacheSubnetGroupInUse", 400;
    invalid_subnet => "InvalidSubnet", 400;
    parameter_group_not_found => "CacheParameterGroupNotFound", 404;
    parameter_group_already_exists => "CacheParameterGroupAlreadyExists", 400;
    invalid_parameter_group_state => "InvalidCacheParameterGroupState", 400;
    invalid_arn => "InvalidARN", 400;
    tag_not_found => "TagNotFound", 404;
    tag_quota => "TagQuotaPerResourceExceeded", 400;
    insufficient_capacity => "InsufficientCacheClusterCapacity", 400;
}

impl ApiError {
    /// Query-protocol error body. `Type` is `Sender` for client faults.
    pub fn to_xml(&self, request_id: &str) -> String {
        let kind = if self.status >= 500 {
            "Receiver"
        } else {
            "Sender"
        };
        format!(
            "<ErrorResponse xmlns=\"{ns}\"><Error><Type>{kind}</Type><Code>{code}</Code><Message>{msg}</Message></Error><RequestId>{request_id}</RequestId></ErrorResponse>",
            ns = super::NAMESPACE,
            code = self.code,
            msg = escape(&self.message),
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl From<crate::store::StoreError> for ApiError {
    fn from(err: crate::store::StoreError) -> ApiError {
        eprintln!("ferrocache up: metadata store error: {err}");
        ApiError::internal(
            "An internal error has occurred. Please try your query again at a later time.",
        )
    }
}
