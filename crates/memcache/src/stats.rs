//! memcached's counters, named as `stats` names them.
//!
//! Each connection counts into its own [`ConnStats`] (plain integers, no shared cache
//! line on the hot path) and adds them to the node's [`GlobalStats`] after each batch
//! of requests, as memcached's worker threads keep per-thread stats.

use std::sync::atomic::{AtomicU64, Ordering};

macro_rules! counters {
    ($($name:ident),* $(,)?) => {
        /// One connection's counters since they were last added to the node's.
        #[derive(Debug, Default, Clone)]
        pub struct ConnStats {
            $(pub $name: u64,)*
        }

        impl ConnStats {
            /// Adds these counters to `total` and zeroes them (plain adds: a worker
            /// gathers its connections' counts here and publishes them once a round).
            pub fn move_into(&mut self, total: &mut ConnStats) {
                let local = std::mem::take(self);
                $(total.$name += local.$name;)*
            }
        }

        /// The node's counters.
        #[derive(Debug, Default)]
        pub struct GlobalStats {
            $(pub $name: AtomicU64,)*
        }

        impl GlobalStats {
            /// Adds a connection's counters and zeroes them.
            pub fn absorb(&self, local: &mut ConnStats) {
                $(
                    if local.$name != 0 {
                        self.$name.fetch_add(local.$name, Ordering::Relaxed);
                        local.$name = 0;
                    }
                )*
            }

            /// The current values.
            pub fn snapshot(&self) -> ConnStats {
                ConnStats { $($name: self.$name.load(Ordering::Relaxed),)* }
            }

            /// `stats reset`.
            pub fn reset(&self) {
                $(self.$name.store(0, Ordering::Relaxed);)*
            }
        }
    };
}

counters!(
    cmd_get,
    cmd_set,
    cmd_flush,
    cmd_touch,
    cmd_meta,
    get_hits,
    get_misses,
    get_expired,
    get_flushed,
    delete_misses,
    delete_hits,
    incr_misses,
    incr_hits,
    decr_misses,
    decr_hits,
    cas_misses,
    cas_hits,
    cas_badval,
    touch_hits,
    touch_misses,
    store_too_large,
    store_no_memory,
    auth_cmds,
    auth_errors,
    bytes_read,
    bytes_written,
    total_items,
    conn_yields,
);

/// Renders `STAT name value` lines.
#[derive(Default)]
pub struct StatWriter {
    pub out: Vec<u8>,
}

impl StatWriter {
    pub fn stat(&mut self, name: &str, value: impl std::fmt::Display) {
        use std::io::Write;
        let _ = write!(self.out, "STAT {name} {value}\r\n");
    }

    pub fn end(mut self) -> Vec<u8> {
        self.out.extend_from_slice(b"END\r\n");
        self.out
    }
}

/// User and system CPU time of the process, as `seconds.micros`.
pub fn rusage() -> (String, String) {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return ("0.000000".into(), "0.000000".into());
    };
    // Fields after the command name (which may hold spaces) start after ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of stat(5); 12 and 13 after ')'. 100 Hz.
    let fmt = |t: u64| format!("{}.{:06}", t / 100, (t % 100) * 10_000);
    (fmt(ticks(11)), fmt(ticks(12)))
}
