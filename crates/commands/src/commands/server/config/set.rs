//! CONFIG SET parameter value [parameter value ...]
//!
//! All names are checked first (unknown, immutable or protected parameters,
//! duplicates), then the values are validated and applied together by `Settings::apply`: either every
//! value is set or none is. Concurrent CONFIG SETs are serialized so none is lost.

use super::super::protected_action_allowed;
use crate::config::{param, ConfigError};
use crate::ctx::Ctx;
use crate::errors;
use parking_lot::Mutex;

/// Parameters that only `enable-protected-configs` allows changing at run time.
const PROTECTED: &[&str] = &["dir", "dbfilename"];

static SETTING: Mutex<()> = Mutex::new(());

fn failed(name: &str, why: &str) -> String {
    format!("ERR CONFIG SET failed (possibly related to argument '{name}') - {why}")
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if args.len() & 1 != 0 {
        return ctx.err(errors::SYNTAX);
    }
    let pairs: Vec<(String, String)> = args[2..]
        .chunks(2)
        .map(|p| {
            (
                String::from_utf8_lossy(p[0]).into_owned(),
                String::from_utf8_lossy(p[1]).into_owned(),
            )
        })
        .collect();

    // Names are checked in order; the first problem found is the one reported.
    let mut seen: Vec<&'static str> = Vec::new();
    for (name, _) in &pairs {
        let Some(p) = param(name) else {
            return ctx.err(&ConfigError::Unknown(name.clone()).message());
        };
        if p.immutable {
            // Setting an immutable parameter to the value it has is accepted, as a no-op.
            let current = ctx
                .node
                .settings()
                .get(p.name)
                .unwrap_or(p.default)
                .to_string();
            let value = &pairs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let same = crate::config::normalize(p, value).is_ok_and(|v| v == current);
            if !same {
                return ctx.err(&failed(name, "can't set immutable config"));
            }
        }
        let protected = p.protected || PROTECTED.contains(&p.name);
        if protected
            && !protected_action_allowed(
                ctx.node.settings().get("enable-protected-configs"),
                ctx.client,
            )
        {
            return ctx.err(&failed(name, "can't set protected config"));
        }
        if seen.contains(&p.name) {
            return ctx.err(&failed(name, "duplicate parameter"));
        }
        seen.push(p.name);
    }

    let _serial = SETTING.lock();
    // Immutable parameters left here are set to the value they have: nothing to do.
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(name, _)| !param(name).is_some_and(|p| p.immutable))
        .collect();
    match ctx.node.settings().apply(&pairs, false) {
        Ok(next) => {
            let current = ctx.node.settings();
            if next.port != current.port || next.get("bind") != current.get("bind") {
                let rebind = ctx.node.rebind.lock();
                if let Some(rebind) = rebind.as_ref() {
                    if let Err(e) = rebind(&next) {
                        let which = if next.port != current.port {
                            "port"
                        } else {
                            "bind"
                        };
                        return ctx.err(&failed(
                            which,
                            &format!("Unable to listen on this port: {e}"),
                        ));
                    }
                }
            }
            drop(current);
            let lowered = next.maxmemory != 0 && next.maxmemory != ctx.node.settings().maxmemory;
            ctx.node.set_settings(next);
            // A lower limit takes effect at once, as in redis-server. Inside EXEC the
            // transaction holds stripes, and eviction waits for the next command.
            if lowered && !ctx.in_exec {
                crate::dispatch::evict_to_limit(ctx.node);
            }
            ctx.out.ok();
        }
        Err(ConfigError::Duplicate(name)) => ctx.err(&failed(&name, "duplicate parameter")),
        Err(e) => ctx.err(&e.message()),
    }
}
