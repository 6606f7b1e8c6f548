//! COMMAND DOCS [command-name ...]
//!
//! A map from command name to its documentation; unknown names are left out.

use super::{lookup, reply_docs};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let specs: Vec<_> = if args.len() == 2 {
        ctx.node.table.all().collect()
    } else {
        args[2..]
            .iter()
            .filter_map(|name| lookup(ctx.node, name))
            .collect()
    };
    ctx.out.map(specs.len());
    for spec in specs {
        ctx.out.bulk(spec.name.as_bytes());
        reply_docs(ctx.out, spec);
    }
}
