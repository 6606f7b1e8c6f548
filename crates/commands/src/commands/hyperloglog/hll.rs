//! The HyperLogLog value format, byte-compatible with redis-server's, so values move
//! between the two (DUMP/RESTORE, replication, GET/SET) and estimates are identical.
//!
//! A HyperLogLog is a string: a 16-byte header (`HYLL`, encoding byte, 3 unused
//! bytes, 8-byte little-endian cached cardinality whose top bit marks it stale)
//! followed by 16384 six-bit registers, either
//! - dense: 12288 bytes of packed registers, or
//! - sparse: run-length opcodes, `00xxxxxx` (1..64 zero registers), `01xxxxxx
//!   yyyyyyyy` (1..16384 zero registers) and `1vvvvvxx` (1..4 registers of value
//!   1..32). A new HyperLogLog is sparse; it becomes dense when a register exceeds
//!   32 or the sparse form grows past `hll-sparse-max-bytes`.
//!
//! Elements are hashed with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick
//! the register, the position of the first set bit of the rest is the register's
//! candidate value. The estimate is Ertl's improved raw estimator over the register
//! histogram, as redis-server 7 computes it.
//!
//! Everything read from a stored value is validated (a value is any string a client
//! may have SET or SETRANGE'd): bad headers are "not a HyperLogLog", sparse opcodes
//! that do not add up to exactly 16384 registers are "corrupted".

pub const REGISTERS: usize = 16384;
const P: u32 = 14;
/// Bits of the hash left after the register index.
const Q: u32 = 64 - P;
pub const HEADER: usize = 16;
pub const DENSE_SIZE: usize = HEADER + REGISTERS * 6 / 8;
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
const ZERO_MAX: u32 = 64;
const XZERO_MAX: u32 = 16384;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: u32 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HllError {
    /// Not a HyperLogLog at all (replied as WRONGTYPE).
    NotHll,
    /// A HyperLogLog header with registers that do not decode.
    Corrupt,
}

pub const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
pub const CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";

