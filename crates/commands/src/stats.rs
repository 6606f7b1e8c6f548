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
    /// The counters of the command counted last, kept out of `commands` until another
    /// command is counted or the stats are merged: a batch of one command (the usual
    /// pipeline, or a single request) never touches the map.
    recent: Option<(CommandKey, CommandStat)>,
    /// Error replies by their first word (INFO errorstats).
    pub errors: HashMap<String, u64>,
    pub total_commands: u64,
    pub net_input_bytes: u64,
    pub net_output_bytes: u64,
    pub error_replies: u64,
    pub reads: u64,
    pub writes: u64,
}

impl CommandStat {
    fn add(&mut self, other: &CommandStat) {
        self.calls += other.calls;
        self.usec += other.usec;
        self.rejected_calls += other.rejected_calls;
        self.failed_calls += other.failed_calls;
    }
}

impl ClientStats {
    /// The counters of `spec`, to count a call, a rejection or a failure.
    pub fn command(&mut self, spec: &'static CommandSpec) -> &mut CommandStat {
        let key = CommandKey(spec);
        if let Some((previous, counted)) = self.recent.take_if(|(k, _)| *k != key) {
            self.commands.entry(previous).or_default().add(&counted);
        }
        &mut self.recent.get_or_insert((key, CommandStat::default())).1
    }

    pub fn merge(&mut self, other: &ClientStats) {
        for (key, s) in other
            .commands
            .iter()
            .chain(other.recent.iter().map(|(k, s)| (k, s)))
        {
            self.commands.entry(*key).or_default().add(s);
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

    /// Zeroes every counter in place, keeping the maps' allocations for the next batch
    /// (building a fresh `ClientStats` costs a new hasher state per flush).
    pub fn reset(&mut self) {
        let ClientStats {
            commands,
            recent,
            errors,
            total_commands,
            net_input_bytes,
            net_output_bytes,
            error_replies,
            reads,
            writes,
        } = self;
        commands.clear();
        *recent = None;
        errors.clear();
        for counter in [
            total_commands,
            net_input_bytes,
            net_output_bytes,
            error_replies,
            reads,
            writes,
        ] {
            *counter = 0;
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_interleaved_commands_all_reach_the_merged_totals() {
        let node = crate::testing::node();
        let get = node.table.get(b"get").unwrap();
        let set = node.table.get(b"set").unwrap();
        let mut local = ClientStats::default();
        for spec in [get, get, set, get, set, set, set] {
            local.command(spec).calls += 1;
        }
        local.command(get).rejected_calls += 1;
        let mut totals = ClientStats::default();
        totals.merge(&local);
        local.reset();
        local.command(set).calls += 1;
        totals.merge(&local);
        let calls = |spec| {
            totals
                .commands
                .get(&CommandKey(spec))
                .map(|s| (s.calls, s.rejected_calls))
        };
        assert_eq!(calls(get), Some((3, 1)));
        assert_eq!(calls(set), Some((5, 0)));
    }
}
