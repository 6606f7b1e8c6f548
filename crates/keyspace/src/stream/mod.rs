//! The stream value: an append-only log of entries keyed by [`StreamId`], plus its
//! consumer groups (see [`group`]).
//!
//! ```text
//!  Stream
//!   ├─ log: VecDeque<Node>     nodes in ID order, each holding up to
//!   │    Node { ids, offsets, data }   `stream-node-max-entries` entries
//!   │                                  (or about `stream-node-max-bytes` of data)
//!   └─ groups: BTreeMap<name, Group>   consumer groups, in name order
//! ```
//!
//! Memory: a node packs its entries into one byte buffer (`data`: per entry a varint
//! pair count, then varint-prefixed fields and values), with a 16-byte ID and a
//! 4-byte offset beside it. An entry therefore costs 20 bytes plus its payload and a
//! byte of length per field or value, and no allocation of its own; a node costs
//! three vectors, amortised over up to 100 entries. This is the same idea as
//! redis-server's listpack nodes under a radix tree (without the field-name
//! compression against a master entry), and it keeps the node boundaries that
//! approximate trimming (`MAXLEN ~`, `MINID ~`) is defined by: only whole nodes are
//! removed, so results match redis-server's. A BTreeMap of boxed entries would cost
//! a node allocation plus an entry allocation per entry (60+ bytes of overhead).
//!
//! Deleted entries (XDEL, exact trimming inside a node) are flagged, not removed,
//! like redis-server's tombstones: they still count toward the node's capacity, and
//! a node whose entries are all deleted is dropped. Lookups binary-search the nodes
//! by first ID, then the IDs inside the node.

pub mod group;
mod node;

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

pub use group::{Consumer, Group, Nack, ENTRIES_READ_INVALID};
pub use node::Entry;
use node::Node;

/// A stream entry ID: `<ms>-<seq>`, ordered by ms then seq.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next ID, or None after the last possible one.
    pub fn next(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The previous ID, or None before 0-0.
    pub fn prev(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    pub fn is_zero(self) -> bool {
        self == StreamId::MIN
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// The largest payload a single entry may have (redis-server's listpack limit).
pub const MAX_ENTRY_BYTES: usize = 1 << 30;

/// How XADD chooses the new entry's ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewId {
    /// `*`: the current time, or the last ID's successor.
    Auto,
    /// `<ms>-*`: the given time, with the next free sequence.
    Ms(u64),
    /// `<ms>-<seq>`.
    Exact(StreamId),
}

/// Why an entry could not be appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddError {
    /// The ID is not greater than the stream's last ID.
    NotGreater,
    /// The fields and values exceed [`MAX_ENTRY_BYTES`].
    TooLarge,
}

/// Node size limits (`stream-node-max-entries`, `stream-node-max-bytes`; 0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeLimits {
    pub max_entries: usize,
    pub max_bytes: usize,
}

/// How a trim decides what goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trim {
    /// Keep at most this many entries.
    MaxLen(u64),
    /// Remove entries with IDs below this one.
    MinId(StreamId),
}

/// A stream. See the module docs for the layout.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    log: Log,
    /// Consumer groups by name.
    pub groups: BTreeMap<Box<[u8]>, Group>,
}

/// The entries and the counters that describe them.
#[derive(Debug, Clone, Default)]
pub struct Log {
    nodes: VecDeque<Node>,
    length: u64,
    /// The greatest ID ever added (or set by XSETID).
    pub last_id: StreamId,
    /// The first live entry's ID (0-0 when empty).
    pub first_id: StreamId,
    /// The greatest ID ever deleted (XDEL).
    pub max_deleted_id: StreamId,
    /// Entries ever added.
    pub entries_added: u64,
}

