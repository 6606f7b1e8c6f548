//! LFU: a logarithmic access counter with decay, packed into an item's 24-bit clock as
//! redis-server does (16 bits of minutes since last decay, 8 bits of counter).

use crate::keyspace::now_ms;

/// A new key starts at this counter, so it is not evicted before it had a chance.
pub const LFU_INIT_VAL: u8 = 5;
const LOG_FACTOR: f64 = 10.0;
const DECAY_MINUTES: u64 = 1;

fn minutes_now() -> u32 {
    ((now_ms() / 60_000) & 0xffff) as u32
}

pub fn initial_clock() -> u32 {
    (minutes_now() << 8) | LFU_INIT_VAL as u32
}

/// The counter after the decay owed for the minutes since the last access.
pub fn decayed_counter(clock: u32) -> u8 {
    let last = clock >> 8;
    let counter = (clock & 0xff) as u8;
    let now = minutes_now();
    let elapsed = if now >= last {
        now - last
    } else {
        0xffff - last + now
    } as u64;
    let periods = elapsed / DECAY_MINUTES;
    counter.saturating_sub(periods.min(255) as u8)
}

/// The clock after one access: decay, then a probabilistic logarithmic increment.
pub fn on_access(clock: u32) -> u32 {
    let mut counter = decayed_counter(clock);
    if counter < 255 {
        let base = counter.saturating_sub(LFU_INIT_VAL) as f64;
        let p = 1.0 / (base * LOG_FACTOR + 1.0);
        if rand::random::<f64>() < p {
            counter += 1;
        }
    }
    (minutes_now() << 8) | counter as u32
}
