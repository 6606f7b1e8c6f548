//! MSETNX key value [key value ...]

use super::mset::set_pairs;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len().is_multiple_of(2) {
        return ctx.err(&errors::wrong_arity("msetnx"));
    }
    let db = ctx.db;
    if args[1..]
        .chunks_exact(2)
        .any(|pair| ctx.keys.exists(db, pair[0]))
    {
        return ctx.out.int(0);
    }
    set_pairs(ctx, args);
    ctx.out.int(1);
}
