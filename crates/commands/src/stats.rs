//! Counters for INFO: per-client accumulators (so the hot path never touches a shared
//! cache line) that INFO adds up, plus the totals of clients that already left.

use crate::table::CommandSpec;
use hashbrown::HashMap;
use rustc_hash::FxBuildHasher;

/// A command as a map key: compared and hashed by address (every spec is one static,
/// reached through the command table), so counting a call hashes one word.
#[derive(Clone, Copy)]
pub struct CommandKey(pub &'static CommandSpec);

impl std::fmt::Debug for CommandKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl PartialEq for CommandKey {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for CommandKey {}

impl std::hash::Hash for CommandKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::ptr::hash(self.0, state)
    }
}

/// Calls and time of one command (INFO commandstats).
#[derive(Debug, Default, Clone, Copy)]
pub struct CommandStat {
    pub calls: u64,
    pub usec: u64,
    pub rejected_calls: u64,
    pub failed_calls: u64,
}

#[derive(Debug, Default, Clone)]
pub struct ClientStats {
    pub commands: HashMap<CommandKey, CommandStat, FxBuildHasher>,
    /// Error replies by their first word (INFO errorstats).
    pub errors: HashMap<String, u64>,
    pub total_commands: u64,
    pub net_input_bytes: u64,
    pub net_output_bytes: u64,
    pub error_replies: u64,
    pub reads: u64,
    pub writes: u64,
}

impl ClientStats {
    pub fn merge(&mut self, other: &ClientStats) {
        for (key, s) in &other.commands {
            let e = self.commands.entry(*key).or_default();
            e.calls += s.calls;
            e.usec += s.usec;
            e.rejected_calls += s.rejected_calls;
            e.failed_calls += s.failed_calls;
        }
        for (code, n) in &other.errors {
            *self.errors.entry(code.clone()).or_default() += n;
        }
        self.total_commands += other.total_commands;
        self.net_input_bytes += other.net_input_bytes;
        self.net_output_bytes += other.net_output_bytes;
        self.error_replies += other.error_replies;
        self.reads += other.reads;
        self.writes += other.writes;
    }

    /// Zeroes every counter, keeping the maps' allocations for the next batch.
    pub fn reset(&mut self) {
        let mut commands = std::mem::take(&mut self.commands);
        let mut errors = std::mem::take(&mut self.errors);
        commands.clear();
        errors.clear();
        *self = ClientStats {
            commands,
            errors,
            ..ClientStats::default()
        };
    }

    /// Records an error reply (its text without the leading `-`).
    pub fn record_error(&mut self, text: &[u8]) {
        let code = text
            .split(|&b| b == b' ')
            .next()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .unwrap_or_default();
        self.error_replies += 1;
        // redis-server keeps at most 128 distinct error codes.
        if self.errors.len() < 128 || self.errors.contains_key(&code) {
            *self.errors.entry(code).or_default() += 1;
        }
    }
}
