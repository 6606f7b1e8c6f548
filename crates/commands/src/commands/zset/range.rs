//! Score, lex and rank ranges of the sorted set commands, parsed as redis-server
//! parses them and turned into ascending rank intervals `[start, end)`.

use ferrocache_keyspace::zset::ZSet;
use ferrocache_protocol::number::parse_f64;

pub const NOT_FLOAT_RANGE: &str = "ERR min or max is not a float";
pub const NOT_LEX_RANGE: &str = "ERR min or max not valid string range item";

/// Parses a score bound as C's `strtod` over the whole argument: leading white space
/// is skipped, the empty string is 0, NaN is refused.
fn strtod(arg: &[u8]) -> Option<f64> {
    if arg.is_empty() {
        return Some(0.0);
    }
    let start = arg
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    parse_f64(&arg[start..])
}

/// A score interval: `min`/`max`, each inclusive or exclusive (`(` prefix).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

fn score_bound(arg: &[u8]) -> Option<(f64, bool)> {
    match arg.first() {
        Some(b'(') => strtod(&arg[1..]).map(|v| (v, true)),
        _ => strtod(arg).map(|v| (v, false)),
    }
}

impl ScoreRange {
    /// `min max` as ZRANGEBYSCORE takes them, or None (`min or max is not a float`).
    pub fn parse(min: &[u8], max: &[u8]) -> Option<ScoreRange> {
        let (min, minex) = score_bound(min)?;
        let (max, maxex) = score_bound(max)?;
        Some(ScoreRange {
            min,
            max,
            minex,
            maxex,
        })
    }

    pub fn above_min(&self, score: f64) -> bool {
        if self.minex {
            score > self.min
        } else {
            score >= self.min
        }
    }

    pub fn below_max(&self, score: f64) -> bool {
        if self.maxex {
            score < self.max
        } else {
            score <= self.max
        }
    }

    pub fn contains(&self, score: f64) -> bool {
        self.above_min(score) && self.below_max(score)
    }

    /// The ascending ranks `[start, end)` of the elements in range (start >= end:
    /// none).
    pub fn ranks(&self, z: &ZSet) -> (usize, usize) {
        let start = z.partition_point(|s, _| !self.above_min(s));
        let end = z.partition_point(|s, _| self.below_max(s));
        (start, end.max(start))
    }
}

/// One end of a lex interval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexBound {
    /// `-`: before every member.
    Min,
    /// `+`: after every member.
    Max,
    /// `[member`
    Inclusive(Vec<u8>),
    /// `(member`
    Exclusive(Vec<u8>),
}

impl LexBound {
    fn parse(arg: &[u8]) -> Option<LexBound> {
        match arg.first()? {
            b'+' if arg.len() == 1 => Some(LexBound::Max),
            b'-' if arg.len() == 1 => Some(LexBound::Min),
            b'(' => Some(LexBound::Exclusive(arg[1..].to_vec())),
            b'[' => Some(LexBound::Inclusive(arg[1..].to_vec())),
            _ => None,
        }
    }
}

/// A lex interval, for members of equal scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

impl LexRange {
    /// `min max` as ZRANGEBYLEX takes them, or None (`min or max not valid string
    /// range item`).
    pub fn parse(min: &[u8], max: &[u8]) -> Option<LexRange> {
        Some(LexRange {
            min: LexBound::parse(min)?,
            max: LexBound::parse(max)?,
        })
    }

    pub fn above_min(&self, member: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => true,
            LexBound::Max => false,
            LexBound::Inclusive(m) => member >= m.as_slice(),
            LexBound::Exclusive(m) => member > m.as_slice(),
        }
    }

    pub fn below_max(&self, member: &[u8]) -> bool {
        match &self.max {
            LexBound::Min => false,
            LexBound::Max => true,
            LexBound::Inclusive(m) => member <= m.as_slice(),
            LexBound::Exclusive(m) => member < m.as_slice(),
        }
    }

    /// The ascending ranks `[start, end)` of the members in range, the set's members
    /// being taken in their order (meaningful when all scores are equal).
    pub fn ranks(&self, z: &ZSet) -> (usize, usize) {
        let start = z.partition_point(|_, m| !self.above_min(m));
        let end = z.partition_point(|_, m| self.below_max(m));
        (start, end.max(start))
    }
}

/// Ranks `start..=end` as ZRANGE takes them (negative from the end) over `len`
/// elements, as an ascending interval `[start, end)`, or None when empty.
pub fn rank_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    let mut start = if start < 0 {
        len.saturating_add(start)
    } else {
        start
    };
    let mut end = if end < 0 {
        len.saturating_add(end)
    } else {
        end
    };
    if start < 0 {
        start = 0;
    }
    if start > end || start >= len {
        return None;
    }
    if end >= len {
        end = len - 1;
    }
    Some((start as usize, end as usize + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_bounds() {
        let r = ScoreRange::parse(b"(1.5", b"+inf").unwrap();
        assert!(r.minex && !r.maxex && r.min == 1.5 && r.max == f64::INFINITY);
        assert_eq!(ScoreRange::parse(b"", b"(").unwrap().min, 0.0);
        assert_eq!(ScoreRange::parse(b" 1", b"2").unwrap().min, 1.0);
        assert!(ScoreRange::parse(b"1 ", b"2").is_none());
        assert!(ScoreRange::parse(b"nan", b"2").is_none());
        assert!(ScoreRange::parse(b"[1", b"2").is_none());
    }

    #[test]
    fn lex_bounds() {
        assert!(LexRange::parse(b"-", b"+").is_some());
        assert!(LexRange::parse(b"a", b"+").is_none());
        assert!(LexRange::parse(b"", b"+").is_none());
        assert!(LexRange::parse(b"+a", b"+").is_none());
        assert_eq!(
            LexRange::parse(b"(", b"[b").unwrap().min,
            LexBound::Exclusive(vec![])
        );
    }

    #[test]
    fn ranges_over_a_set() {
        let mut z = ZSet::new();
        for (i, m) in ["a", "b", "c", "d"].iter().enumerate() {
            z.insert(m.as_bytes(), i as f64);
        }
        assert_eq!(ScoreRange::parse(b"(1", b"3").unwrap().ranks(&z), (2, 4));
        assert_eq!(ScoreRange::parse(b"2", b"(2").unwrap().ranks(&z), (2, 2));
        assert_eq!(ScoreRange::parse(b"3", b"1").unwrap().ranks(&z), (3, 3));
        assert_eq!(LexRange::parse(b"[b", b"(d").unwrap().ranks(&z), (1, 3));
        assert_eq!(LexRange::parse(b"+", b"-").unwrap().ranks(&z), (4, 4));
        assert_eq!(rank_range(4, 0, -1), Some((0, 4)));
        assert_eq!(rank_range(4, -100, 1), Some((0, 2)));
        assert_eq!(rank_range(4, 2, 1), None);
        assert_eq!(rank_range(4, 4, 10), None);
        assert_eq!(rank_range(4, i64::MIN, i64::MIN), None);
    }
}
