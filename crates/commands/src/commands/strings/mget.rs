//! MGET key [key ...]

use crate::ctx::Ctx;
use ferrocache_keyspace::Kind;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    ctx.out.array(args.len() - 1);
    for key in &args[1..] {
        match ctx.keys.read(ctx.db, key, lfu) {
            // Keys of another type read as nil, as in redis-server.
            Some(item) if item.kind() == Kind::String => ctx.out.bulk(item.value()),
            _ => ctx.out.null(),
        }
    }
}
