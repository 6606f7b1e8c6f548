//! Test harness shared by the command groups' tests: a client connected to an
//! in-process node, sending requests through dispatch and reading RESP bytes back,
//! and builders for the replies tests expect.
#![allow(dead_code)] // each group's tests use the parts they need

use crate::blocking::Blocked;
use crate::client::Client;
use crate::config::Settings;
use crate::dispatch::{execute, forget_blocked, reply_timeout};
use crate::node::Node;
use ferrocache_protocol::{Reply, RespVersion};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;

pub struct Conn {
    pub node: Arc<Node>,
    pub client: Client,
    /// The protocol replies are written in (HELLO 3 switches it).
    pub version: RespVersion,
    pushed: UnboundedReceiver<Vec<u8>>,
}

impl Conn {
    /// A client of `node`.
    pub fn new(node: &Arc<Node>) -> Conn {
        Conn::from(node, "127.0.0.1:1")
    }

    /// A client of `node` connecting from `addr`.
    pub fn from(node: &Arc<Node>, addr: &str) -> Conn {
        let (shared, pushed) = node.register_client(addr.into(), "127.0.0.1:0".into());
        Conn {
            node: node.clone(),
            client: Client::new(shared, true),
            version: RespVersion::Resp2,
            pushed,
        }
    }

    /// A client of a fresh node with default settings.
    pub fn fresh() -> Conn {
        Conn::new(&node())
    }

    /// Runs a command; a command that blocks returns its [`Blocked`] and no reply.
    pub fn run_raw(&mut self, args: &[&[u8]]) -> (Vec<u8>, Option<Blocked>) {
        let mut out = Reply::new(self.version);
        let blocked = execute(&self.node, &mut self.client, &mut out, args);
        if args[0].eq_ignore_ascii_case(b"hello") {
            self.version = self.client.shared.resp_version();
        }
        (out.buf.to_vec(), blocked)
    }

    /// [`Conn::run_raw`] with text arguments and reply.
    pub fn run(&mut self, args: &[&str]) -> (String, Option<Blocked>) {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        let (reply, blocked) = self.run_raw(&args);
        (String::from_utf8_lossy(&reply).into_owned(), blocked)
    }

    /// The reply to `args`. A command that would block is answered as if its timeout
    /// had passed (the connection layer does the real waiting).
    pub fn raw(&mut self, args: &[&[u8]]) -> Vec<u8> {
        let (mut reply, blocked) = self.run_raw(args);
        if let Some(blocked) = blocked {
            forget_blocked(&self.node, &blocked);
            let mut out = Reply::new(self.version);
            reply_timeout(&mut out, &blocked.block);
            reply.extend_from_slice(&out.buf);
        }
        reply
    }

    /// [`Conn::raw`] with text arguments and reply.
    pub fn cmd(&mut self, args: &[&str]) -> String {
        let args: Vec<&[u8]> = args.iter().map(|a| a.as_bytes()).collect();
        String::from_utf8_lossy(&self.raw(&args)).into_owned()
    }

    /// Runs a blocked command again, as the connection does once woken.
    pub fn rerun(&mut self, blocked: &Blocked, args: &[&str]) -> (String, Option<Blocked>) {
        forget_blocked(&self.node, blocked);
        self.client.woken_from_block = true;
        let result = self.run(args);
        self.client.woken_from_block = false;
        result
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

/// A node whose write stream has a consumer, so propagated writes are counted in its
/// offset; database 0 is already selected on the stream.
pub fn recording_node() -> Arc<Node> {
    let node = node();
    node.stream.attach();
    node.stream.append(0, &[b"PING"]);
    node
}

pub fn int(n: i64) -> String {
    format!(":{n}\r\n")
}

pub fn bulk(s: &str) -> String {
    format!("${}\r\n{s}\r\n", s.len())
}

pub fn err(text: &str) -> String {
    format!("-{text}\r\n")
}

/// An array of bulk strings.
pub fn bulks(items: &[&str]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for item in items {
        s.push_str(&bulk(item));
    }
    s
}

/// An array of integers.
pub fn ints(items: &[i64]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for item in items {
        s.push_str(&int(*item));
    }
    s
}

/// An array of already encoded replies.
pub fn array(items: &[String]) -> String {
    format!("*{}\r\n{}", items.len(), items.concat())
}

pub const OK: &str = "+OK\r\n";
pub const NIL: &str = "$-1\r\n";
