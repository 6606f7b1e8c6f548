//! Memory accounting: a counting wrapper around the global allocator.
//!
//! `used_memory` must be close to the truth for INFO and for `maxmemory` to hold, so it
//! is counted where memory is really taken: every allocation and free of the process
//! passes through [`CountingAlloc`]. Each thread counts into its own padded slot (a
//! plain load and store, no locked instruction, no shared cache line), and
//! [`used_memory`] adds the slots up. A thread's slot may go negative when it frees what
//! another allocated; only the sum means anything.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

const SLOTS: usize = 128;

#[repr(align(64))]
struct Slot(AtomicIsize);

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY_SLOT: Slot = Slot(AtomicIsize::new(0));
static COUNTERS: [Slot; SLOTS] = [EMPTY_SLOT; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static MY_SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

#[inline]
fn add(delta: isize) {
    let slot = MY_SLOT.try_with(|cell| {
        let mut slot = cell.get();
        if slot == usize::MAX {
            slot = NEXT_SLOT.fetch_add(1, Ordering::Relaxed);
            cell.set(slot);
        }
        slot
    });
    match slot {
        // The first SLOTS threads own their slot: a load and a store suffice.
        Ok(slot) if slot < SLOTS => {
            let counter = &COUNTERS[slot].0;
            counter.store(counter.load(Ordering::Relaxed) + delta, Ordering::Relaxed);
        }
        // Later threads (and threads being torn down) share slots atomically.
        Ok(slot) => {
            COUNTERS[slot % SLOTS].0.fetch_add(delta, Ordering::Relaxed);
        }
        Err(_) => {
            COUNTERS[0].0.fetch_add(delta, Ordering::Relaxed);
        }
    }
}

/// Bytes currently allocated through [`CountingAlloc`], in allocator size classes.
pub fn used_memory() -> usize {
    // Only the slots handed out so far: a write checks maxmemory with this, and
    // reading all SLOTS lines on every write cost more than the write. (Slot 0 also
    // takes the counts of threads being torn down.)
    let handed_out = NEXT_SLOT.load(Ordering::Relaxed).clamp(1, SLOTS);
    let total: isize = COUNTERS[..handed_out]
        .iter()
        .map(|s| s.0.load(Ordering::Relaxed))
        .sum();
    total.max(0) as usize
}

/// Wraps a global allocator and counts what it hands out.
pub struct CountingAlloc<A>(pub A);

// SAFETY: every call is forwarded unchanged to the inner allocator; counting has no
// effect on the memory returned.
unsafe impl<A: GlobalAlloc> GlobalAlloc for CountingAlloc<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let ptr = unsafe { self.0.alloc(layout) };
        if !ptr.is_null() {
            add(crate::item::size_class(layout.size()) as isize);
        }
        ptr
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(crate::item::size_class(layout.size()) as isize));
        // SAFETY: forwarded contract.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded contract.
        let ptr = unsafe { self.0.alloc_zeroed(layout) };
        if !ptr.is_null() {
            add(crate::item::size_class(layout.size()) as isize);
        }
        ptr
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded contract.
        let new = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            add(crate::item::size_class(new_size) as isize
                - crate::item::size_class(layout.size()) as isize);
        }
        new
    }
}

/// Resident set size of this process, from `/proc/self/statm`.
pub fn resident_memory() -> usize {
    let Ok(statm) = std::fs::read_to_string("/proc/self/statm") else {
        return 0;
    };
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let page = 4096;
    pages * page
}
