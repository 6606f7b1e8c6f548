//! LATENCY LATEST | HISTORY event | RESET [event ...] | GRAPH event | DOCTOR |
//! HISTOGRAM [command ...] | HELP
//!
//! The latency monitor's series live in `Node::latency` (filled by
//! `Node::latency_sample`). HISTOGRAM reports each command's call count with an empty
//! distribution: per-command latency histograms are not kept.

use super::reply_help;
use crate::ctx::Ctx;
use crate::node::{unix_now, LatencySeries};
use crate::stats::ClientStats;
use crate::table::flags::*;
use crate::table::CommandSpec;

const ADMIN_SLOW: &str = "admin slow dangerous";

pub static SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec::new(
        "latency|doctor",
        2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        doctor,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.8.13",
        "Return a human readable latency analysis report.",
    ),
    CommandSpec::new(
        "latency|graph",
        3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        graph,
    )
    .acl(ADMIN_SLOW)
    .doc("server", "2.8.13", "Return a latency graph for the event."),
    CommandSpec::new("latency|help", 2, LOADING | STALE, help)
        .acl("slow")
        .doc(
            "server",
            "2.8.13",
            "Show helpful text about the different subcommands.",
        ),
    CommandSpec::new(
        "latency|histogram",
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        histogram,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "7.0.0",
        "Return the cumulative distribution of latencies of a subset of commands or all.",
    ),
    CommandSpec::new(
        "latency|history",
        3,
        ADMIN | NOSCRIPT | LOADING | STALE,
        history,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.8.13",
        "Return timestamp-latency samples for the event.",
    ),
    CommandSpec::new(
        "latency|latest",
        2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        latest,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.8.13",
        "Return the latest latency samples for all events.",
    ),
    CommandSpec::new(
        "latency|reset",
        -2,
        ADMIN | NOSCRIPT | LOADING | STALE,
        reset,
    )
    .acl(ADMIN_SLOW)
    .doc(
        "server",
        "2.8.13",
        "Reset latency data for one or more events.",
    ),
];

pub fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ],
    );
}

fn latest(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let latency = ctx.node.latency.lock();
    ctx.out.array(latency.len());
    for (event, series) in latency.iter() {
        let (time, millis) = series.samples.back().copied().unwrap_or((0, 0));
        ctx.out.array(4);
        ctx.out.bulk(event.as_bytes());
        ctx.out.int(time as i64);
        ctx.out.int(millis as i64);
        ctx.out.int(series.max as i64);
    }
}

fn series_of<'a>(
    latency: &'a std::collections::BTreeMap<&'static str, LatencySeries>,
    name: &[u8],
) -> Option<(&'static str, &'a LatencySeries)> {
    latency
        .iter()
        .find(|(event, _)| event.as_bytes() == name)
        .map(|(event, series)| (*event, series))
}

fn history(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let latency = ctx.node.latency.lock();
    match series_of(&latency, args[2]) {
        None => ctx.out.array(0),
        Some((_, series)) => {
            ctx.out.array(series.samples.len());
            for &(time, millis) in &series.samples {
                ctx.out.array(2);
                ctx.out.int(time as i64);
                ctx.out.int(millis as i64);
            }
        }
    }
}

fn reset(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut latency = ctx.node.latency.lock();
    let removed = if args.len() == 2 {
        let n = latency.len();
        latency.clear();
        n
    } else {
        let mut n = 0;
        for name in &args[2..] {
            if let Some((event, _)) = series_of(&latency, name) {
                latency.remove(event);
                n += 1;
            }
        }
        n
    };
    drop(latency);
    ctx.out.int(removed as i64);
}

fn graph(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let latency = ctx.node.latency.lock();
    let Some((event, series)) = series_of(&latency, args[2]) else {
        drop(latency);
        return ctx.err(&format!(
            "ERR No samples available for event '{}'",
            String::from_utf8_lossy(args[2])
        ));
    };
    let text = render_graph(event, series, unix_now());
    drop(latency);
    ctx.out.verbatim(text.as_bytes());
}

/// The LATENCY GRAPH text: a header, a rule, and a 4-row sparkline with the age of
/// each sample written vertically under it.
fn render_graph(event: &str, series: &LatencySeries, now: u64) -> String {
    let values: Vec<u64> = series.samples.iter().map(|s| s.1).collect();
    let labels: Vec<String> = series
        .samples
        .iter()
        .map(|&(time, _)| {
            let elapsed = now.saturating_sub(time);
            match elapsed {
                e if e < 60 => format!("{e}s"),
                e if e < 3600 => format!("{}m", e / 60),
                e if e < 86400 => format!("{}h", e / 3600),
                e => format!("{}d", e / 86400),
            }
        })
        .collect();
    let min = values.iter().copied().min().unwrap_or(0);
    let max = values.iter().copied().max().unwrap_or(0);
    let mut out = format!(
        "{event} - high {max} ms, low {min} ms (all time high {} ms)\n",
        series.max
    );
    out.push_str(&"-".repeat(80));
    out.push('\n');
    let mut first = true;
    for (chunk_values, chunk_labels) in values.chunks(80).zip(labels.chunks(80)) {
        if !first {
            out.push('\n');
        }
        first = false;
        sparkline(&mut out, chunk_values, chunk_labels, min, max);
    }
    out
}

