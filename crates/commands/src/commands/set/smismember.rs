//! SMISMEMBER key member [member ...]

use super::read_set;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let lfu = ctx.lfu();
    // A missing key is an empty set: every answer is 0.
    let Ok(set) = read_set(&mut ctx.keys, ctx.out, ctx.db, args[1], lfu) else {
        return;
    };
    let members = &args[2..];
    ctx.out.array(members.len());
    for member in members {
        ctx.out.int(set.is_some_and(|s| s.contains(member)) as i64);
    }
}
