//! INCRBYFLOAT key increment

use super::{store, write_lookup};
use crate::args;
use crate::config::notify;
use crate::ctx::Ctx;
use ferrocache_protocol::number::{format_human, parse_f64};

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[1];
    let Some(delta) = args::float(ctx, argv[2]) else { return };
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else { return };
    let (current, ttl) = match existing {
        Some(item) => match parse_f64(item.value()) {
            Some(n) => (n, item.expire_at()),
            None => return ctx.err("ERR value is not a valid float"),
        },
        None => (0.0, None),
    };
    let next = current + delta;
    if next.is_nan() || next.is_infinite() {
        return ctx.err("ERR increment would produce NaN or Infinity");
    }
    let text = format_human(next);
    store(ctx, key, &[text.as_bytes()], ttl);
    ctx.notify(notify::STRING, "incrbyfloat", key);
    // Propagated as a SET of the result, so float rounding cannot diverge on replicas.
    ctx.propagate_as(vec![b"SET".to_vec(), key.to_vec(), text.clone().into_bytes(), b"KEEPTTL".to_vec()]);
    ctx.out.bulk(text.as_bytes());
}
