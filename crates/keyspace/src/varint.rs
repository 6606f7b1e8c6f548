//! LEB128 varints: the length prefixes of the packed encodings (hash fields, sorted
//! set members, list elements) and of table entries.

pub fn write(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads a varint written by [`write`] at `at`: (value, bytes used). The buffers
/// hold only what this crate wrote, so a varint is never cut short.
pub fn read(buf: &[u8], at: usize) -> (u64, usize) {
    let mut n = 0u64;
    let mut used = 0;
    while let Some(&byte) = buf.get(at + used) {
        n |= ((byte & 0x7f) as u64) << (7 * used);
        used += 1;
        if byte & 0x80 == 0 {
            break;
        }
    }
    (n, used)
}

/// [`read`] of a length.
pub fn read_len(buf: &[u8], at: usize) -> (usize, usize) {
    let (n, used) = read(buf, at);
    (n as usize, used)
}

#[cfg(test)]
mod tests {
    #[test]
    fn round_trips() {
        for n in [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            u64::MAX,
        ] {
            let mut buf = vec![9];
            super::write(&mut buf, n);
            assert_eq!(super::read(&buf, 1), (n, buf.len() - 1));
        }
    }
}
