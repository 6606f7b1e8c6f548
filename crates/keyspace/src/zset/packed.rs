//! The small sorted set encoding (redis's listpack): entries back to back in one
//! buffer, each `score, varint(member length), member`, in (score, member) order. A
//! score is a tag byte then either a zigzag varint (integral scores, most of them in
//! practice: 2 bytes for small ones) or the 8 bytes of the f64. Every operation is a scan, which for the few short
//! entries allowed (`zset-max-listpack-entries` 128, `zset-max-listpack-value` 64 by
//! default) is as fast as the tree and a fraction of its memory.

use super::tree::before;
use crate::varint;

#[derive(Debug, Clone, Default)]
pub struct Packed {
    buf: Vec<u8>,
    len: u32,
}

const INTEGER: u8 = 0;
const FLOAT: u8 = 1;
/// Integral scores up to this magnitude are stored as integers (exact in an f64).
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// One entry's place in the buffer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: usize,
    score: f64,
    member: (usize, usize),
    end: usize,
}

fn slot_at(buf: &[u8], start: usize) -> Slot {
    let (score, at) = if buf[start] == INTEGER {
        let (zigzag, used) = varint::read(buf, start + 1);
        let at = start + 1 + used;
        let n = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        (n as f64, at)
    } else {
        let bytes = buf[start + 1..start + 9].try_into().expect("8 bytes");
        (f64::from_le_bytes(bytes), start + 9)
    };
    let (len, used) = varint::read_len(buf, at);
    let at = at + used;
    Slot {
        start,
        score,
        member: (at, len),
        end: at + len,
    }
}

impl Packed {
    pub fn len(&self) -> usize {
        self.len as usize
    }

    fn slots(&self) -> impl Iterator<Item = Slot> + '_ {
        let mut at = 0;
        std::iter::from_fn(move || {
            if at >= self.buf.len() {
                return None;
            }
            let slot = slot_at(&self.buf, at);
            at = slot.end;
            Some(slot)
        })
    }

    fn member(&self, slot: &Slot) -> &[u8] {
        &self.buf[slot.member.0..slot.member.0 + slot.member.1]
    }

    fn find(&self, member: &[u8]) -> Option<Slot> {
        self.slots().find(|s| self.member(s) == member)
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|s| s.score)
    }

    fn encode(member: &[u8], score: f64) -> Vec<u8> {
        let mut entry = Vec::with_capacity(member.len() + 11);
        let integral = score.fract() == 0.0
            && score.abs() <= EXACT_INTEGERS
            && !(score == 0.0 && score.is_sign_negative());
        if integral {
            let n = score as i64;
            entry.push(INTEGER);
            varint::write(&mut entry, ((n << 1) ^ (n >> 63)) as u64);
        } else {
            entry.push(FLOAT);
            entry.extend_from_slice(&score.to_le_bytes());
        }
        varint::write(&mut entry, member.len() as u64);
        entry.extend_from_slice(member);
        entry
    }

    /// Puts a new member at its place in the order.
    fn place(&mut self, member: &[u8], score: f64) {
        let at = self
            .slots()
            .find(|s| !before(s.score, self.member(s), score, member))
            .map_or(self.buf.len(), |s| s.start);
        let entry = Packed::encode(member, score);
        self.buf.reserve_exact(entry.len());
        self.buf.splice(at..at, entry);
        self.len += 1;
    }

    fn cut(&mut self, slot: &Slot) {
        self.buf.drain(slot.start..slot.end);
        self.len -= 1;
    }

    /// Sets `member`'s score; returns the previous one.
    pub fn insert(&mut self, member: &[u8], score: f64) -> Option<f64> {
        match self.find(member) {
            Some(slot) => {
                let old = slot.score;
                if old != score || old.is_sign_negative() != score.is_sign_negative() {
                    self.cut(&slot);
                    self.place(member, score);
                }
                Some(old)
            }
            None => {
                self.place(member, score);
                None
            }
        }
    }

    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let slot = self.find(member)?;
        self.cut(&slot);
        self.buf.shrink_to_fit();
        Some(slot.score)
    }

    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        self.slots().position(|s| self.member(&s) == member)
    }

    pub fn get_by_rank(&self, rank: usize) -> Option<(&[u8], f64)> {
        let slot = self.slots().nth(rank)?;
        Some((self.member(&slot), slot.score))
    }

    pub fn partition_point(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        self.slots()
            .take_while(|s| pred(s.score, self.member(s)))
            .count()
    }

    /// Every entry in ascending order.
    pub fn entries(&self) -> Vec<(&[u8], f64)> {
        self.slots().map(|s| (self.member(&s), s.score)).collect()
    }

    /// Entries from ascending rank `rank` on, upward, or downward when `rev`.
    pub fn entries_from_rank(&self, rank: usize, rev: bool) -> Vec<(&[u8], f64)> {
        let mut all = self.entries();
        if rank >= all.len() {
            return Vec::new();
        }
        if rev {
            all.truncate(rank + 1);
            all.reverse();
        } else {
            all.drain(..rank);
        }
        all
    }

    pub fn drain_ranks(&mut self, start: usize, end: usize) -> Vec<(Vec<u8>, f64)> {
        let slots: Vec<Slot> = self
            .slots()
            .skip(start)
            .take(end.saturating_sub(start))
            .collect();
        let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
            return Vec::new();
        };
        let drained = slots
            .iter()
            .map(|s| (self.member(s).to_vec(), s.score))
            .collect();
        self.buf.drain(first.start..last.end);
        self.buf.shrink_to_fit();
        self.len -= slots.len() as u32;
        drained
    }

    /// Appends an entry known to sort after every present one (building from an
    /// ordered walk).
    pub fn push_ordered(&mut self, member: &[u8], score: f64) {
        self.buf.extend_from_slice(&Packed::encode(member, score));
        self.len += 1;
    }
}
