//! AUTH [username] password

use crate::ctx::Ctx;

pub const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// Checks a username/password pair against the default user.
pub fn check(ctx: &Ctx<'_>, user: &[u8], password: &[u8]) -> bool {
    let settings = ctx.node.settings();
    user.eq_ignore_ascii_case(b"default")
        && settings
            .requirepass
            .as_deref()
            .is_none_or(|p| p == password)
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() > 3 {
        return ctx.err(crate::errors::SYNTAX);
    }
    let (user, password): (&[u8], &[u8]) = if args.len() == 3 {
        (args[1], args[2])
    } else {
        (b"default", args[1])
    };
    if args.len() == 2 && ctx.node.settings().requirepass.is_none() {
        return ctx.err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
    }
    if check(ctx, user, password) {
        ctx.client.authenticated = true;
        ctx.out.ok();
    } else {
        ctx.err(WRONGPASS);
    }
}