impl HllError {
    pub fn message(self) -> &'static str {
        match self {
            HllError::NotHll => NOT_HLL,
            HllError::Corrupt => CORRUPT,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Dense,
    Sparse,
}

/// Checks the header (as redis-server does before any HyperLogLog command).
pub fn validate(value: &[u8]) -> Result<Encoding, HllError> {
    if value.len() < HEADER || &value[..4] != b"HYLL" {
        return Err(HllError::NotHll);
    }
    match value[4] {
        DENSE if value.len() == DENSE_SIZE => Ok(Encoding::Dense),
        SPARSE => Ok(Encoding::Sparse),
        _ => Err(HllError::NotHll),
    }
}

/// A new, empty HyperLogLog: sparse, one XZERO run over every register, cached
/// cardinality 0.
pub fn new_sparse() -> Vec<u8> {
    let mut value = vec![0u8; HEADER];
    value[..4].copy_from_slice(b"HYLL");
    value[4] = SPARSE;
    push_zero_run(&mut value, REGISTERS as u32);
    value
}

/// MurmurHash64A, the 64-bit MurmurHash2 variant redis-server hashes elements with.
pub fn murmur64a(data: &[u8], seed: u64) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = seed ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let mut k = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, byte) in tail.iter().enumerate() {
            h ^= (*byte as u64) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element falls in and the value it offers that register.
pub fn position(element: &[u8]) -> (usize, u8) {
    let hash = murmur64a(element, 0xadc8_3b19);
    let index = (hash & (REGISTERS as u64 - 1)) as usize;
    // A sentinel bit bounds the count at Q + 1.
    let rest = (hash >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

pub fn cached_cardinality(value: &[u8]) -> Option<u64> {
    if value[15] & 0x80 != 0 {
        return None;
    }
    Some(u64::from_le_bytes(
        value[8..16].try_into().expect("8 bytes"),
    ))
}

pub fn set_cached_cardinality(value: &mut [u8], cardinality: u64) {
    value[8..16].copy_from_slice(&cardinality.to_le_bytes());
}

pub fn invalidate_cache(value: &mut [u8]) {
    value[15] |= 0x80;
}

fn dense_get(registers: &[u8], index: usize) -> u8 {
    let bit = index * 6;
    let (byte, shift) = (bit / 8, bit % 8);
    let low = registers[byte] >> shift;
    let high = if shift > 2 {
        registers[byte + 1] << (8 - shift)
    } else {
        0
    };
    (low | high) & 0x3f
}

fn dense_set(registers: &mut [u8], index: usize, value: u8) {
    let bit = index * 6;
    let (byte, shift) = (bit / 8, bit % 8);
    registers[byte] &= !(0x3f << shift);
    registers[byte] |= value << shift;
    if shift > 2 {
        registers[byte + 1] &= !(0x3f >> (8 - shift));
        registers[byte + 1] |= value >> (8 - shift);
    }
}

/// A run of equal registers in a sparse HyperLogLog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    value: u8,
    len: u32,
}

/// Decodes sparse opcodes; they must cover exactly every register.
fn sparse_runs(opcodes: &[u8]) -> Result<Vec<Run>, HllError> {
    let mut runs = Vec::new();
    let mut covered: u32 = 0;
    let mut i = 0;
    while i < opcodes.len() {
        let op = opcodes[i];
        let run = if op & 0xc0 == 0 {
            i += 1;
            Run {
                value: 0,
                len: (op & 0x3f) as u32 + 1,
            }
        } else if op & 0xc0 == 0x40 {
            let next = *opcodes.get(i + 1).ok_or(HllError::Corrupt)?;
            i += 2;
            Run {
                value: 0,
                len: (((op & 0x3f) as u32) << 8 | next as u32) + 1,
            }
        } else {
            i += 1;
            Run {
                value: ((op >> 2) & 0x1f) + 1,
                len: (op & 0x3) as u32 + 1,
            }
        };
        covered += run.len;
        if covered > REGISTERS as u32 {
            return Err(HllError::Corrupt);
        }
        runs.push(run);
    }
    if covered != REGISTERS as u32 {
        return Err(HllError::Corrupt);
    }
    Ok(runs)
}

fn push_zero_run(out: &mut Vec<u8>, mut len: u32) {
    while len > 0 {
        let take = len.min(XZERO_MAX);
        if take <= ZERO_MAX {
            out.push((take - 1) as u8);
        } else {
            out.push(0x40 | ((take - 1) >> 8) as u8);
            out.push(((take - 1) & 0xff) as u8);
        }
        len -= take;
    }
}

/// Encodes runs as opcodes, joining neighbours of equal value.
fn encode_runs(header: &[u8], runs: &[Run]) -> Vec<u8> {
    let mut out = header[..HEADER].to_vec();
    let mut i = 0;
    while i < runs.len() {
        let value = runs[i].value;
        let mut len = 0;
        while i < runs.len() && runs[i].value == value {
            len += runs[i].len;
            i += 1;
        }
        if value == 0 {
            push_zero_run(&mut out, len);
        } else {
            while len > 0 {
                let take = len.min(VAL_MAX_LEN);
                out.push(0x80 | (value - 1) << 2 | (take - 1) as u8);
                len -= take;
            }
        }
    }
    out
}

/// Every register, one byte each.
pub fn registers(value: &[u8]) -> Result<Vec<u8>, HllError> {
    let mut out = vec![0u8; REGISTERS];
    merge_into(&mut out, value)?;
    Ok(out)
}

/// `max[i] = max(max[i], register i)` over a stored HyperLogLog.
pub fn merge_into(max: &mut [u8], value: &[u8]) -> Result<(), HllError> {
    match validate(value)? {
        Encoding::Dense => {
            let registers = &value[HEADER..];
            for (i, slot) in max.iter_mut().enumerate() {
                *slot = (*slot).max(dense_get(registers, i));
            }
        }
        Encoding::Sparse => {
            let mut index = 0usize;
            for run in sparse_runs(&value[HEADER..])? {
                if run.value > 0 {
                    for slot in &mut max[index..index + run.len as usize] {
                        *slot = (*slot).max(run.value);
                    }
                }
                index += run.len as usize;
            }
        }
    }
    Ok(())
}

/// Converts a sparse HyperLogLog to dense (a dense one is left as it is).
pub fn to_dense(value: &mut Vec<u8>) -> Result<(), HllError> {
    if validate(value)? == Encoding::Dense {
        return Ok(());
    }
    let registers = registers(value)?;
    let mut dense = vec![0u8; DENSE_SIZE];
    dense[..HEADER].copy_from_slice(&value[..HEADER]);
    dense[4] = DENSE;
    for (i, register) in registers.iter().enumerate() {
        if *register > 0 {
            dense_set(&mut dense[HEADER..], i, *register);
        }
    }
    *value = dense;
    Ok(())
}

/// Raises register `index` to `count` if it is lower; returns whether it changed.
/// A sparse value turns dense when it must (value above 32, or too long).
pub fn raise(
    value: &mut Vec<u8>,
    index: usize,
    count: u8,
    sparse_max: usize,
) -> Result<bool, HllError> {
    if validate(value)? == Encoding::Sparse {
        let mut runs = sparse_runs(&value[HEADER..])?;
        let mut start = 0usize;
        let at = runs
            .iter()
            .position(|run| {
                let inside = index < start + run.len as usize;
                if !inside {
                    start += run.len as usize;
                }
                inside
            })
            .ok_or(HllError::Corrupt)?;
        let run = runs[at];
        if run.value >= count {
            return Ok(false);
        }
        if count <= VAL_MAX_VALUE {
            let before = (index - start) as u32;
            let after = run.len - before - 1;
            let mut replacement = Vec::with_capacity(3);
            if before > 0 {
                replacement.push(Run {
                    value: run.value,
                    len: before,
                });
            }
            replacement.push(Run {
                value: count,
                len: 1,
            });
            if after > 0 {
                replacement.push(Run {
                    value: run.value,
                    len: after,
                });
            }
            runs.splice(at..=at, replacement);
            let encoded = encode_runs(value, &runs);
            if encoded.len() <= value.len() || encoded.len() <= sparse_max {
                *value = encoded;
                return Ok(true);
            }
        }
        to_dense(value)?;
    }
    let registers = &mut value[HEADER..];
    if dense_get(registers, index) >= count {
        return Ok(false);
    }
    dense_set(registers, index, count);
    Ok(true)
}

/// Adds one element; returns whether a register changed.
pub fn add(value: &mut Vec<u8>, element: &[u8], sparse_max: usize) -> Result<bool, HllError> {
    let (index, count) = position(element);
    raise(value, index, count, sparse_max)
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let previous = z;
        z += x * y;
        y += y;
        if previous == z {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let previous = z;
        y *= 0.5;
        z -= (1.0 - x).powi(2) * y;
        if previous == z {
            return z / 3.0;
        }
    }
}

/// The cardinality estimate from one-byte registers (Ertl's estimator).
pub fn estimate(registers: &[u8]) -> u64 {
    let mut histogram = [0u32; 64];
    for register in registers {
        histogram[(*register as usize).min(63)] += 1;
    }
    let m = REGISTERS as f64;
    let mut z = m * tau((m - histogram[Q as usize + 1] as f64) / m);
    for j in (1..=Q as usize).rev() {
        z += histogram[j] as f64;
        z *= 0.5;
    }
    z += m * sigma(histogram[0] as f64 / m);
    let alpha_inf = 0.5 / std::f64::consts::LN_2;
    (alpha_inf * m * m / z).round() as u64
}

/// The cardinality of a stored HyperLogLog, from its cache when valid; when the
/// cache was stale it is refreshed in `value` and `true` is returned with it.
pub fn count(value: &mut [u8]) -> Result<(u64, bool), HllError> {
    validate(value)?;
    if let Some(cardinality) = cached_cardinality(value) {
        return Ok((cardinality, false));
    }
    let cardinality = estimate(&registers(value)?);
    set_cached_cardinality(value, cardinality);
    Ok((cardinality, true))
}

/// PFDEBUG DECODE's text for a sparse value: `z:N` (ZERO), `Z:N` (XZERO) and
/// `v:VALUE,N` per opcode.
pub fn describe_sparse(value: &[u8]) -> Result<String, HllError> {
    sparse_runs(&value[HEADER..])?;
    let opcodes = &value[HEADER..];
    let mut out = Vec::new();
    let mut i = 0;
    while i < opcodes.len() {
        let op = opcodes[i];
        if op & 0xc0 == 0 {
            out.push(format!("z:{}", (op & 0x3f) as u32 + 1));
            i += 1;
        } else if op & 0xc0 == 0x40 {
            let len = (((op & 0x3f) as u32) << 8 | opcodes[i + 1] as u32) + 1;
            out.push(format!("Z:{len}"));
            i += 2;
        } else {
            out.push(format!("v:{},{}", ((op >> 2) & 0x1f) + 1, (op & 3) + 1));
            i += 1;
        }
    }
    Ok(out.join(" "))
}

/// PFSELFTEST: every register value survives packing at every position, and the
/// estimate of growing sets of distinct elements stays within the expected error
/// (six standard errors, 1.04 / sqrt(16384) each, as redis-server checks).
pub fn self_test() -> Result<(), String> {
    let mut packed = vec![0u8; REGISTERS * 6 / 8];
    for round in 0..64u8 {
        for i in 0..REGISTERS {
            dense_set(&mut packed, i, (i as u8).wrapping_add(round) & 0x3f);
        }
        for i in 0..REGISTERS {
            if dense_get(&packed, i) != (i as u8).wrapping_add(round) & 0x3f {
                return Err(format!("TESTFAILED Register error at {i}"));
            }
        }
    }
    let mut sparse = new_sparse();
    let mut dense = new_sparse();
    to_dense(&mut dense).map_err(|_| "TESTFAILED dense conversion".to_string())?;
    let relative_error = 1.04 / (REGISTERS as f64).sqrt();
    let mut checkpoint = 1u64;
    for j in 1..=1_000_000u64 {
        let element = j.to_le_bytes();
        let _ = add(&mut sparse, &element, 3000);
        let _ = add(&mut dense, &element, 3000);
        if j == checkpoint {
            let a = estimate(&registers(&sparse).map_err(|e| e.message().to_string())?);
            let b = estimate(&registers(&dense).map_err(|e| e.message().to_string())?);
            if a != b {
                return Err(format!("TESTFAILED dense/sparse disagree: {a} vs {b}"));
            }
            let max_error = ((relative_error * 6.0 * j as f64).ceil() as u64).max(1);
            if a.abs_diff(j) > max_error {
                return Err(format!(
                    "TESTFAILED Too big error. card:{j} abserr:{}",
                    a.abs_diff(j)
                ));
            }
            checkpoint *= 10;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_value_matches_redis_layout() {
        let v = new_sparse();
        assert_eq!(v.len(), 18);
        assert_eq!(&v[16..], &[0x7f, 0xff]);
        assert_eq!(validate(&v), Ok(Encoding::Sparse));
        assert_eq!(cached_cardinality(&v), Some(0));
    }

    #[test]
    fn dense_registers_round_trip() {
        let mut regs = vec![0u8; REGISTERS * 6 / 8];
        for i in 0..REGISTERS {
            dense_set(&mut regs, i, (i % 64) as u8);
        }
        for i in 0..REGISTERS {
            assert_eq!(dense_get(&regs, i), (i % 64) as u8, "{i}");
        }
    }

    #[test]
    fn sparse_and_dense_give_the_same_estimates() {
        let mut sparse = new_sparse();
        let mut dense = new_sparse();
        to_dense(&mut dense).unwrap();
        for i in 0..2000 {
            let element = format!("element-{i}");
            let a = add(&mut sparse, element.as_bytes(), 1 << 20).unwrap();
            let b = add(&mut dense, element.as_bytes(), 1 << 20).unwrap();
            assert_eq!(a, b);
        }
        assert_eq!(validate(&sparse), Ok(Encoding::Sparse));
        assert_eq!(registers(&sparse).unwrap(), registers(&dense).unwrap());
        let estimate = estimate(&registers(&sparse).unwrap());
        assert!((1900..2100).contains(&estimate), "{estimate}");
    }

    #[test]
    fn long_sparse_values_turn_dense() {
        let mut v = new_sparse();
        for i in 0..3000 {
            add(&mut v, format!("{i}").as_bytes(), 3000).unwrap();
        }
        assert_eq!(validate(&v), Ok(Encoding::Dense));
        assert_eq!(v.len(), DENSE_SIZE);
    }

    #[test]
    fn corrupt_sparse_values_are_detected() {
        let mut v = new_sparse();
        v.push(0x00); // one register too many
        assert_eq!(registers(&v), Err(HllError::Corrupt));
        let mut v = new_sparse();
        v.truncate(17); // XZERO cut short
        assert_eq!(registers(&v), Err(HllError::Corrupt));
        assert_eq!(validate(b"HYLL\x00abc"), Err(HllError::NotHll));
    }
}
