//! ZINTERCARD numkeys key [key ...] [LIMIT limit]
//!
//! The size of the intersection, counting stops at LIMIT (0: no limit).

use super::setops::{generic, Op, Output};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    generic(ctx, args, 1, Op::Inter, Output::Cardinality);
}
