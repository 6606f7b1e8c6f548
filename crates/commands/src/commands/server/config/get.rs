//! CONFIG GET parameter [parameter ...]
//!
//! A name without glob characters is looked up exactly (aliases included) and shown
//! as it was typed; a pattern is matched, case-insensitively, against every name and
//! alias. Each parameter appears once.

use crate::config::{param, Settings, PARAMS};
use crate::ctx::Ctx;
use ferrocache_keyspace::glob::glob_match;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let settings = ctx.node.settings();
    let matches = matching(&settings, &args[2..]);
    ctx.out.map(matches.len());
    for (name, value) in matches {
        ctx.out.bulk(name.as_bytes());
        ctx.out.bulk(value.as_bytes());
    }
}

/// (name as shown, value) pairs for `patterns`, in the order found.
fn matching(settings: &Settings, patterns: &[&[u8]]) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let value_of = |name: &str| {
        let p = param(name);
        p.and_then(|p| settings.get(p.name).or(Some(p.default)))
            .unwrap_or_default()
            .to_string()
    };
    for pattern in patterns {
        let text = String::from_utf8_lossy(pattern).into_owned();
        if !pattern.iter().any(|b| matches!(b, b'[' | b'*' | b'?')) {
            if param(&text).is_some() && !found.iter().any(|(n, _)| *n == text) {
                let value = value_of(&text);
                found.push((text, value));
            }
            continue;
        }
        for p in PARAMS.iter().filter(|p| !p.hidden) {
            for name in std::iter::once(p.name).chain(p.alias) {
                if !found.iter().any(|(n, _)| n == name)
                    && glob_match(pattern, name.as_bytes(), true)
                {
                    found.push((name.to_string(), value_of(name)));
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_patterns_and_aliases() {
        let s = Settings::default();
        let got = matching(&s, &[b"MAXMEMORY", b"maxmemory-p*", b"nosuch"]);
        assert_eq!(got[0], ("MAXMEMORY".to_string(), "0".to_string()));
        assert_eq!(
            got[1],
            ("maxmemory-policy".to_string(), "noeviction".to_string())
        );
        assert_eq!(got.len(), 2);
        let got = matching(&s, &[b"slave-read*", b"replica-read-only"]);
        let names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["slave-read-only", "replica-read-only"]);
        // A name already listed is not repeated.
        assert_eq!(matching(&s, &[b"maxmemory", b"maxmemory"]).len(), 1);
    }
}
