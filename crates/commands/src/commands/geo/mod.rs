//! Geo commands: GEOADD, GEOPOS, GEODIST, GEOHASH and the searches (GEOSEARCH,
//! GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their `_RO` forms).
//!
//! A geo index is a sorted set whose scores are 52-bit interleaved geohashes of
//! (longitude, latitude), computed exactly as redis-server's `geohash.c` does so that
//! positions, hashes and distances come out digit for digit the same.

use crate::table::flags::*;
use crate::table::CommandSpec;

mod geoadd;
mod geodist;
mod geohash;
mod geopos;
mod georadius;
mod georadius_ro;
mod georadiusbymember;
mod georadiusbymember_ro;
mod geosearch;
mod geosearchstore;
pub mod hash;
mod search;

#[cfg(test)]
mod tests;

const fn geo(
    name: &'static str,
    arity: i32,
    flags: u32,
    handler: crate::table::Handler,
) -> CommandSpec {
    CommandSpec::new(name, arity, flags, handler).keys(1, 1, 1)
}

pub static COMMANDS: &[CommandSpec] = &[
    geo("geoadd", -5, WRITE | DENYOOM, geoadd::run)
        .acl("write geo slow")
        .doc("geo", "3.2.0", "Add one or more geospatial items in the geospatial index represented using a sorted set"),
    geo("geopos", -2, READONLY, geopos::run)
        .acl("read geo slow")
        .doc("geo", "3.2.0", "Returns longitude and latitude of members of a geospatial index"),
    geo("geodist", -4, READONLY, geodist::run)
        .acl("read geo slow")
        .doc("geo", "3.2.0", "Returns the distance between two members of a geospatial index"),
    geo("geohash", -2, READONLY, geohash::run)
        .acl("read geo slow")
        .doc("geo", "3.2.0", "Returns members of a geospatial index as standard geohash strings"),
    geo("geosearch", -7, READONLY, geosearch::run)
        .acl("read geo slow")
        .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle."),
    geo("geosearchstore", -8, WRITE | DENYOOM, geosearchstore::run)
        .keys(1, 2, 1)
        .acl("write geo slow")
        .doc("geo", "6.2.0", "Query a sorted set representing a geospatial index to fetch members inside an area of a box or a circle, and store the result in another key."),
    geo("georadius", -6, WRITE | DENYOOM | MOVABLEKEYS, georadius::run)
        .acl("write geo slow")
        .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a point")
        .lock(georadius::lock),
    geo("georadiusbymember", -5, WRITE | DENYOOM | MOVABLEKEYS, georadiusbymember::run)
        .acl("write geo slow")
        .doc("geo", "3.2.0", "Query a sorted set representing a geospatial index to fetch members matching a given maximum distance from a member")
        .lock(georadiusbymember::lock),
    geo("georadius_ro", -6, READONLY, georadius_ro::run)
        .acl("read geo slow")
        .doc("geo", "3.2.10", "A read-only variant for GEORADIUS"),
    geo("georadiusbymember_ro", -5, READONLY, georadiusbymember_ro::run)
        .acl("read geo slow")
        .doc("geo", "3.2.10", "A read-only variant for GEORADIUSBYMEMBER"),
];
