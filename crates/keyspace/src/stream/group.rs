//! Consumer groups: the last delivered ID, the read counter, the pending entries
//! list (PEL) and the consumers.
//!
//! The group's PEL maps each delivered, unacknowledged ID to its [`Nack`] (owner,
//! delivery time, delivery count); each consumer keeps the set of IDs it owns, so
//! both "all pending" and "pending of one consumer" walk in ID order. Consumer names
//! are shared (`Arc<[u8]>`) between the consumer and its pending entries.

use super::StreamId;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A read counter that is not known (redis-server's `SCG_INVALID_ENTRIES_READ`).
pub const ENTRIES_READ_INVALID: i64 = -1;

/// A delivered entry not yet acknowledged.
#[derive(Debug, Clone)]
pub struct Nack {
    pub consumer: Arc<[u8]>,
    /// Unix milliseconds of the last delivery.
    pub delivery_time: u64,
    pub delivery_count: u64,
}

#[derive(Debug, Clone)]
pub struct Consumer {
    pub name: Arc<[u8]>,
    /// Unix milliseconds the consumer was last seen (read or claimed).
    pub seen_time: u64,
    pub pel: BTreeSet<StreamId>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub last_id: StreamId,
    /// Entries read by the group (its position in the stream's history), or
    /// [`ENTRIES_READ_INVALID`].
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Nack>,
    pub consumers: BTreeMap<Arc<[u8]>, Consumer>,
}

impl Group {
    pub fn new(last_id: StreamId, entries_read: i64) -> Group {
        Group {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// The consumer called `name`, created if missing (refreshing its seen time
    /// either way). True in the second field when it was created.
    pub fn consumer(&mut self, name: &[u8], now_ms: u64) -> (Arc<[u8]>, bool) {
        if let Some(consumer) = self.consumers.get_mut(name) {
            consumer.seen_time = now_ms;
            return (consumer.name.clone(), false);
        }
        let name: Arc<[u8]> = name.into();
        self.consumers.insert(
            name.clone(),
            Consumer {
                name: name.clone(),
                seen_time: now_ms,
                pel: BTreeSet::new(),
            },
        );
        (name, true)
    }

    /// Creates a consumer; false when it exists.
    pub fn create_consumer(&mut self, name: &[u8], now_ms: u64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumer(name, now_ms).1
    }

    /// Deletes a consumer and its pending entries; returns how many it had pending,
    /// or None when it does not exist.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let consumer = self.consumers.remove(name)?;
        for id in &consumer.pel {
            self.pel.remove(id);
        }
        Some(consumer.pel.len())
    }

    /// Records `id` as delivered now to `consumer` (which exists): a new pending
    /// entry, or one taken over from another consumer with its count reset.
    pub fn assign(&mut self, id: StreamId, consumer: &Arc<[u8]>, now_ms: u64) {
        let previous = self.pel.insert(
            id,
            Nack {
                consumer: consumer.clone(),
                delivery_time: now_ms,
                delivery_count: 1,
            },
        );
        if let Some(old) = previous {
            if let Some(owner) = self.consumers.get_mut(&old.consumer) {
                owner.pel.remove(&id);
            }
        }
        if let Some(owner) = self.consumers.get_mut(consumer) {
            owner.pel.insert(id);
        }
    }

    /// Moves the pending entry `id` to `consumer` (which exists), if it has another
    /// owner.
    pub fn transfer(&mut self, id: StreamId, consumer: &Arc<[u8]>) {
        let Some(nack) = self.pel.get_mut(&id) else {
            return;
        };
        if nack.consumer != *consumer {
            if let Some(owner) = self.consumers.get_mut(&nack.consumer) {
                owner.pel.remove(&id);
            }
            nack.consumer = consumer.clone();
        }
        if let Some(owner) = self.consumers.get_mut(consumer) {
            owner.pel.insert(id);
        }
    }

    /// Acknowledges `id`; true when it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(nack) => {
                if let Some(owner) = self.consumers.get_mut(&nack.consumer) {
                    owner.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }
}
