//! INCRBYFLOAT key increment

use super::{store, write_lookup};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::long_double::{self, IncrError};

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let key = argv[1];
    let db = ctx.db;
    let Ok(existing) = write_lookup(&mut ctx.keys, ctx.out, db, key) else {
        return;
    };
    let (current, ttl) = match existing {
        Some(item) => (item.value().to_vec(), item.expire_at()),
        None => (b"0".to_vec(), None),
    };
    if !long_double::is_valid(argv[2])
        || long_double::add(argv[2], b"0") == Err(IncrError::NotFloat)
    {
        return ctx.err("ERR value is not a valid float");
    }
    let text = match long_double::add(&current, argv[2]) {
        Ok(text) => text,
        Err(IncrError::NotFloat) => return ctx.err("ERR value is not a valid float"),
        Err(IncrError::NanOrInfinity) => {
            return ctx.err("ERR increment would produce NaN or Infinity")
        }
    };
    store(ctx, key, &[text.as_bytes()], ttl);
    ctx.notify(notify::STRING, "incrbyfloat", key);
    // Propagated as a SET of the result, so float rounding cannot diverge on replicas.
    ctx.propagate_as(vec![
        b"SET".to_vec(),
        key.to_vec(),
        text.clone().into_bytes(),
        b"KEEPTTL".to_vec(),
    ]);
    ctx.out.bulk(text.as_bytes());
}
