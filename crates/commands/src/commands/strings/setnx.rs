//! SETNX key value

use super::set::{set_generic, Outcome, SetOptions};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let opts = SetOptions {
        nx: true,
        ..Default::default()
    };
    match set_generic(ctx, args[1], args[2], opts) {
        Outcome::Stored => ctx.out.int(1),
        Outcome::NotStored => ctx.out.int(0),
        Outcome::Failed => {}
    }
}
