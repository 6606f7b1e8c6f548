//! One stripe: a slice of one database's keys behind its own lock.

use crate::item::Item;
use hashbrown::HashTable;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// The keys of one stripe, with counters kept under the same lock (so that counting a
/// hit or an expiry never touches a cache line another thread writes).
#[derive(Default)]
pub struct Stripe {
    pub(crate) table: HashTable<Item>,
    /// Keys with a TTL: the active expiry cycle skips stripes where this is zero.
    pub(crate) volatile: usize,
    /// Allocator bytes of the items (not the table).
    pub(crate) bytes: usize,
    pub(crate) hits: u64,
    pub(crate) misses: u64,
    pub(crate) expired: u64,
    /// Clients WATCHing keys of this stripe: (key, flag set when the key is modified).
    /// Empty, and so free, unless someone watches.
    pub(crate) watchers: Vec<(Vec<u8>, Arc<AtomicBool>)>,
}

impl Stripe {
    pub(crate) fn find(&self, hash: u64, key: &[u8]) -> Option<&Item> {
        self.table.find(hash, |item| item.key() == key)
    }

    pub(crate) fn remove(&mut self, hash: u64, key: &[u8]) -> Option<Item> {
        let entry = self.table.find_entry(hash, |item| item.key() == key).ok()?;
        let (item, _) = entry.remove();
        self.forget(&item);
        Some(item)
    }

    /// Inserts or replaces; returns the replaced item.
    pub(crate) fn insert(
        &mut self,
        hash: u64,
        item: Item,
        hasher: impl Fn(&Item) -> u64,
    ) -> Option<Item> {
        self.account(&item);
        match self
            .table
            .entry(hash, |existing| existing.key() == item.key(), hasher)
        {
            hashbrown::hash_table::Entry::Occupied(mut slot) => {
                let old = std::mem::replace(slot.get_mut(), item);
                self.forget(&old);
                Some(old)
            }
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(item);
                None
            }
        }
    }

    fn account(&mut self, item: &Item) {
        self.bytes += item.alloc_size();
        if item.expire_at().is_some() {
            self.volatile += 1;
        }
    }

    pub(crate) fn forget(&mut self, item: &Item) {
        Self::uncount(&mut self.bytes, &mut self.volatile, item);
    }

    /// [`Stripe::forget`] over borrowed counters.
    pub(crate) fn uncount(bytes: &mut usize, volatile: &mut usize, item: &Item) {
        *bytes = bytes.saturating_sub(item.alloc_size());
        if item.expire_at().is_some() {
            *volatile = volatile.saturating_sub(1);
        }
    }

    /// An item of this stripe gained or lost its TTL in place.
    pub(crate) fn ttl_changed(&mut self, had: bool, has: bool) {
        match (had, has) {
            (false, true) => self.volatile += 1,
            (true, false) => self.volatile = self.volatile.saturating_sub(1),
            _ => {}
        }
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// Marks the watchers of `key` (or of every key, for `None`) as dirty.
    pub(crate) fn touch_watchers(&self, key: Option<&[u8]>) {
        Self::touch(&self.watchers, key);
    }

    /// [`Stripe::touch_watchers`] over a borrowed watcher list.
    pub(crate) fn touch(watchers: &[(Vec<u8>, Arc<AtomicBool>)], key: Option<&[u8]>) {
        for (watched, flag) in watchers {
            if key.is_none_or(|k| k == watched.as_slice()) {
                flag.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Marks the watchers of keys that exist (and have not expired at `now_ms`).
    pub(crate) fn touch_existing_watchers(&self, now_ms: u64) {
        for (watched, flag) in &self.watchers {
            let hash_free_lookup = self
                .table
                .iter()
                .any(|i| i.key() == watched.as_slice() && i.expire_at().is_none_or(|t| t > now_ms));
            if hash_free_lookup {
                flag.store(true, Ordering::Relaxed);
            }
        }
    }

    pub(crate) fn clear(&mut self) {
        self.table = HashTable::new();
        self.volatile = 0;
        self.bytes = 0;
    }

    /// Removes every item expired at `now_ms`, reporting each key.
    pub(crate) fn remove_expired(
        &mut self,
        now_ms: u64,
        on_expired: &mut dyn FnMut(&[u8]),
    ) -> usize {
        if self.volatile == 0 {
            return 0;
        }
        let mut removed = 0;
        let mut freed_bytes = 0;
        let watched = !self.watchers.is_empty();
        let mut expired_keys = Vec::new();
        self.table.retain(|item| match item.expire_at() {
            Some(when) if when <= now_ms => {
                on_expired(item.key());
                if watched {
                    expired_keys.push(item.key().to_vec());
                }
                freed_bytes += item.alloc_size();
                removed += 1;
                false
            }
            _ => true,
        });
        self.volatile -= removed.min(self.volatile);
        self.bytes = self.bytes.saturating_sub(freed_bytes);
        self.expired += removed as u64;
        for key in expired_keys {
            self.touch_watchers(Some(&key));
        }
        removed
    }
}
