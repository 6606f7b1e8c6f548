//! GEOSEARCHSTORE destination source FROMMEMBER member|FROMLONLAT longitude latitude
//!   BYRADIUS radius M|KM|FT|MI|BYBOX width height M|KM|FT|MI [ASC|DESC]
//!   [COUNT count [ANY]] [STOREDIST]
//!
//! GEOSEARCH stored in `destination` (scores: geohashes, or distances with
//! STOREDIST); replies the number stored.

use super::search::{generic, Kind};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 2, Kind::SearchStore);
}
