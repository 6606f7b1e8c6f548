//! PFDEBUG GETREG|DECODE|ENCODING|TODENSE key

use super::{hll, load};
use crate::commands::strings::store_raw;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let (sub, key) = (args[1].to_ascii_lowercase(), args[2]);
    let Ok(existing) = load(ctx, key, false) else {
        return;
    };
    let Some((mut value, ttl)) = existing else {
        return ctx.err("ERR The specified key does not exist");
    };
    match sub.as_slice() {
        b"getreg" => {
            // Like redis-server, reading the registers makes the value dense.
            if let Err(e) = hll::to_dense(&mut value) {
                return ctx.err(e.message());
            }
            let Ok(registers) = hll::registers(&value) else {
                return ctx.err(hll::CORRUPT);
            };
            store_raw(ctx, key, &[&value], ttl);
            ctx.out.array(registers.len());
            for register in registers {
                ctx.out.int(register as i64);
            }
        }
        b"decode" => {
            if hll::validate(&value) != Ok(hll::Encoding::Sparse) {
                return ctx.err("ERR HLL encoding is not sparse");
            }
            match hll::describe_sparse(&value) {
                Ok(text) => ctx.out.simple(&text),
                Err(e) => ctx.err(e.message()),
            }
        }
        b"encoding" => match hll::validate(&value) {
            Ok(hll::Encoding::Dense) => ctx.out.simple("dense"),
            _ => ctx.out.simple("sparse"),
        },
        b"todense" => {
            let was_sparse = hll::validate(&value) == Ok(hll::Encoding::Sparse);
            if let Err(e) = hll::to_dense(&mut value) {
                return ctx.err(e.message());
            }
            if was_sparse {
                store_raw(ctx, key, &[&value], ttl);
            }
            ctx.out.int(was_sparse as i64);
        }
        _ => ctx.err(&format!(
            "ERR Unknown PFDEBUG subcommand '{}'",
            String::from_utf8_lossy(args[1])
        )),
    }
}
