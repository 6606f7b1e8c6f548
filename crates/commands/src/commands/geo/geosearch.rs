//! GEOSEARCH key FROMMEMBER member|FROMLONLAT longitude latitude
//!   BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC]
//!   [COUNT count [ANY]] [WITHCOORD] [WITHDIST] [WITHHASH]
//!
//! The members inside a circle or box (see [`super::search`]).

use super::search::{generic, Kind};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Kind::Search);
}
