//! HINCRBYFLOAT key field increment

use super::{create_hash, write_hash, Fields};
use crate::commands::strings::Replied;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;
use crate::long_double::{self, IncrError};

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (key, field, increment) = (args[1], args[2], args[3]);
    // The increment is checked before the key is looked up, as redis-server does.
    if !long_double::is_valid(increment) {
        return ctx.err(errors::NOT_FLOAT);
    }
    match long_double::add(increment, b"0") {
        Ok(_) => {}
        Err(IncrError::NotFloat) => return ctx.err(errors::NOT_FLOAT),
        Err(IncrError::NanOrInfinity) => return ctx.err("ERR value is NaN or Infinity"),
    }
    let db = ctx.db;
    let limits = ctx.settings.hash_pack;
    let text = match write_hash(&mut ctx.keys, ctx.out, db, key) {
        Err(Replied) => return,
        Ok(Some(fields)) => {
            let current: &[u8] = fields.get(field).unwrap_or(b"0");
            let text = match long_double::add(current, increment) {
                Ok(text) => text,
                // The increment is valid: the stored value is not.
                Err(IncrError::NotFloat) => return ctx.err("ERR hash value is not a float"),
                Err(IncrError::NanOrInfinity) => {
                    return ctx.err("ERR increment would produce NaN or Infinity")
                }
            };
            fields.insert(field, text.as_bytes(), limits);
            text
        }
        Ok(None) => {
            let text = match long_double::add(b"0", increment) {
                Ok(text) => text,
                Err(IncrError::NotFloat) => return ctx.err(errors::NOT_FLOAT),
                Err(IncrError::NanOrInfinity) => {
                    return ctx.err("ERR increment would produce NaN or Infinity")
                }
            };
            let mut fields = Fields::new();
            fields.insert(field, text.as_bytes(), limits);
            create_hash(ctx, key, fields);
            text
        }
    };
    ctx.modified(key);
    ctx.notify(notify::HASH, "hincrbyfloat", key);
    // Propagated as an HSET of the result, so float rounding cannot diverge on replicas.
    ctx.propagate_as(vec![
        b"HSET".to_vec(),
        key.to_vec(),
        field.to_vec(),
        text.clone().into_bytes(),
    ]);
    ctx.out.bulk(text.as_bytes());
}
