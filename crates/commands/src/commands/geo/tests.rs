//! The geo commands end to end: requests through dispatch, replies as RESP.

use crate::client::Client;
use crate::config::Settings;
use crate::dispatch::execute;
use crate::node::Node;
use ferrocache_protocol::{Reply, RespVersion};
use std::sync::Arc;

fn cmd(node: &Arc<Node>, client: &mut Client, args: &[&str]) -> String {
    let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
    let mut out = Reply::new(RespVersion::Resp2);
    execute(node, client, &mut out, &args);
    String::from_utf8_lossy(&out.buf).into_owned()
}

fn setup() -> (Arc<Node>, Client) {
    let node = Node::new(Settings::default());
    let (shared, _pushed) = node.register_client("127.0.0.1:1".into(), "127.0.0.1:0".into());
    let mut client = Client::new(shared, true);
    let reply = cmd(
        &node,
        &mut client,
        &[
            "GEOADD",
            "Sicily",
            "13.361389",
            "38.115556",
            "Palermo",
            "15.087269",
            "37.502669",
            "Catania",
        ],
    );
    assert_eq!(reply, ":2\r\n");
    (node, client)
}

#[test]
fn positions_distances_and_hashes() {
    let (n, mut c) = setup();
    assert_eq!(
        cmd(&n, &mut c, &["GEOADD", "Sicily", "181", "0", "x"]),
        "-ERR invalid longitude,latitude pair 181.000000,0.000000\r\n"
    );
    assert_eq!(
        cmd(&n, &mut c, &["GEOPOS", "Sicily", "Palermo", "nope"]),
        "*2\r\n*2\r\n$20\r\n13.36138933897018433\r\n$20\r\n38.11555639549629859\r\n*-1\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &["GEODIST", "Sicily", "Palermo", "Catania", "km"]
        ),
        "$8\r\n166.2742\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &["GEODIST", "Sicily", "Palermo", "Catania", "x"]
        ),
        "-ERR unsupported unit provided. please use M, KM, FT, MI\r\n"
    );
    assert_eq!(
        cmd(&n, &mut c, &["GEOHASH", "Sicily", "Palermo", "Catania"]),
        "*2\r\n$11\r\nsqc8b49rny0\r\n$11\r\nsqdtr74hyu0\r\n"
    );
    assert_eq!(
        cmd(&n, &mut c, &["ZSCORE", "Sicily", "Palermo"]),
        "$16\r\n3479099956230698\r\n"
    );
}

#[test]
fn searches() {
    let (n, mut c) = setup();
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &[
                "GEORADIUS",
                "Sicily",
                "15",
                "37",
                "200",
                "km",
                "WITHDIST",
                "ASC"
            ]
        ),
        "*2\r\n*2\r\n$7\r\nCatania\r\n$7\r\n56.4413\r\n*2\r\n$7\r\nPalermo\r\n$8\r\n190.4424\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMMEMBER",
                "Palermo",
                "BYBOX",
                "400",
                "400",
                "km",
                "DESC",
                "COUNT",
                "1"
            ]
        ),
        "*1\r\n$7\r\nCatania\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &[
                "GEOSEARCH",
                "Sicily",
                "BYRADIUS",
                "1",
                "km",
                "ASC",
                "WITHDIST"
            ]
        ),
        "-ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for GEOSEARCH\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &[
                "GEOSEARCH",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYRADIUS",
                "1",
                "km",
                "ANY"
            ]
        ),
        "-ERR the ANY argument requires COUNT argument\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &[
                "GEOSEARCHSTORE",
                "d",
                "Sicily",
                "FROMLONLAT",
                "15",
                "37",
                "BYRADIUS",
                "200",
                "km",
                "STOREDIST"
            ]
        ),
        ":2\r\n"
    );
    assert_eq!(
        cmd(&n, &mut c, &["ZRANGE", "d", "0", "-1", "WITHSCORES"]),
        "*4\r\n$7\r\nCatania\r\n$18\r\n56.441257870158204\r\n$7\r\nPalermo\r\n$18\r\n190.44242984775784\r\n"
    );
    assert_eq!(
        cmd(
            &n,
            &mut c,
            &["GEORADIUS", "Sicily", "15", "37", "1", "m", "STORE", "d"]
        ),
        ":0\r\n"
    );
    assert_eq!(cmd(&n, &mut c, &["EXISTS", "d"]), ":0\r\n");
}
