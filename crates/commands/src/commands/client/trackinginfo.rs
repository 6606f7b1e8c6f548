//! CLIENT TRACKINGINFO

use crate::ctx::Ctx;

pub fn run(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let tracking = ctx.client.tracking.as_ref();
    let mut flags: Vec<&str> = Vec::with_capacity(5);
    match tracking {
        None => flags.push("off"),
        Some(t) => {
            flags.push("on");
            if t.bcast {
                flags.push("bcast");
            }
            if t.optin {
                flags.push("optin");
                if t.caching {
                    flags.push("caching-yes");
                }
            }
            if t.optout {
                flags.push("optout");
                if t.caching {
                    flags.push("caching-no");
                }
            }
            if t.noloop {
                flags.push("noloop");
            }
            if t.redirect != 0
                && ctx
                    .client
                    .shared
                    .tracking_redirect_broken
                    .load(std::sync::atomic::Ordering::Relaxed)
            {
                flags.push("broken_redirect");
            }
        }
    }
    let out = &mut *ctx.out;
    out.map(3);
    out.bulk(b"flags");
    out.set(flags.len());
    for flag in flags {
        out.bulk(flag.as_bytes());
    }
    out.bulk(b"redirect");
    out.int(tracking.map_or(-1, |t| t.redirect as i64));
    out.bulk(b"prefixes");
    match tracking {
        Some(t) => {
            out.array(t.prefixes.len());
            for prefix in &t.prefixes {
                out.bulk(prefix);
            }
        }
        None => out.array(0),
    }
}