/// redis-server's sparklineRenderRange with 4 rows and the filled charset.
fn sparkline(out: &mut String, values: &[u64], labels: &[String], min: u64, max: u64) {
    const CHARSET: &[u8] = b"_o#";
    const ROWS: usize = 4;
    let steps = (CHARSET.len() * ROWS) as f64;
    let relmax = if max == min { 1.0 } else { (max - min) as f64 };
    let has_labels = labels.iter().any(|l| !l.is_empty());
    let mut row = 0;
    loop {
        let mut line = vec![b' '; values.len()];
        let mut more = false;
        for (j, &value) in values.iter().enumerate() {
            let relval = (value - min) as f64;
            let step = (((relval * steps) as i64) as f64 / relmax) as i64;
            let step = step.clamp(0, steps as i64 - 1);
            if row < ROWS {
                more = true;
                let charidx = step - ((ROWS - row - 1) * CHARSET.len()) as i64;
                if (0..CHARSET.len() as i64).contains(&charidx) {
                    line[j] = CHARSET[charidx as usize];
                } else if charidx >= CHARSET.len() as i64 {
                    line[j] = b'|';
                }
            } else {
                if has_labels && row - ROWS < 1 {
                    more = true;
                    break;
                }
                let label = labels[j].as_bytes();
                let index = row - ROWS - 1;
                if index < label.len() {
                    more = true;
                    line[j] = label[index];
                }
            }
        }
        if !more {
            break;
        }
        row += 1;
        out.push_str(&String::from_utf8_lossy(&line));
        out.push('\n');
    }
}

fn doctor(ctx: &mut Ctx<'_>, _args: &[&[u8]]) {
    let settings = ctx.node.settings();
    let threshold = settings.latency_threshold_ms.max(0) as u64;
    let slowlog_slower_than = settings.slowlog_slower_than;
    let hz = settings.hz;
    drop(settings);
    let latency = ctx.node.latency.lock();
    let report = doctor_report(&latency, threshold, slowlog_slower_than, hz, unix_now());
    drop(latency);
    ctx.out.verbatim(report.as_bytes());
}

/// Average, mean absolute deviation and period of a series, as redis-server's
/// analyzeLatencyForEvent.
fn analyze(series: &LatencySeries, now: u64) -> (u64, u64, u64, usize) {
    let n = series.samples.len();
    if n == 0 {
        return (0, 0, 0, 0);
    }
    let sum: u64 = series.samples.iter().map(|s| s.1).sum();
    let avg = sum / n as u64;
    let oldest = series.samples.iter().map(|s| s.0).min().unwrap_or(now);
    let period = now.saturating_sub(oldest).max(1);
    let mad = series
        .samples
        .iter()
        .map(|s| s.1.abs_diff(avg))
        .sum::<u64>()
        / n as u64;
    (avg, mad, period, n)
}

