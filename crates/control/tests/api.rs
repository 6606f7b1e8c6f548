//! The Query protocol in process: requests straight into the router (no sockets, no
//! reconciler, so clusters stay `creating`), checking wire shapes and errors.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ferrocache_control::{ControlPlane, UpConfig};
use std::sync::Arc;
use tower::ServiceExt;

fn plane(name: &str) -> Arc<ControlPlane> {
    let dir = std::env::temp_dir().join(format!("ferrocache-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = UpConfig::new(dir);
    config.node_ports = (41000, 41999);
    ControlPlane::open(config).expect("open control plane")
}

async fn post(plane: &Arc<ControlPlane>, form: &str) -> (StatusCode, String) {
    let request = Request::post("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(format!("Version=2015-02-02&{form}")))
        .unwrap();
    let response = ferrocache_control::api::router(plane.clone())
        .oneshot(request)
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

#[tokio::test]
async fn lists_use_the_models_member_names() {
    let plane = plane("members");
    let (status, body) = post(
        &plane,
        "Action=CreateCacheSubnetGroup&CacheSubnetGroupName=g1&CacheSubnetGroupDescription=d&SubnetIds.SubnetIdentifier.1=subnet-a&SubnetIds.SubnetIdentifier.2=subnet-b",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.starts_with("<CreateCacheSubnetGroupResponse xmlns=\"http://elasticache.amazonaws.com/doc/2015-02-02/\"><CreateCacheSubnetGroupResult><CacheSubnetGroup>"));
    assert!(body.contains("<Subnets><Subnet><SubnetIdentifier>subnet-a</SubnetIdentifier>"));
    assert!(body.contains("<RequestId>"));

    // `.member.N` is not what the model names this list: the parameter is missing.
    let (status, body) = post(
        &plane,
        "Action=CreateCacheSubnetGroup&CacheSubnetGroupName=g2&CacheSubnetGroupDescription=d&SubnetIds.member.1=subnet-a",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("<Code>MissingParameter</Code>"), "{body}");
}

#[tokio::test]
async fn errors_carry_code_status_and_type() {
    let plane = plane("errors");
    let (status, body) = post(&plane, "Action=Nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("<Type>Sender</Type><Code>InvalidAction</Code>"),
        "{body}"
    );
    let (status, body) = post(&plane, "Action=DescribeCacheClusters&CacheClusterId=ghost").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(
        "<Code>CacheClusterNotFound</Code><Message>CacheCluster not found: ghost</Message>"
    ));
    let (status, body) = post(&plane, "Action=DescribeCacheClusters&MaxRecords=5").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("InvalidParameterValue"));
    let (_, body) = post(&plane, "").await;
    assert!(body.contains("<Code>MissingAction</Code>"));
}

#[tokio::test]
async fn describe_pages_with_marker() {
    let plane = plane("paging");
    for i in 0..25 {
        let (status, body) = post(
            &plane,
            &format!("Action=CreateCacheCluster&CacheClusterId=c{i}&Engine=memcached&CacheNodeType=cache.t3.micro"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("<CacheClusterStatus>creating</CacheClusterStatus>"));
    }
    let (_, first) = post(&plane, "Action=DescribeCacheClusters&MaxRecords=20").await;
    assert_eq!(first.matches("<CacheCluster>").count(), 20);
    let marker = first
        .split("<Marker>")
        .nth(1)
        .and_then(|rest| rest.split("</Marker>").next())
        .expect("a marker")
        .to_string();
    let (_, second) = post(
        &plane,
        &format!("Action=DescribeCacheClusters&MaxRecords=20&Marker={marker}"),
    )
    .await;
    assert_eq!(second.matches("<CacheCluster>").count(), 5);
    assert!(!second.contains("<Marker>"));
}

#[tokio::test]
async fn a_cluster_that_cannot_get_its_ports_leaves_nothing_behind() {
    let dir = std::env::temp_dir().join(format!("ferrocache-api-ports-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut config = UpConfig::new(dir);
    // At most two ports: the requested one and a range of one.
    config.node_ports = (41500, 41500);
    let plane = ControlPlane::open(config).expect("open control plane");
    let (status, body) = post(
        &plane,
        "Action=CreateCacheCluster&CacheClusterId=big&Engine=memcached&CacheNodeType=cache.t3.micro&NumCacheNodes=3",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("<Code>InsufficientCacheClusterCapacity</Code>"),
        "{body}"
    );
    let (_, body) = post(&plane, "Action=DescribeCacheClusters").await;
    assert!(!body.contains("<CacheCluster>"), "{body}");
}
