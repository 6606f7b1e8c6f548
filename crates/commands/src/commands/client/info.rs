//! CLIENT INFO
//!
//! The calling connection's CLIENT LIST line.

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let shared = ctx.client.shared.clone();
    let info = shared.info.lock().clone();
    let mut text = Vec::new();
    super::list::write_line(ctx, args, &mut text, &shared, &info);
    ctx.out.verbatim(&text);
}
