//! Set algebra over borrowed sets, shared by SINTER, SUNION, SDIFF, their STORE forms,
//! SINTERCARD and SMEMBERS. A missing key (None) is an empty set.

use super::Set;

/// The members of every set.
pub fn inter<'a>(sets: &[Option<&'a Set>]) -> Vec<&'a [u8]> {
    let mut found = Vec::new();
    inter_each(sets, 0, |member| found.push(member));
    found
}

/// Calls `f` with each member of every set and returns how many there were. Walks the
/// smallest set and probes the others, smallest first; stops after `limit` members
/// when `limit` is not 0 (SINTERCARD).
pub fn inter_each<'a>(
    sets: &[Option<&'a Set>],
    limit: usize,
    mut f: impl FnMut(&'a [u8]),
) -> usize {
    let Some(mut sets) = sets.iter().copied().collect::<Option<Vec<&Set>>>() else {
        return 0;
    };
    if sets.is_empty() {
        return 0;
    }
    sets.sort_by_key(|s| s.len());
    let (first, rest) = (sets[0], &sets[1..]);
    let mut found = 0;
    for member in first {
        let everywhere = rest
            .iter()
            .all(|other| std::ptr::eq(*other, first) || other.contains(member));
        if everywhere {
            f(member);
            found += 1;
            if limit != 0 && found >= limit {
                break;
            }
        }
    }
    found
}

/// The members of any set, each once.
pub fn union<'a>(sets: &[Option<&'a Set>]) -> hashbrown::HashSet<&'a [u8]> {
    let mut all = hashbrown::HashSet::new();
    for set in sets.iter().flatten() {
        all.extend(set.iter());
    }
    all
}

/// The members of the first set that are in none of the others. `names` are the keys
/// of `sets`: the first key named again means the same set, so the result is empty.
pub fn diff<'a>(sets: &[Option<&'a Set>], names: &[&[u8]]) -> Vec<&'a [u8]> {
    let Some(Some(first)) = sets.first() else {
        return Vec::new();
    };
    if names.iter().skip(1).any(|name| *name == names[0]) {
        return Vec::new();
    }
    let mut others: Vec<&Set> = sets[1..].iter().flatten().copied().collect();
    // Larger sets first: a member found early is dropped early.
    others.sort_by_key(|s| std::cmp::Reverse(s.len()));
    first
        .iter()
        .filter(|member| !others.iter().any(|other| other.contains(member)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[&str]) -> Set {
        members.iter().map(|m| m.as_bytes().to_vec()).collect()
    }

    fn sorted(mut members: Vec<&[u8]>) -> Vec<&[u8]> {
        members.sort();
        members
    }

    #[test]
    fn algebra() {
        let a = set(&["1", "2", "3", "4"]);
        let b = set(&["2", "3", "5"]);
        let c = set(&["3", "2", "9"]);
        assert_eq!(
            sorted(inter(&[Some(&a), Some(&b), Some(&c)])),
            vec![b"2".as_slice(), b"3"]
        );
        assert_eq!(inter_each(&[Some(&a), Some(&b), Some(&c)], 1, |_| {}), 1);
        assert!(inter(&[Some(&a), None]).is_empty());
        assert_eq!(inter(&[Some(&a), Some(&a)]).len(), 4);
        assert_eq!(union(&[Some(&a), None, Some(&b)]).len(), 5);
        let names: [&[u8]; 3] = [b"a", b"b", b"c"];
        assert_eq!(
            sorted(diff(&[Some(&a), Some(&b), Some(&c)], &names)),
            vec![b"1".as_slice(), b"4"]
        );
        assert!(diff(&[None, Some(&b)], &names[..2]).is_empty());
        let same: [&[u8]; 2] = [b"a", b"a"];
        assert!(diff(&[Some(&a), Some(&a)], &same).is_empty());
    }
}
