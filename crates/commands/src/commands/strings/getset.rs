//! GETSET key value

use super::set::{set_generic, SetOptions};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let opts = SetOptions {
        get: true,
        ..Default::default()
    };
    set_generic(ctx, args[1], args[2], opts);
}
