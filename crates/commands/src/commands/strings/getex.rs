//! GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
//! PXAT unix-time-milliseconds | PERSIST]

use super::set::expire_time;
use super::{read_string, Replied};
use crate::args::is;
use crate::config::notify;
use crate::ctx::Ctx;
use crate::errors;

enum Change {
    None,
    Expire(u64),
    Persist,
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut change = Change::None;
    let mut i = 2;
    while i < args.len() {
        let arg = args[i];
        let next = args.get(i + 1).copied();
        let given = !matches!(change, Change::None);
        if is(arg, "persist") && !given {
            change = Change::Persist;
        } else if !given
            && next.is_some()
            && (is(arg, "ex") || is(arg, "px") || is(arg, "exat") || is(arg, "pxat"))
        {
            let seconds = is(arg, "ex") || is(arg, "exat");
            let absolute = is(arg, "exat") || is(arg, "pxat");
            let Some(when) = expire_time(ctx, next.unwrap_or_default(), seconds, absolute, "getex")
            else {
                return;
            };
            change = Change::Expire(when);
            i += 1;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 1;
    }
    let lfu = ctx.lfu();
    let key = args[1];
    let had_ttl = match read_string(&mut ctx.keys, ctx.out, ctx.db, key, lfu) {
        Ok(Some(item)) => {
            ctx.out.bulk(item.value());
            item.expire_at().is_some()
        }
        Ok(None) => return ctx.out.null(),
        Err(Replied) => return,
    };
    match change {
        Change::None => {}
        Change::Expire(when) if when <= ctx.keys.now_ms => {
            ctx.keys.remove(ctx.db, key);
            ctx.modified(key);
            ctx.propagate_as(vec![b"DEL".to_vec(), key.to_vec()]);
            ctx.notify(notify::GENERIC, "del", key);
        }
        Change::Expire(when) => {
            ctx.keys.set_expire(ctx.db, key, Some(when));
            ctx.modified(key);
            ctx.propagate_as(vec![
                b"PEXPIREAT".to_vec(),
                key.to_vec(),
                when.to_string().into_bytes(),
            ]);
            ctx.notify(notify::GENERIC, "expire", key);
        }
        Change::Persist if had_ttl => {
            ctx.keys.set_expire(ctx.db, key, None);
            ctx.modified(key);
            ctx.propagate_as(vec![b"PERSIST".to_vec(), key.to_vec()]);
            ctx.notify(notify::GENERIC, "persist", key);
        }
        Change::Persist => {}
    }
}