impl Log {
    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Number of nodes (XINFO's `radix-tree-keys`).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Index of the node that may hold `id`: the last whose first ID is <= id.
    fn node_for(&self, id: StreamId) -> usize {
        self.nodes
            .partition_point(|n| n.first_id() <= id)
            .saturating_sub(1)
    }

    /// Live entries with start <= ID <= end, ascending.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
    ) -> impl Iterator<Item = (StreamId, Entry<'_>)> + '_ {
        let first = self.node_for(start);
        self.nodes
            .range(first..)
            .take_while(move |n| n.first_id() <= end)
            .flat_map(|n| n.entries())
            .skip_while(move |(id, _)| *id < start)
            .take_while(move |(id, _)| *id <= end)
    }

    /// Live entries with start <= ID <= end, descending.
    pub fn range_rev(
        &self,
        start: StreamId,
        end: StreamId,
    ) -> impl Iterator<Item = (StreamId, Entry<'_>)> + '_ {
        let count = self.nodes.partition_point(|n| n.first_id() <= end);
        self.nodes
            .range(..count)
            .rev()
            .take_while(move |n| n.last_id() >= start)
            .flat_map(|n| n.entries().rev())
            .skip_while(move |(id, _)| *id > end)
            .take_while(move |(id, _)| *id >= start)
    }

    /// The live entry with this ID.
    pub fn get(&self, id: StreamId) -> Option<Entry<'_>> {
        let node = self.nodes.get(self.node_for(id))?;
        let index = node.ids.binary_search(&id).ok()?;
        (!node.is_deleted(index)).then(|| node.entry(index))
    }

    pub fn contains(&self, id: StreamId) -> bool {
        self.get(id).is_some()
    }

    /// The first live ID, if any.
    pub fn first_live(&self) -> Option<StreamId> {
        self.range(StreamId::MIN, StreamId::MAX)
            .next()
            .map(|(id, _)| id)
    }

    /// The last live ID, if any.
    pub fn last_live(&self) -> Option<StreamId> {
        self.range_rev(StreamId::MIN, StreamId::MAX)
            .next()
            .map(|(id, _)| id)
    }

    /// The ID XADD would give `new`, or why it cannot.
    pub fn resolve_id(&self, new: NewId, now_ms: u64) -> Result<StreamId, AddError> {
        let last = self.last_id;
        let id = match new {
            NewId::Auto if now_ms > last.ms => StreamId::new(now_ms, 0),
            NewId::Auto => last.next().ok_or(AddError::NotGreater)?,
            NewId::Ms(ms) if ms == last.ms => {
                if last.seq == u64::MAX {
                    return Err(AddError::NotGreater);
                }
                StreamId::new(ms, last.seq + 1)
            }
            NewId::Ms(ms) => StreamId::new(ms, 0),
            NewId::Exact(id) => id,
        };
        if id <= last {
            return Err(AddError::NotGreater);
        }
        Ok(id)
    }

    /// Appends an entry of field-value `pairs` (flattened) under `new`'s ID.
    pub fn add(
        &mut self,
        new: NewId,
        pairs: &[&[u8]],
        limits: NodeLimits,
        now_ms: u64,
    ) -> Result<StreamId, AddError> {
        let id = self.resolve_id(new, now_ms)?;
        let payload: usize = pairs.iter().map(|p| p.len()).sum();
        if payload > MAX_ENTRY_BYTES {
            return Err(AddError::TooLarge);
        }
        let max_bytes = match limits.max_bytes {
            0 => MAX_ENTRY_BYTES,
            n => n.min(MAX_ENTRY_BYTES),
        };
        let need_node = match self.nodes.back() {
            None => true,
            Some(node) => {
                node.data.len() + payload >= max_bytes
                    || (limits.max_entries > 0 && node.ids.len() >= limits.max_entries)
            }
        };
        if need_node {
            if let Some(node) = self.nodes.back_mut() {
                node.data.shrink_to_fit();
                node.ids.shrink_to_fit();
                node.offsets.shrink_to_fit();
            }
            self.nodes.push_back(Node::default());
        }
        let Some(node) = self.nodes.back_mut() else {
            return Err(AddError::TooLarge);
        };
        node.ids.push(id);
        node.offsets.push(node.data.len() as u32);
        node.data.reserve(payload + pairs.len() * 2 + 2);
        node::write_varint(&mut node.data, pairs.len() / 2);
        for item in pairs {
            node::write_varint(&mut node.data, item.len());
            node.data.extend_from_slice(item);
        }
        node.live += 1;
        self.length += 1;
        self.entries_added += 1;
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(id)
    }

    /// Deletes the entry with this ID (XDEL); true when it existed.
    pub fn delete(&mut self, id: StreamId) -> bool {
        let at = self.node_for(id);
        let Some(node) = self.nodes.get_mut(at) else {
            return false;
        };
        let Ok(index) = node.ids.binary_search(&id) else {
            return false;
        };
        if !node.delete(index) {
            return false;
        }
        if node.live == 0 {
            self.nodes.remove(at);
        }
        self.length -= 1;
        if id > self.max_deleted_id {
            self.max_deleted_id = id;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if id == self.first_id {
            self.first_id = self.first_live().unwrap_or_default();
        }
        true
    }

    /// Removes entries from the head as `trim` asks. With `approx`, only whole nodes
    /// go; `limit` (0: none) caps the entries removed. Returns how many went.
    pub fn trim(&mut self, trim: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted = 0u64;
        while let Some(node) = self.nodes.front_mut() {
            if let Trim::MaxLen(max) = trim {
                if self.length <= max {
                    break;
                }
            }
            let entries = node.live as u64;
            if limit > 0 && deleted + entries > limit {
                break;
            }
            let whole = match trim {
                Trim::MaxLen(max) => self.length - entries >= max,
                Trim::MinId(min) => node.last_id() < min,
            };
            if whole {
                self.nodes.pop_front();
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            for index in 0..node.ids.len() {
                let stop = match trim {
                    Trim::MaxLen(max) => self.length <= max,
                    Trim::MinId(min) => node.ids[index] >= min,
                };
                if stop {
                    break;
                }
                if node.delete(index) {
                    self.length -= 1;
                    deleted += 1;
                }
            }
            if node.live == 0 {
                self.nodes.pop_front();
            }
            break;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.first_id = self.first_live().unwrap_or_default();
        }
        deleted
    }

    /// True when a deleted entry may lie between `start` and `end` (None: the end).
    pub fn range_has_tombstones(&self, start: StreamId, end: Option<StreamId>) -> bool {
        if self.length == 0 || self.max_deleted_id.is_zero() {
            return false;
        }
        if self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id && self.max_deleted_id <= end.unwrap_or(StreamId::MAX)
    }

    /// The logical read counter of `id` (entries added up to it), when it can be
    /// known without walking the stream; [`ENTRIES_READ_INVALID`] otherwise.
    pub fn estimate_distance(&self, id: StreamId) -> i64 {
        if self.entries_added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return self.entries_added as i64;
        }
        if id == self.last_id {
            return self.entries_added as i64;
        }
        if id > self.last_id {
            return ENTRIES_READ_INVALID;
        }
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            if id < self.first_id {
                return (self.entries_added - self.length) as i64;
            }
            if id == self.first_id {
                return (self.entries_added - self.length + 1) as i64;
            }
        }
        ENTRIES_READ_INVALID
    }

    /// A group's lag (entries not yet delivered to it), when it can be known. It can
    /// be negative when the group's counter was set ahead (XGROUP ... ENTRIESREAD).
    pub fn lag(&self, group: &Group) -> Option<i64> {
        let added = self.entries_added as i64;
        if self.entries_added == 0 {
            return Some(0);
        }
        if group.entries_read != ENTRIES_READ_INVALID
            && !self.range_has_tombstones(group.last_id, None)
        {
            return Some(added - group.entries_read);
        }
        let read = self.estimate_distance(group.last_id);
        (read != ENTRIES_READ_INVALID).then_some(added - read)
    }

    /// Moves a group's last delivered ID forward to `id`, keeping its read counter.
    pub fn advance_group(&self, group: &mut Group, id: StreamId) {
        if id <= group.last_id {
            return;
        }
        if group.entries_read != ENTRIES_READ_INVALID && !self.range_has_tombstones(id, None) {
            group.entries_read += 1;
        } else if self.entries_added > 0 {
            group.entries_read = self.estimate_distance(id);
        }
        group.last_id = id;
    }
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    pub fn log(&self) -> &Log {
        &self.log
    }

    pub fn log_mut(&mut self) -> &mut Log {
        &mut self.log
    }

    /// The log and the groups, borrowed apart (a group changes while entries are read).
    pub fn parts_mut(&mut self) -> (&Log, &mut BTreeMap<Box<[u8]>, Group>) {
        (&self.log, &mut self.groups)
    }

    pub fn len(&self) -> u64 {
        self.log.length
    }

    pub fn is_empty(&self) -> bool {
        self.log.length == 0
    }

    pub fn group(&self, name: &[u8]) -> Option<&Group> {
        self.groups.get(name)
    }

    pub fn group_mut(&mut self, name: &[u8]) -> Option<&mut Group> {
        self.groups.get_mut(name)
    }

    /// Creates a group; false when the name is taken.
    pub fn create_group(&mut self, name: &[u8], last_id: StreamId, entries_read: i64) -> bool {
        if self.groups.contains_key(name) {
            return false;
        }
        self.groups
            .insert(name.into(), Group::new(last_id, entries_read));
        true
    }

    /// Delivers to `consumer` of `group` the entries after the group's last ID, at
    /// most `count` (0: all): advances the group and, unless `noack`, records them as
    /// pending for the consumer. Returns the delivered IDs.
    pub fn deliver_new(
        &mut self,
        group: &[u8],
        consumer: &Arc<[u8]>,
        count: usize,
        noack: bool,
        now_ms: u64,
    ) -> Vec<StreamId> {
        let (log, groups) = self.parts_mut();
        let Some(group) = groups.get_mut(group) else {
            return Vec::new();
        };
        let Some(start) = group.last_id.next() else {
            return Vec::new();
        };
        let ids: Vec<StreamId> = log
            .range(start, StreamId::MAX)
            .take(if count == 0 { usize::MAX } else { count })
            .map(|(id, _)| id)
            .collect();
        for &id in &ids {
            log.advance_group(group, id);
            if !noack {
                group.assign(id, consumer, now_ms);
            }
        }
        ids
    }
}

#[cfg(test)]
mod tests;
