//! EXISTS key [key ...]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut count = 0;
    for key in &args[1..] {
        // A key named twice counts twice, as in redis-server.
        if ctx.keys.read_untouched(ctx.db, key).is_some() {
            count += 1;
        }
    }
    ctx.out.int(count);
}
