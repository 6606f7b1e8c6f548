//! CLIENT TRACKING ON|OFF [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]]
//! [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
//!
//! Records the tracking mode and its options with redis-server's validation (CLIENT
//! LIST / TRACKINGINFO / GETREDIR / CACHING report and check them) and registers the
//! client in the node's tracking table, which sends the invalidations
//! (`crate::tracking`).

use crate::args::is;
use crate::client::Tracking;
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_protocol::number::parse_i64;

/// Options parsed from the command line.
#[derive(Default)]
struct Options<'a> {
    redirect: i64,
    bcast: bool,
    optin: bool,
    optout: bool,
    noloop: bool,
    prefixes: Vec<&'a [u8]>,
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut opts = Options::default();
    let mut j = 3;
    while j < args.len() {
        let more = j + 1 < args.len();
        let arg = args[j];
        if is(arg, "redirect") && more {
            j += 1;
            if opts.redirect != 0 {
                return ctx.err("ERR A client can only redirect to a single other client");
            }
            let Some(id) = parse_i64(args[j]) else {
                return ctx.err(errors::NOT_INTEGER);
            };
            opts.redirect = id;
            let exists = id > 0 && ctx.node.clients.lock().contains_key(&(id as u64));
            if !exists {
                return ctx.err("ERR The client ID you want redirect to does not exist");
            }
        } else if is(arg, "bcast") {
            opts.bcast = true;
        } else if is(arg, "optin") {
            opts.optin = true;
        } else if is(arg, "optout") {
            opts.optout = true;
        } else if is(arg, "noloop") {
            opts.noloop = true;
        } else if is(arg, "prefix") && more {
            j += 1;
            opts.prefixes.push(args[j]);
        } else {
            return ctx.err(errors::SYNTAX);
        }
        j += 1;
    }

    if is(args[2], "on") {
        enable(ctx, opts);
    } else if is(args[2], "off") {
        super::disable_tracking(ctx.node, ctx.client);
        ctx.out.ok();
    } else {
        ctx.err(errors::SYNTAX);
    }
}

fn enable(ctx: &mut Ctx<'_>, opts: Options<'_>) {
    if !opts.bcast && !opts.prefixes.is_empty() {
        return ctx.err("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if let Some(current) = &ctx.client.tracking {
        if current.bcast != opts.bcast {
            return ctx.err(
                "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
            );
        }
    }
    if opts.bcast && (opts.optin || opts.optout) {
        return ctx.err("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if opts.optin && opts.optout {
        return ctx.err("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if let Some(current) = &ctx.client.tracking {
        if (opts.optin && current.optout) || (opts.optout && current.optin) {
            return ctx.err(
                "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
            );
        }
    }
    if opts.bcast {
        let existing = ctx.client.tracking.as_ref().map(|t| &t.prefixes);
        match prefix_collision(existing, &opts.prefixes) {
            Collision::None => {}
            Collision::Refused(text) => return ctx.err(&text),
            // redis-server 7.0 replies the error and then goes on enabling tracking
            // and replies +OK as well: two replies to one command.
            Collision::Reported(text) => ctx.err(&text),
        }
    }

    let tracking = ctx.client.tracking.get_or_insert_with(Tracking::default);
    tracking.redirect = opts.redirect as u64;
    tracking.bcast = opts.bcast;
    tracking.optin = opts.optin;
    tracking.optout = opts.optout;
    tracking.noloop = opts.noloop;
    if opts.bcast {
        if opts.prefixes.is_empty() {
            tracking.prefixes.insert(Vec::new());
        }
        for prefix in &opts.prefixes {
            tracking.prefixes.insert(prefix.to_vec());
        }
    }
    let (redirect, bcast) = (tracking.redirect, tracking.bcast);
    let subscriber = crate::tracking::Subscriber {
        redirect,
        bcast,
        noloop: tracking.noloop,
        prefixes: tracking.prefixes.iter().cloned().collect(),
    };
    ctx.node.tracking.enable(ctx.client.id(), subscriber);
    ctx.client
        .shared
        .tracking_redirect_broken
        .store(false, std::sync::atomic::Ordering::Relaxed);
    {
        let mut info = ctx.client.shared.info.lock();
        info.tracking = true;
        info.tracking_redirect = redirect;
        info.tracking_bcast = bcast;
    }
    ctx.out.ok();
}

#[derive(Debug, PartialEq)]
enum Collision {
    None,
    /// The command fails with this error.
    Refused(String),
    /// This error is replied but the command still succeeds (see `enable`).
    Reported(String),
}

/// True when invalidations for one key could be due to both prefixes.
fn overlaps(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

/// Checks new BCAST prefixes against the client's and against each other, in the
/// order redis-server does and with its messages.
fn prefix_collision(
    existing: Option<&std::collections::BTreeSet<Vec<u8>>>,
    prefixes: &[&[u8]],
) -> Collision {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    for (i, prefix) in prefixes.iter().enumerate() {
        if let Some(old) = existing.and_then(|set| set.iter().find(|old| overlaps(old, prefix))) {
            return Collision::Refused(format!(
                "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                text(prefix),
                text(old)
            ));
        }
        if let Some(other) = prefixes[i + 1..]
            .iter()
            .find(|other| overlaps(prefix, other))
        {
            let message = format!(
                "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                text(prefix),
                text(other)
            );
            // redis-server reports failure by returning the index of the offending
            // prefix, which only reads as a failure for the first one.
            return if i == 0 {
                Collision::Refused(message)
            } else {
                Collision::Reported(message)
            };
        }
    }
    Collision::None
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn collisions() {
        assert_eq!(prefix_collision(None, &[b"a", b"b"]), Collision::None);
        assert!(matches!(
            prefix_collision(None, &[b"ab", b"a"]),
            Collision::Refused(_)
        ));
        assert!(matches!(
            prefix_collision(None, &[b"a", b"b", b"b"]),
            Collision::Reported(_)
        ));
        let existing: BTreeSet<Vec<u8>> = [Vec::new()].into_iter().collect();
        match prefix_collision(Some(&existing), &[b"a"]) {
            Collision::Refused(text) => assert_eq!(
                text,
                "ERR Prefix 'a' overlaps with an existing prefix ''. Prefixes for a single client must not overlap."
            ),
            other => panic!("{other:?}"),
        }
    }
}
