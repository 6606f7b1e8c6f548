//! GEORADIUSBYMEMBER_RO key member radius M|KM|FT|MI [WITHCOORD] [WITHDIST]
//!   [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
//!
//! GEORADIUSBYMEMBER without STORE.

use super::search::{generic, Kind};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Kind::RadiusByMember { store: false });
}
