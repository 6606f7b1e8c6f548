//! BITOP <AND | OR | XOR | NOT> destkey key [key ...]

use crate::args::is;
use crate::commands::strings::{read_string, store_raw, Replied};
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

pub const NOT_SINGLE: &str = "ERR BITOP NOT must be called with a single source key.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    And,
    Or,
    Xor,
    Not,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let op = match argv[1] {
        name if is(name, "and") => Op::And,
        name if is(name, "or") => Op::Or,
        name if is(name, "xor") => Op::Xor,
        name if is(name, "not") => Op::Not,
        _ => return ctx.err(errors::SYNTAX),
    };
    if op == Op::Not && argv.len() != 4 {
        return ctx.err(NOT_SINGLE);
    }
    let dest = argv[2];
    let lfu = ctx.lfu();
    let db = ctx.db;
    // The sources are folded one at a time into the result, which grows to the
    // longest source; a missing key is an empty string. Every byte past the end of a
    // source reads as zero.
    let mut result: Vec<u8> = Vec::new();
    for (i, key) in argv[3..].iter().enumerate() {
        let value = match read_string(&mut ctx.keys, ctx.out, db, key, lfu) {
            Ok(Some(item)) => item.value(),
            Ok(None) => &[][..],
            Err(Replied) => return,
        };
        if i == 0 {
            result.extend_from_slice(value);
            if op == Op::Not {
                result.iter_mut().for_each(|b| *b = !*b);
            }
            continue;
        }
        let common = result.len().min(value.len());
        match op {
            Op::And => {
                for (r, s) in result[..common].iter_mut().zip(value) {
                    *r &= s;
                }
                result[common..].fill(0);
                // Past the previous sources everything is zero, and stays so.
                result.resize(result.len().max(value.len()), 0);
            }
            Op::Or => {
                for (r, s) in result[..common].iter_mut().zip(value) {
                    *r |= s;
                }
                result.extend_from_slice(&value[common..]);
            }
            Op::Xor => {
                for (r, s) in result[..common].iter_mut().zip(value) {
                    *r ^= s;
                }
                result.extend_from_slice(&value[common..]);
            }
            // NOT takes a single source, handled above.
            Op::Not => {}
        }
    }
    let len = result.len();
    if len > 0 {
        store_raw(ctx, dest, &[&result], None);
        ctx.notify(notify::STRING, "set", dest);
    } else if ctx.keys.remove(db, dest).is_some() {
        ctx.modified(dest);
        ctx.notify(notify::GENERIC, "del", dest);
    }
    ctx.out.int(len as i64);
}
