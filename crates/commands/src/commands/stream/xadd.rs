//! XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value
//! [field value ...]
//!
//! Appends an entry, replying its ID (nil with NOMKSTREAM on a missing key), then
//! trims. Propagated with the ID it got and, for `~`, the exact trim it did.

use super::xtrim;
use super::{create, parse_id_arg, stream_mut, write_stream, written, IdArg, INVALID_ID};
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::{AddError, NewId, StreamId};

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(parsed) = xtrim::parse(ctx, args, true) else {
        return;
    };
    let id_at = parsed.id_at;
    let fields = args.len().saturating_sub(id_at + 1);
    if id_at >= args.len() || fields < 2 || fields % 2 == 1 {
        return ctx.err(&errors::wrong_arity(ctx.spec.name));
    }
    let new = if args[id_at] == b"*" {
        NewId::Auto
    } else {
        match parse_id_arg(args[id_at], 0, true, true) {
            Some(IdArg::Id(id)) => NewId::Exact(id),
            Some(IdArg::MsStar(ms)) => NewId::Ms(ms),
            None => return ctx.err(INVALID_ID),
        }
    };
    if new == NewId::Exact(StreamId::MIN) {
        return ctx.err("ERR The ID specified in XADD must be greater than 0-0");
    }
    let key = args[1];
    let db = ctx.db;
    match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) if parsed.nomkstream => return ctx.out.null(),
        Ok(None) => create(ctx, key),
        Ok(Some(_)) => {}
    }
    let limits = super::node_limits(ctx);
    let now = ctx.keys.now_ms;
    let Some(stream) = stream_mut(ctx, key) else {
        return;
    };
    if stream.log().last_id == StreamId::MAX {
        return ctx
            .err("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    let id =
        match stream.log_mut().add(new, &args[id_at + 1..], limits, now) {
            Ok(id) => id,
            Err(AddError::NotGreater) => return ctx.err(
                "ERR The ID specified in XADD is equal or smaller than the target stream top item",
            ),
            Err(AddError::TooLarge) => return ctx.err("ERR Elements are too large to be stored"),
        };
    let trimmed = xtrim::apply(stream, &parsed);
    let mut argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
    argv[id_at] = id.to_string().into_bytes();
    if parsed.trim.is_some() {
        xtrim::rewrite(&mut argv, stream, &parsed);
    }
    super::reply_id(ctx.out, id);
    written(ctx, key, "xadd", 1);
    if trimmed > 0 {
        ctx.notify(crate::config::notify::STREAM, "xtrim", key);
    }
    ctx.propagate_as(argv);
    ctx.signal_ready(key);
}
