//! PFSELFTEST: checks the register packing and the estimator's error bounds.

use super::hll;
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    match hll::self_test() {
        Ok(()) => ctx.out.simple("OK"),
        Err(message) => ctx.err(&format!("ERR {message}")),
    }
}
