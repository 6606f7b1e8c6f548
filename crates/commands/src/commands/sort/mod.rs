//! SORT and SORT_RO: sort the elements of a list, set or sorted set, numerically or
//! lexicographically, optionally by the values of other keys (BY), returning other
//! keys' values (GET), or storing the result as a list (STORE).
//!
//! The keys named through BY and GET patterns derive from the sorted elements, so both
//! commands lock their whole database (`WHOLE_DB`); the key spec stays (1,1,1) as
//! COMMAND INFO shows it, with `movablekeys`.

use crate::table::flags::*;
use crate::table::CommandSpec;

#[allow(clippy::module_inception)]
mod sort;
mod sort_ro;

#[cfg(test)]
mod tests;

pub static COMMANDS: &[CommandSpec] = &[
    CommandSpec::new(
        "sort",
        -2,
        WRITE | DENYOOM | MOVABLEKEYS | WHOLE_DB,
        sort::run,
    )
    .keys(1, 1, 1)
    .acl("write set sortedset list slow dangerous")
    .doc(
        "generic",
        "1.0.0",
        "Sort the elements in a list, set or sorted set",
    ),
    CommandSpec::new(
        "sort_ro",
        -2,
        READONLY | MOVABLEKEYS | WHOLE_DB,
        sort_ro::run,
    )
    .keys(1, 1, 1)
    .acl("read set sortedset list slow dangerous")
    .doc(
        "generic",
        "7.0.0",
        "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    ),
];
