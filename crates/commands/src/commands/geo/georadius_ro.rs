//! GEORADIUS_RO key longitude latitude radius M|KM|FT|MI [WITHCOORD] [WITHDIST]
//!   [WITHHASH] [COUNT count [ANY]] [ASC|DESC]
//!
//! GEORADIUS without STORE.

use super::search::{generic, Kind};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Kind::Radius { store: false });
}
