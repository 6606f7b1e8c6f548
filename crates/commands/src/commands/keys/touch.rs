//! TOUCH key [key ...]

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    let mut touched = 0;
    for key in &args[1..] {
        if ctx.keys.read(ctx.db, key, lfu).is_some() {
            touched += 1;
        }
    }
    ctx.out.int(touched);
}
