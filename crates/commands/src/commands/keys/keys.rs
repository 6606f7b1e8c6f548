//! KEYS pattern

use crate::ctx::Ctx;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_protocol::Reply;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let pattern = args[1];
    let all = pattern == b"*";
    // The count comes first on the wire: encode the keys aside, then copy them once.
    let mut body = Reply::new(ctx.out.version);
    let mut count = 0;
    ctx.keys.for_each(ctx.db, |item| {
        if all || glob_match(pattern, item.key(), false) {
            body.bulk(item.key());
            count += 1;
        }
    });
    ctx.out.array(count);
    ctx.out.raw(&body.buf);
}
