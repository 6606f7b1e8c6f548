//! COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]

use crate::args::is;
use crate::ctx::Ctx;
use crate::errors;
use crate::table::CommandSpec;
use ferrocache_keyspace::glob::glob_match;

/// redis-server's ACL categories; filtering by any other name matches nothing.
const CATEGORIES: &[&str] = &[
    "keyspace",
    "read",
    "write",
    "set",
    "sortedset",
    "list",
    "hash",
    "string",
    "bitmap",
    "hyperloglog",
    "geo",
    "stream",
    "pubsub",
    "admin",
    "fast",
    "slow",
    "blocking",
    "dangerous",
    "connection",
    "transaction",
    "scripting",
];

enum Filter<'a> {
    All,
    /// No modules are loaded: nothing belongs to one.
    Module,
    AclCat(&'a [u8]),
    Pattern(&'a [u8]),
}

impl Filter<'_> {
    fn keeps(&self, spec: &CommandSpec) -> bool {
        match self {
            Filter::All => true,
            Filter::Module => false,
            Filter::AclCat(cat) => {
                CATEGORIES
                    .iter()
                    .any(|c| c.as_bytes().eq_ignore_ascii_case(cat))
                    && spec
                        .acl
                        .split_whitespace()
                        .any(|c| c.as_bytes().eq_ignore_ascii_case(cat))
            }
            Filter::Pattern(pattern) => glob_match(pattern, spec.name.as_bytes(), true),
        }
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut filter = Filter::All;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        if is(args[i], "filterby") && more == 2 {
            let value = args[i + 2];
            filter = if is(args[i + 1], "module") {
                Filter::Module
            } else if is(args[i + 1], "aclcat") {
                Filter::AclCat(value)
            } else if is(args[i + 1], "pattern") {
                Filter::Pattern(value)
            } else {
                return ctx.err(errors::SYNTAX);
            };
            i += 3;
        } else {
            return ctx.err(errors::SYNTAX);
        }
    }
    let mut names: Vec<&'static str> = Vec::new();
    for spec in ctx.node.table.all() {
        if filter.keeps(spec) {
            names.push(spec.name);
        }
        names.extend(
            spec.subcommands
                .iter()
                .filter(|s| filter.keeps(s))
                .map(|s| s.name),
        );
    }
    ctx.out.array(names.len());
    for name in names {
        ctx.out.bulk(name.as_bytes());
    }
}
