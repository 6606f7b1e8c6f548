//! Provisioners start, stop and find cache-node processes. The reconciler only uses
//! the [`Provisioner`] trait, so other back ends (remote hosts, containers) can be
//! added without touching the API or the reconciler.
//!
//! [`LocalProcesses`] runs each node as a `ferrocache server` process on this machine,
//! in its own directory (`<data-dir>/nodes/<name>/`: config file, log, data) and its
//! own process group, so nodes outlive a crash of the control plane and are adopted
//! again when it restarts.

use crate::model::Engine;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What a node must be: everything needed to start it from scratch.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    /// Unique and stable across restarts of the control plane (names the directory).
    pub name: String,
    pub engine: Engine,
    pub host: String,
    pub port: u16,
    pub memory_bytes: u64,
    /// redis.conf lines for a Redis-engine node.
    pub redis_config: Vec<(String, String)>,
    /// Command-line flags for a memcached-engine node.
    pub memcached_flags: Vec<(String, String)>,
    pub auth_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProvisionError {
    #[error("cannot prepare node directory {0}: {1}")]
    Directory(PathBuf, std::io::Error),
    #[error("cannot start node process: {0}")]
    Spawn(std::io::Error),
}

pub trait Provisioner: Send + Sync {
    /// Starts the node; returns its process id.
    fn start(&self, spec: &NodeSpec) -> Result<u32, ProvisionError>;
    /// Stops the node's process (gracefully first) and waits for it.
    fn stop(&self, name: &str, pid: u32);
    /// Whether `pid` is still the node called `name`.
    fn is_running(&self, name: &str, pid: u32) -> bool;
    /// Forgets a node for good (its directory).
    fn destroy(&self, name: &str);
}

pub struct LocalProcesses {
    executable: PathBuf,
    nodes_dir: PathBuf,
    /// Processes this control plane started (reaped here); adopted ones are not children.
    children: Mutex<HashMap<u32, Child>>,
}

impl LocalProcesses {
    pub fn new(executable: PathBuf, data_dir: &Path) -> LocalProcesses {
        LocalProcesses {
            executable,
            nodes_dir: data_dir.join("nodes"),
            children: Mutex::new(HashMap::new()),
        }
    }

    fn node_dir(&self, name: &str) -> PathBuf {
        self.nodes_dir.join(name)
    }

    fn command(&self, spec: &NodeSpec, dir: &Path) -> Result<Command, ProvisionError> {
        let mut command = Command::new(&self.executable);
        command.arg("server");
        match spec.engine {
            Engine::Redis => {
                let mut conf =
                    String::from("# Written by ferrocache up; rewritten on every start.\n");
                let mut lines = vec![
                    ("port".to_string(), spec.port.to_string()),
                    ("bind".to_string(), spec.host.clone()),
                    ("protected-mode".to_string(), "no".to_string()),
                    ("dir".to_string(), dir.display().to_string()),
                    ("maxmemory".to_string(), spec.memory_bytes.to_string()),
                ];
                if let Some(token) = &spec.auth_token {
                    lines.push(("requirepass".to_string(), token.clone()));
                }
                lines.extend(spec.redis_config.iter().cloned());
                for (name, value) in lines {
                    conf.push_str(&format!("{name} {}\n", quote_conf(&value)));
                }
                let path = dir.join("node.conf");
                std::fs::write(&path, conf)
                    .map_err(|e| ProvisionError::Directory(path.clone(), e))?;
                command.arg(path);
            }
            Engine::Memcached => {
                let megabytes = (spec.memory_bytes / (1024 * 1024)).max(1);
                command.args(["--engine", "memcached"]);
                command.args(["-p", &spec.port.to_string(), "-l", &spec.host]);
                command.args(["-m", &megabytes.to_string()]);
                for (flag, value) in &spec.memcached_flags {
                    match value.as_str() {
                        // Boolean flags: present or absent.
                        "1" if flag == "-M" => {
                            command.arg(flag);
                        }
                        "0" if flag == "-M" => {}
                        _ => {
                            command.args([flag, value]);
                        }
                    }
                }
            }
        }
        Ok(command)
    }
}

fn quote_conf(value: &str) -> String {
    if !value.is_empty() && !value.contains(|c: char| c.is_whitespace() || c == '"' || c == '\'') {
        return value.to_string();
    }
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn signal(pid: u32, sig: i32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    // SAFETY: kill() only sends a signal; a wrong pid yields an error, not UB.
    unsafe { libc::kill(pid, sig) == 0 }
}

impl Provisioner for LocalProcesses {
    fn start(&self, spec: &NodeSpec) -> Result<u32, ProvisionError> {
        let dir = self.node_dir(&spec.name);
        std::fs::create_dir_all(&dir).map_err(|e| ProvisionError::Directory(dir.clone(), e))?;
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("node.log"))
            .map_err(|e| ProvisionError::Directory(dir.clone(), e))?;
        let log_err = log
            .try_clone()
            .map_err(|e| ProvisionError::Directory(dir.clone(), e))?;
        let mut command = self.command(spec, &dir)?;
        use std::os::unix::process::CommandExt;
        command
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            // Own process group: a Ctrl-C meant for `ferrocache up` does not reach the
            // nodes, which `up` stops itself (or leaves running to be adopted).
            .process_group(0);
        let child = command.spawn().map_err(ProvisionError::Spawn)?;
        let pid = child.id();
        self.children
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(pid, child);
        Ok(pid)
    }

    fn stop(&self, name: &str, pid: u32) {
        if !self.is_running(name, pid) {
            return;
        }
        signal(pid, libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.is_running(name, pid) {
            if Instant::now() > deadline {
                signal(pid, libc::SIGKILL);
                std::thread::sleep(Duration::from_millis(50));
                self.is_running(name, pid);
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.children
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&pid);
    }

    fn is_running(&self, name: &str, pid: u32) -> bool {
        let mut children = self.children.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(child) = children.get_mut(&pid) {
            return match child.try_wait() {
                Ok(None) => true,
                _ => {
                    children.remove(&pid);
                    false
                }
            };
        }
        drop(children);
        // Not our child (adopted after a restart): the pid must still be a process
        // working in this node's directory, or it was reused by something else.
        let cwd = std::fs::read_link(format!("/proc/{pid}/cwd"));
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        let zombie = stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
        !zombie && cwd.is_ok_and(|cwd| cwd == self.node_dir(name))
    }

    fn destroy(&self, name: &str) {
        let _ = std::fs::remove_dir_all(self.node_dir(name));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_values_are_quoted_when_needed() {
        assert_eq!(quote_conf("allkeys-lru"), "allkeys-lru");
        assert_eq!(quote_conf(""), "\"\"");
        assert_eq!(quote_conf("a b\"c"), "\"a b\\\"c\"");
    }
}
