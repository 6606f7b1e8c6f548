//! BRPOPLPUSH source destination timeout
//!
//! RPOPLPUSH (and propagated as RPOPLPUSH) when the source list exists; otherwise it
//! would wait up to `timeout` seconds (0: forever). Blocking is not implemented yet:
//! with nothing to pop, it replies at once what redis-server replies when the timeout
//! expires (see [`super::time_out`]).

use super::blmove::blocking_move;
use super::{timeout, End};
use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(timeout) = timeout(ctx, args[3]) else {
        return;
    };
    let propagated = vec![b"RPOPLPUSH".to_vec(), args[1].to_vec(), args[2].to_vec()];
    blocking_move(ctx, args, End::Right, End::Left, timeout, propagated);
}
