//! A stable iteration order for SSCAN and ZSCAN over collections whose tables keep no
//! cursor of their own.
//!
//! Each member has a 64-bit position, [`position`], a hash with a fixed seed. Cursor `c`
//! asks for the members whose position is `c` or more; a call returns those with the
//! smallest positions and, as the next cursor, one past the last position it returned
//! (0 once nothing is left). Members present for the whole iteration are returned
//! exactly once, whatever is added or removed meanwhile (members sharing a position
//! come in the same call).

/// A member's place in the iteration order, stable for the life of the process
/// whatever the collection's table does.
pub fn position(member: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (member.len() as u64).wrapping_mul(K) ^ 0x2545_f491_4f6c_dd1d;
    for chunk in member.chunks(8) {
        let mut word = [0u8; 8];
        word[..chunk.len()].copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word))
            .wrapping_mul(K)
            .rotate_left(31);
    }
    // splitmix64's finalizer.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The `wanted` (at least) elements with the smallest positions from `cursor` on, and
/// the next cursor. `member` names the member an element is placed by.
pub fn batch<T>(
    elements: impl Iterator<Item = T>,
    member: impl Fn(&T) -> &[u8],
    cursor: u64,
    wanted: usize,
) -> (Vec<T>, u64) {
    let wanted = wanted.max(1);
    let mut ahead: Vec<(u64, T)> = elements
        .map(|e| (position(member(&e)), e))
        .filter(|(p, _)| *p >= cursor)
        .collect();
    if ahead.len() <= wanted {
        return (ahead.into_iter().map(|(_, e)| e).collect(), 0);
    }
    ahead.select_nth_unstable_by_key(wanted - 1, |(p, _)| *p);
    let last = ahead[wanted - 1].0;
    // Elements sharing the last position come along, whatever side they were put on.
    let chosen = ahead
        .into_iter()
        .filter(|(p, _)| *p <= last)
        .map(|(_, e)| e)
        .collect();
    (chosen, last.wrapping_add(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_fixed_and_spread() {
        assert_eq!(position(b"abc"), position(b"abc"));
        assert_ne!(position(b"abc"), position(b"abd"));
        assert_ne!(position(b""), position(b"\0"));
        assert_ne!(position(b"12345678"), position(b"123456789"));
    }

    #[test]
    fn a_batch_ends_the_iteration_when_nothing_is_left() {
        let members: Vec<&[u8]> = vec![b"a", b"b", b"c"];
        let (all, next) = batch(members.iter().copied(), |m| m, 0, 10);
        assert_eq!((all.len(), next), (3, 0));
        let (some, next) = batch(members.iter().copied(), |m| m, 0, 1);
        assert_eq!(some.len(), 1);
        assert_eq!(next, position(some[0]) + 1);
    }
}
