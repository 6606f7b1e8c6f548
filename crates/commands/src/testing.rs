//! Test harness shared by the command groups' tests: a client connected to an
//! in-process node, sending requests through dispatch and reading RESP bytes back.
#![allow(dead_code)] // each group's tests use the parts they need

use crate::client::Client;
use crate::config::Settings;
use crate::dispatch::execute;
use crate::node::Node;
use ferrocache_protocol::{Reply, RespVersion};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;

pub struct Conn {
    pub node: Arc<Node>,
    pub client: Client,
    pushed: UnboundedReceiver<Vec<u8>>,
}

impl Conn {
    /// A client of `node`.
    pub fn new(node: &Arc<Node>) -> Conn {
        let (shared, pushed) = node.register_client("127.0.0.1:1".into(), "127.0.0.1:0".into());
        Conn {
            node: node.clone(),
            client: Client::new(shared, true),
            pushed,
        }
    }

    /// A client of a fresh node with default settings.
    pub fn fresh() -> Conn {
        Conn::new(&node())
    }

    pub fn raw(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let mut out = Reply::new(RespVersion::Resp2);
        execute(&self.node, &mut self.client, &mut out, args);
        out.buf.to_vec()
    }

    /// The reply to `args`, as RESP text.
    pub fn cmd(&mut self, args: &[&str]) -> String {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        String::from_utf8_lossy(&self.raw(&args)).into_owned()
    }

    /// Frames pushed to this client (pub/sub, notifications) since the last call.
    pub fn pushed(&mut self) -> String {
        let mut all = String::new();
        while let Ok(frame) = self.pushed.try_recv() {
            all.push_str(&String::from_utf8_lossy(&frame));
        }
        all
    }
}

pub fn node() -> Arc<Node> {
    Node::new(Settings::default())
}