fn doctor_report(
    latency: &std::collections::BTreeMap<&'static str, LatencySeries>,
    threshold: u64,
    slowlog_slower_than: i64,
    hz: u64,
    now: u64,
) -> String {
    if latency.is_empty() && threshold == 0 {
        return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n".into();
    }
    let mut report = String::new();
    let (mut slowlog_enable, mut slowlog_tuning, mut slowlog_inspect) = (false, false, false);
    let (mut scheduler, mut hz_advice, mut large_objects, mut mass_eviction) =
        (false, false, false, false);
    let mut advices = 0;
    for (n, (event, series)) in latency.iter().enumerate() {
        if n == 0 {
            report.push_str("Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n");
        }
        let (avg, mad, period, samples) = analyze(series, now);
        report.push_str(&format!(
            "{}. {event}: {samples} latency spikes (average {avg}ms, mean deviation {mad}ms, period {:.2} sec). Worst all time event {}ms.",
            n + 1,
            period as f64 / samples.max(1) as f64,
            series.max
        ));
        match *event {
            "command" => {
                if slowlog_slower_than < 0 {
                    slowlog_enable = true;
                    advices += 1;
                } else if (slowlog_slower_than / 1000) as u64 > threshold {
                    slowlog_tuning = true;
                    advices += 1;
                }
                slowlog_inspect = true;
                large_objects = true;
                advices += 2;
            }
            "fast-command" => {
                scheduler = true;
                advices += 1;
            }
            "expire-cycle" => {
                hz_advice = true;
                large_objects = true;
                advices += 2;
            }
            "eviction-del" => {
                large_objects = true;
                advices += 1;
            }
            "eviction-cycle" => {
                mass_eviction = true;
                advices += 1;
            }
            _ => {}
        }
        report.push('\n');
    }
    if latency.is_empty() && advices == 0 {
        report.push_str("Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n");
        return report;
    }
    if advices == 0 {
        report.push_str("\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n");
        return report;
    }
    report.push_str("\nI have a few advices for you:\n\n");
    if slowlog_enable {
        report.push_str(&format!("- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than {}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n", threshold * 1000));
    }
    if slowlog_tuning {
        report.push_str(&format!("- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than {}'.\n", threshold * 1000));
    }
    if slowlog_inspect {
        report.push_str("- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n");
    }
    if scheduler {
        report.push_str("- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n  1) Lower the system load.\n  2) Use a computer / VM just for Redis if you are running other software in the same system.\n  3) Check if you have a \"noisy neighbour\" problem.\n  4) Check with 'redis-cli --intrinsic-latency 100' what is the intrinsic latency in your system.\n  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n");
    }
    if hz_advice && hz < 100 {
        report.push_str("- In order to make the Redis keys expiring process more incremental, try to set the 'hz' configuration parameter to 100 using 'CONFIG SET hz 100'.\n");
    }
    if large_objects {
        report.push_str("- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n");
    }
    if mass_eviction {
        report.push_str("- Sudden changes to the 'maxmemory' setting via 'CONFIG SET', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n");
    }
    report
}

/// Every command and subcommand that was called, with its call count.
fn called_commands(ctx: &Ctx<'_>, totals: &ClientStats) -> Vec<(&'static str, u64)> {
    let mut all: Vec<&'static CommandSpec> = Vec::new();
    for spec in ctx.node.table.all() {
        all.push(spec);
        all.extend(spec.subcommands.iter());
    }
    all.sort_by_key(|s| s.name);
    all.into_iter()
        .filter_map(|s| {
            totals
                .commands
                .get(&crate::stats::CommandKey(s))
                .filter(|c| c.calls > 0)
                .map(|c| (s.name, c.calls))
        })
        .collect()
}

fn histogram(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let mut totals = ctx.node.total_stats();
    totals.merge(&ctx.client.stats);
    let called = called_commands(ctx, &totals);
    let wanted: Vec<(&'static str, u64)> = if args.len() == 2 {
        called
    } else {
        let mut picked = Vec::new();
        for name in &args[2..] {
            let Some(spec) = super::command::lookup(ctx.node, name) else {
                continue;
            };
            if let Some(&entry) = called.iter().find(|(n, _)| *n == spec.name) {
                if !picked.iter().any(|(n, _): &(&str, u64)| *n == entry.0) {
                    picked.push(entry);
                }
            }
        }
        picked
    };
    ctx.out.map(wanted.len());
    for (name, calls) in wanted {
        ctx.out.bulk(name.as_bytes());
        ctx.out.map(2);
        ctx.out.bulk(b"calls");
        ctx.out.int(calls as i64);
        ctx.out.bulk(b"histogram_usec");
        ctx.out.map(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, VecDeque};

    #[test]
    fn graph_shape() {
        let series = LatencySeries {
            samples: VecDeque::from(vec![(100, 10), (110, 20), (120, 40)]),
            max: 40,
        };
        let text = render_graph("command", &series, 130);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "command - high 40 ms, low 10 ms (all time high 40 ms)"
        );
        assert_eq!(lines[1].len(), 80);
        // 4 sparkline rows, a blank line, then the vertical labels "30s", "20s", "10s".
        assert_eq!(lines[2], "  #");
        assert_eq!(lines[6].trim(), "");
        assert_eq!(lines[7], "321");
        assert_eq!(lines[8], "000");
        assert_eq!(lines[9], "sss");
    }

    #[test]
    fn doctor_texts() {
        let empty = BTreeMap::new();
        assert!(doctor_report(&empty, 0, 10000, 10, 0).starts_with("I'm sorry, Dave"));
        assert!(doctor_report(&empty, 100, 10000, 10, 0).starts_with("Dave, no latency spike"));
        let mut events = BTreeMap::new();
        events.insert(
            "command",
            LatencySeries {
                samples: VecDeque::from(vec![(100, 200), (101, 300)]),
                max: 300,
            },
        );
        let report = doctor_report(&events, 100, 10000, 10, 102);
        assert!(report.contains("1. command: 2 latency spikes (average 250ms, mean deviation 50ms, period 1.00 sec). Worst all time event 300ms."));
        assert!(report.contains("I have a few advices for you"));
    }
}
