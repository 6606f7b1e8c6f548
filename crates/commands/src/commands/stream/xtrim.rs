//! XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
//!
//! Also home of the trimming options XADD shares. With `~`, only whole nodes are
//! removed, and at most LIMIT entries (default 100 nodes' worth); an approximate trim
//! is propagated as the exact one it turned out to be (`MAXLEN = <length>` or
//! `MINID = <first id>`), so replicas end up with the same entries.

use super::{parse_id_arg, parse_int, stream_mut, write_stream, written, IdArg, INVALID_ID};
use crate::args::is;
use crate::commands::strings::Replied;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::stream::{Stream, StreamId, Trim};

const BOTH: &str = "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";

/// The trimming options of XADD or XTRIM, and (for XADD) where the ID is.
#[derive(Debug, Default)]
pub struct TrimArgs {
    pub trim: Option<Trim>,
    pub approx: bool,
    /// 0: no limit.
    pub limit: u64,
    /// Position of the MAXLEN/MINID value (rewritten for propagation).
    pub value_at: usize,
    pub nomkstream: bool,
    /// XADD: position of the ID argument.
    pub id_at: usize,
}

/// Parses options from `args[2]` on. For XADD, stops at the ID (the first argument
/// that is not an option). Replies the error and returns None on failure.
pub fn parse(ctx: &mut Ctx<'_>, args: &[&[u8]], xadd: bool) -> Option<TrimArgs> {
    let mut parsed = TrimArgs::default();
    let mut limit_given = false;
    let mut i = 2;
    while i < args.len() {
        let more = args.len() - 1 - i;
        let opt = args[i];
        if xadd && opt == b"*" {
            break;
        } else if (is(opt, "maxlen") || is(opt, "minid")) && more > 0 {
            if parsed.trim.is_some() {
                ctx.err(BOTH);
                return None;
            }
            parsed.approx = false;
            let next = args[i + 1];
            if more >= 2 && (next == b"~" || next == b"=") {
                parsed.approx = next == b"~";
                i += 1;
            }
            let value = args[i + 1];
            if is(opt, "maxlen") {
                let max = parse_int(ctx, value)?;
                if max < 0 {
                    ctx.err("ERR The MAXLEN argument must be >= 0.");
                    return None;
                }
                parsed.trim = Some(Trim::MaxLen(max as u64));
            } else {
                match parse_id_arg(value, 0, true, false) {
                    Some(IdArg::Id(id)) => parsed.trim = Some(Trim::MinId(id)),
                    _ => {
                        ctx.err(INVALID_ID);
                        return None;
                    }
                }
            }
            i += 1;
            parsed.value_at = i;
        } else if is(opt, "limit") && more > 0 {
            let limit = parse_int(ctx, args[i + 1])?;
            if limit < 0 {
                ctx.err("ERR The LIMIT argument must be >= 0.");
                return None;
            }
            parsed.limit = limit as u64;
            limit_given = true;
            i += 1;
        } else if xadd && is(opt, "nomkstream") {
            parsed.nomkstream = true;
        } else if xadd {
            break;
        } else {
            ctx.err(errors::SYNTAX);
            return None;
        }
        i += 1;
    }
    parsed.id_at = i;
    if parsed.limit > 0 && parsed.trim.is_none() {
        ctx.err("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
        return None;
    }
    if !xadd && parsed.trim.is_none() {
        ctx.err("ERR syntax error, XTRIM must be called with a trimming strategy");
        return None;
    }
    if limit_given {
        if !parsed.approx {
            ctx.err("ERR syntax error, LIMIT cannot be used without the special ~ option");
            return None;
        }
    } else if parsed.approx {
        let per_node = super::node_limits(ctx).max_entries as u64;
        parsed.limit = per_node.saturating_mul(100);
        if parsed.limit == 0 {
            parsed.limit = 10_000;
        }
        parsed.limit = parsed.limit.min(1_000_000);
    } else {
        parsed.limit = 0;
    }
    Some(parsed)
}

/// Applies the trim; returns how many entries went.
pub fn apply(stream: &mut Stream, parsed: &TrimArgs) -> u64 {
    match parsed.trim {
        Some(trim) => stream.log_mut().trim(trim, parsed.approx, parsed.limit),
        None => 0,
    }
}

/// Rewrites an approximate trim in `argv` as the exact one it turned out to be.
pub fn rewrite(argv: &mut [Vec<u8>], stream: &Stream, parsed: &TrimArgs) {
    if !parsed.approx || parsed.value_at == 0 {
        return;
    }
    argv[parsed.value_at - 1] = b"=".to_vec();
    argv[parsed.value_at] = match parsed.trim {
        Some(Trim::MinId(_)) => stream
            .log()
            .first_live()
            .unwrap_or(StreamId::MAX)
            .to_string()
            .into_bytes(),
        _ => stream.len().to_string().into_bytes(),
    };
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(parsed) = parse(ctx, args, false) else {
        return;
    };
    let key = args[1];
    let db = ctx.db;
    let stream = match write_stream(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(None) => return ctx.out.int(0),
        Ok(Some(stream)) => stream,
    };
    let deleted = apply(stream, &parsed);
    ctx.out.int(deleted as i64);
    if deleted > 0 {
        if parsed.approx {
            let mut argv: Vec<Vec<u8>> = args.iter().map(|a| a.to_vec()).collect();
            if let Some(stream) = stream_mut(ctx, key) {
                rewrite(&mut argv, stream, &parsed);
            }
            ctx.propagate_as(argv);
        }
        written(ctx, key, "xtrim", deleted);
    }
}
