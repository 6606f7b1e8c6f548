//! LINSERT key BEFORE|AFTER pivot element

use super::{write_list, written};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, pivot, element) = (args[1], args[3], args[4]);
    let after = if is(args[2], "after") {
        true
    } else if is(args[2], "before") {
        false
    } else {
        return ctx.err(errors::SYNTAX);
    };
    let db = ctx.db;
    let list = match write_list(&mut ctx.keys, ctx.out, db, key) {
        Ok(Some(list)) => list,
        Ok(None) => return ctx.out.int(0),
        Err(Replied) => return,
    };
    let Some(at) = list.iter().position(|v| v == pivot) else {
        return ctx.out.int(-1);
    };
    list.insert(if after { at + 1 } else { at }, element);
    ctx.out.int(list.len() as i64);
    written(ctx, key, 1);
    ctx.notify(notify::LIST, "linsert", key);
}
