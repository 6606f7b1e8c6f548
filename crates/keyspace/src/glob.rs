//! Glob-style matching as redis-server's `stringmatchlen`: `*`, `?`, `[abc]`, `[^a-z]`,
//! `\x` escapes. Used by KEYS, SCAN MATCH, PSUBSCRIBE and CONFIG GET.

/// Beyond this many `*` groups a pattern never matches (redis-server's guard against
/// abusive patterns, which its tests expect).
const MAX_STAR_NESTING: usize = 1000;

/// True when `text` matches `pattern`. `nocase` folds ASCII case.
pub fn glob_match(pattern: &[u8], text: &[u8], nocase: bool) -> bool {
    // Iterative with a single backtrack point for '*', so no pattern can recurse deeply
    // or take exponential time.
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    let mut stars = 0usize;
    let eq = |a: u8, b: u8| {
        if nocase {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    while t < text.len() {
        if p < pattern.len() {
            match pattern[p] {
                b'*' => {
                    while p < pattern.len() && pattern[p] == b'*' {
                        p += 1;
                    }
                    if p == pattern.len() {
                        return true;
                    }
                    // redis-server gives up (no match) past 1000 nested `*` groups.
                    stars += 1;
                    if stars > MAX_STAR_NESTING {
                        return false;
                    }
                    star = Some((p, t));
                    continue;
                }
                b'?' => {
                    p += 1;
                    t += 1;
                    continue;
                }
                b'[' => {
                    if let Some((matched, next)) = match_class(pattern, p, text[t], nocase) {
                        if matched {
                            p = next;
                            t += 1;
                            continue;
                        }
                    }
                }
                b'\\' if p + 1 < pattern.len() => {
                    if eq(pattern[p + 1], text[t]) {
                        p += 2;
                        t += 1;
                        continue;
                    }
                }
                c => {
                    if eq(c, text[t]) {
                        p += 1;
                        t += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((star_p, star_t)) => {
                p = star_p;
                t = star_t + 1;
                star = Some((star_p, star_t + 1));
            }
            None => return false,
        }
    }
    while p < pattern.len() && pattern[p] == b'*' {
        p += 1;
    }
    p == pattern.len()
}

/// Matches one byte against the class starting at `pattern[start] == '['`; returns
/// whether it matched and where the pattern continues.
fn match_class(pattern: &[u8], start: usize, c: u8, nocase: bool) -> Option<(bool, usize)> {
    let mut p = start + 1;
    let negate = p < pattern.len() && pattern[p] == b'^';
    if negate {
        p += 1;
    }
    let fold = |x: u8| if nocase { x.to_ascii_lowercase() } else { x };
    let c = fold(c);
    let mut matched = false;
    loop {
        if p >= pattern.len() {
            // Unterminated class: redis treats the end of pattern as closing it.
            break;
        }
        match pattern[p] {
            b'\\' if p + 1 < pattern.len() => {
                if fold(pattern[p + 1]) == c {
                    matched = true;
                }
                p += 2;
            }
            b']' => {
                p += 1;
                return Some((matched != negate, p));
            }
            _ if p + 2 < pattern.len() && pattern[p + 1] == b'-' => {
                let (mut lo, mut hi) = (fold(pattern[p]), fold(pattern[p + 2]));
                if lo > hi {
                    std::mem::swap(&mut lo, &mut hi);
                }
                if c >= lo && c <= hi {
                    matched = true;
                }
                p += 3;
            }
            x => {
                if fold(x) == c {
                    matched = true;
                }
                p += 1;
            }
        }
    }
    Some((matched != negate, p))
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn patterns() {
        assert!(glob_match(b"*", b"anything", false));
        assert!(glob_match(b"h?llo", b"hello", false));
        assert!(glob_match(b"h*llo", b"heeeello", false));
        assert!(glob_match(b"h[ae]llo", b"hallo", false));
        assert!(!glob_match(b"h[^e]llo", b"hello", false));
        assert!(glob_match(b"h[a-b]llo", b"hbllo", false));
        assert!(glob_match(b"foo\\*", b"foo*", false));
        assert!(!glob_match(b"foo\\*", b"foox", false));
        assert!(glob_match(b"*a*b*c", b"xxaxxbxxc", false));
        assert!(!glob_match(b"a*", b"ba", false));
        assert!(glob_match(b"HELLO", b"hello", true));
        assert!(glob_match(b"", b"", false));
        assert!(!glob_match(b"", b"a", false));
    }

    #[test]
    fn too_many_stars_never_match() {
        let text = vec![b'a'; 5000];
        let pattern = b"*?".repeat(2000);
        assert!(!glob_match(&pattern, &text, false));
        assert!(glob_match(&b"*?".repeat(10), &text, false));
    }

    #[test]
    fn pathological_pattern_is_fast() {
        let text = vec![b'a'; 10_000];
        let pattern = b"*a*a*a*a*a*a*a*a*a*a*a*a*b";
        assert!(!glob_match(pattern, &text, false));
    }
}
