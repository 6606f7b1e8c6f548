//! CLIENT SETNAME connection-name
//!
//! An empty name removes the current one. Names are printable ASCII without spaces,
//! so CLIENT LIST lines can be split on spaces.

use crate::ctx::Ctx;

pub const INVALID_NAME: &str =
    "ERR Client names cannot contain spaces, newlines or special characters.";

/// True when `name` may be used as a connection name (empty clears it).
pub fn valid_name(name: &[u8]) -> bool {
    name.iter().all(|&b| (b'!'..=b'~').contains(&b))
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let name = args[2];
    if !valid_name(name) {
        return ctx.err(INVALID_NAME);
    }
    ctx.client.shared.info.lock().name = name.to_vec();
    ctx.out.ok();
}

#[cfg(test)]
mod tests {
    use super::valid_name;

    #[test]
    fn names() {
        assert!(valid_name(b""));
        assert!(valid_name(b"abc-1_2:x"));
        assert!(!valid_name(b"a b"));
        assert!(!valid_name(b"a\nb"));
        assert!(!valid_name(b"\x7f"));
        assert!(!valid_name("é".as_bytes()));
    }
}
