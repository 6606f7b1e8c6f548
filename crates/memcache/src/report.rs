//! `stats` (general, settings, items, slabs, conns, sizes, detail, reset), and the
//! slab and LRU crawler maintenance commands, answered as memcached 1.6 answers them.
//!
//! There are no slabs here (items are individually allocated), so per-class figures
//! are computed by sorting the live items into memcached's slab classes by the size
//! memcached would give them: clients and tools that read `stats items` and
//! `stats slabs` see the same shape of numbers.

use crate::cache::{unix_secs, Cache};
use crate::session::Session;
use crate::stats::{rusage, StatWriter};
use std::sync::atomic::Ordering;

const SLAB_PAGE_SIZE: usize = 1024 * 1024;
const ITEM_HEADER: usize = 48;

/// memcached's slab class sizes for this configuration (class 1 first).
fn slab_classes(cache: &Cache) -> Vec<usize> {
    let config = &cache.config;
    let mut sizes = Vec::new();
    let mut size = (ITEM_HEADER + config.chunk_size) as f64;
    let max = config.slab_chunk_max;
    while sizes.len() < 62 {
        let mut aligned = size as usize;
        if !aligned.is_multiple_of(8) {
            aligned += 8 - aligned % 8;
        }
        if aligned as f64 * config.growth_factor > max as f64 / 2.0 && aligned >= max / 2 {
            break;
        }
        if aligned >= max {
            break;
        }
        sizes.push(aligned);
        size = aligned as f64 * config.growth_factor;
    }
    sizes.push(max);
    sizes
}

fn class_of(classes: &[usize], size: usize) -> usize {
    classes
        .iter()
        .position(|&c| size <= c)
        .unwrap_or(classes.len() - 1)
        + 1
}

#[derive(Default, Clone, Copy)]
struct ClassTotals {
    number: u64,
    bytes: u64,
    oldest_access: u32,
}

fn class_totals(cache: &Cache, now_ms: u64) -> (Vec<usize>, Vec<ClassTotals>) {
    let classes = slab_classes(cache);
    let mut totals = vec![ClassTotals::default(); classes.len() + 1];
    cache.for_each_item(now_ms, |view| {
        let size = Cache::memcached_size(view.key.len(), view.parts.flags, view.parts.data.len());
        let class = class_of(&classes, size);
        let t = &mut totals[class];
        t.number += 1;
        t.bytes += size as u64;
        let age = crate::cache::lru_age(now_ms, view.last_access);
        t.oldest_access = t.oldest_access.max(age);
    });
    (classes, totals)
}

pub(crate) fn stats(
    sess: &mut Session,
    cache: &Cache,
    tokens: &[&[u8]],
    out: &mut Vec<u8>,
    now_ms: u64,
) {
    cache.stats.absorb(&mut sess.stats);
    let mut w = StatWriter::default();
    match tokens.get(1).copied() {
        None => general(cache, &mut w),
        Some(b"reset") => {
            cache.reset_stats();
            out.extend_from_slice(b"RESET\r\n");
            return;
        }
        Some(b"detail") => {
            let reply: &[u8] = match tokens.get(2).copied() {
                Some(b"on") | Some(b"off") if tokens.len() >= 3 => b"OK\r\n",
                Some(b"dump") => b"END\r\n",
                _ => b"CLIENT_ERROR usage: stats detail on|off|dump\r\n",
            };
            out.extend_from_slice(reply);
            return;
        }
        Some(b"settings") => settings(cache, &mut w),
        Some(b"items") => {
            let (_, totals) = class_totals(cache, now_ms);
            for (class, t) in totals.iter().enumerate().filter(|(_, t)| t.number > 0) {
                let stat = |w: &mut StatWriter, name: &str, v: u64| {
                    w.stat(&format!("items:{class}:{name}"), v)
                };
                stat(&mut w, "number", t.number);
                stat(&mut w, "number_hot", 0);
                stat(&mut w, "number_warm", 0);
                stat(&mut w, "number_cold", t.number);
                stat(&mut w, "age_hot", 0);
                stat(&mut w, "age_warm", 0);
                stat(&mut w, "age", t.oldest_access as u64);
                stat(&mut w, "mem_requested", t.bytes);
                for name in [
                    "evicted",
                    "evicted_nonzero",
                    "evicted_time",
                    "outofmemory",
                    "tailrepairs",
                    "reclaimed",
                    "expired_unfetched",
                    "evicted_unfetched",
                    "evicted_active",
                ] {
                    stat(&mut w, name, 0);
                }
                stat(
                    &mut w,
                    "crawler_reclaimed",
                    cache.crawler_reclaimed.load(Ordering::Relaxed),
                );
                for name in [
                    "crawler_items_checked",
                    "lrutail_reflocked",
                    "moves_to_cold",
                    "moves_to_warm",
                    "moves_within_lru",
                    "direct_reclaims",
                    "hits_to_hot",
                    "hits_to_warm",
                    "hits_to_cold",
                    "hits_to_temp",
                ] {
                    stat(&mut w, name, 0);
                }
            }
        }
        Some(b"slabs") => {
            let (classes, totals) = class_totals(cache, now_ms);
            let mut active = 0;
            let mut malloced = 0u64;
            for (class, t) in totals.iter().enumerate().filter(|(_, t)| t.number > 0) {
                let size = classes[class - 1];
                let per_page = (SLAB_PAGE_SIZE / size).max(1) as u64;
                let pages = t.number.div_ceil(per_page);
                active += 1;
                malloced += pages * SLAB_PAGE_SIZE as u64;
                let stat =
                    |w: &mut StatWriter, name: &str, v: u64| w.stat(&format!("{class}:{name}"), v);
                stat(&mut w, "chunk_size", size as u64);
                stat(&mut w, "chunks_per_page", per_page);
                stat(&mut w, "total_pages", pages);
                stat(&mut w, "total_chunks", pages * per_page);
                stat(&mut w, "used_chunks", t.number);
                stat(&mut w, "free_chunks", pages * per_page - t.number);
                stat(&mut w, "free_chunks_end", 0);
                for name in [
                    "get_hits",
                    "cmd_set",
                    "delete_hits",
                    "incr_hits",
                    "decr_hits",
                    "cas_hits",
                    "cas_badval",
                    "touch_hits",
                ] {
                    stat(&mut w, name, 0);
                }
            }
            w.stat("active_slabs", active);
            w.stat("total_malloced", malloced);
        }
        Some(b"conns") => conns(cache, &mut w, now_ms),
        Some(b"cachedump") => {
            if !cache.config.dump_enabled {
                out.extend_from_slice(b"CLIENT_ERROR stats cachedump not allowed\r\n");
                return;
            }
            let (Some(class), Some(limit)) = (tokens.get(2), tokens.get(3)) else {
                out.extend_from_slice(b"CLIENT_ERROR bad command line\r\n");
                return;
            };
            let (Some(class), Some(limit)) =
                (crate::number::strtoul(class), crate::number::strtoul(limit))
            else {
                out.extend_from_slice(b"CLIENT_ERROR bad command line format\r\n");
                return;
            };
            if class >= 64 {
                out.extend_from_slice(b"CLIENT_ERROR Illegal slab id\r\n");
                return;
            }
            cache_dump(cache, class as usize, limit as usize, out, now_ms);
            return;
        }
        Some(b"sizes") => w.stat("sizes_status", "disabled"),
        Some(_) => {
            out.extend_from_slice(b"ERROR\r\n");
            return;
        }
    }
    out.extend_from_slice(&w.end());
}

/// `stats cachedump <class> <limit>`: `ITEM <key> [<bytes> b; <exptime> s]` lines.
fn cache_dump(cache: &Cache, class: usize, limit: usize, out: &mut Vec<u8>, now_ms: u64) {
    let classes = slab_classes(cache);
    let mut shown = 0;
    cache.for_each_item(now_ms, |view| {
        let size = Cache::memcached_size(view.key.len(), view.parts.flags, view.parts.data.len());
        if class_of(&classes, size) != class || (limit != 0 && shown >= limit) {
            return;
        }
        shown += 1;
        out.extend_from_slice(b"ITEM ");
        out.extend_from_slice(view.key);
        let exptime = view.expire_at.map(|ms| ms / 1000).unwrap_or(0);
        out.extend_from_slice(
            format!(" [{} b; {exptime} s]\r\n", view.parts.data.len()).as_bytes(),
        );
    });
    out.extend_from_slice(b"END\r\n");
}

fn general(cache: &Cache, w: &mut StatWriter) {
    let s = cache.stats.snapshot();
    let (user, system) = rusage();
    let (items, bytes) = cache.totals();
    let conns = &cache.conns;
    w.stat("pid", std::process::id());
    w.stat("uptime", cache.started.elapsed().as_secs());
    w.stat("time", unix_secs());
    w.stat("version", "1.6.18");
    w.stat("libevent", "2.1.12-stable");
    w.stat("pointer_size", 64);
    w.stat("rusage_user", user);
    w.stat("rusage_system", system);
    w.stat("max_connections", cache.config.max_connections);
    w.stat("curr_connections", conns.curr.load(Ordering::Relaxed));
    w.stat("total_connections", conns.total.load(Ordering::Relaxed));
    w.stat(
        "rejected_connections",
        conns.rejected.load(Ordering::Relaxed),
    );
    w.stat(
        "connection_structures",
        conns.structures.load(Ordering::Relaxed),
    );
    w.stat("response_obj_oom", 0);
    w.stat("response_obj_count", 1);
    w.stat("response_obj_bytes", 16384);
    w.stat("read_buf_count", conns.curr.load(Ordering::Relaxed));
    w.stat("read_buf_bytes", conns.curr.load(Ordering::Relaxed) * 16384);
    w.stat("read_buf_bytes_free", 0);
    w.stat("read_buf_oom", 0);
    w.stat("reserved_fds", 20);
    w.stat("cmd_get", s.cmd_get);
    w.stat("cmd_set", s.cmd_set);
    w.stat("cmd_flush", s.cmd_flush);
    w.stat("cmd_touch", s.cmd_touch);
    w.stat("cmd_meta", s.cmd_meta);
    w.stat("get_hits", s.get_hits);
    w.stat("get_misses", s.get_misses);
    w.stat("get_expired", s.get_expired);
    w.stat("get_flushed", s.get_flushed);
    w.stat("delete_misses", s.delete_misses);
    w.stat("delete_hits", s.delete_hits);
    w.stat("incr_misses", s.incr_misses);
    w.stat("incr_hits", s.incr_hits);
    w.stat("decr_misses", s.decr_misses);
    w.stat("decr_hits", s.decr_hits);
    w.stat("cas_misses", s.cas_misses);
    w.stat("cas_hits", s.cas_hits);
    w.stat("cas_badval", s.cas_badval);
    w.stat("touch_hits", s.touch_hits);
    w.stat("touch_misses", s.touch_misses);
    w.stat("store_too_large", s.store_too_large);
    w.stat("store_no_memory", s.store_no_memory);
    w.stat("auth_cmds", s.auth_cmds);
    w.stat("auth_errors", s.auth_errors);
    w.stat("bytes_read", s.bytes_read);
    w.stat("bytes_written", s.bytes_written);
    w.stat("limit_maxbytes", cache.memory_limit());
    w.stat("accepting_conns", 1);
    w.stat("listen_disabled_num", 0);
    w.stat("time_in_listen_disabled_us", 0);
    w.stat("threads", cache.config.threads);
    w.stat("conn_yields", s.conn_yields);
    let hash_power = (items.max(1).next_power_of_two().trailing_zeros()).max(16);
    w.stat("hash_power_level", hash_power);
    w.stat("hash_bytes", (1u64 << hash_power) * 8);
    w.stat("hash_is_expanding", 0);
    for name in [
        "slab_reassign_rescues",
        "slab_reassign_chunk_rescues",
        "slab_reassign_evictions_nomem",
        "slab_reassign_inline_reclaim",
        "slab_reassign_busy_items",
        "slab_reassign_busy_deletes",
        "slab_reassign_running",
        "slabs_moved",
        "lru_crawler_running",
    ] {
        w.stat(name, 0);
    }
    w.stat("lru_crawler_starts", 1);
    for name in [
        "lru_maintainer_juggles",
        "malloc_fails",
        "log_worker_dropped",
        "log_worker_written",
        "log_watcher_skipped",
        "log_watcher_sent",
        "log_watchers",
        "unexpected_napi_ids",
        "round_robin_fallback",
    ] {
        w.stat(name, 0);
    }
    w.stat("bytes", bytes);
    w.stat("curr_items", items);
    w.stat("total_items", s.total_items);
    w.stat("slab_global_page_pool", 0);
    w.stat("expired_unfetched", 0);
    w.stat("evicted_unfetched", 0);
    w.stat("evicted_active", 0);
    w.stat("evictions", cache.evictions());
    w.stat("reclaimed", 0);
    w.stat(
        "crawler_reclaimed",
        cache.crawler_reclaimed.load(Ordering::Relaxed),
    );
    for name in [
        "crawler_items_checked",
        "lrutail_reflocked",
        "moves_to_cold",
        "moves_to_warm",
        "moves_within_lru",
        "direct_reclaims",
        "lru_bumps_dropped",
    ] {
        w.stat(name, 0);
    }
}

fn settings(cache: &Cache, w: &mut StatWriter) {
    let c = &cache.config;
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    w.stat("maxbytes", cache.memory_limit());
    w.stat("maxconns", c.max_connections);
    w.stat("tcpport", c.port);
    w.stat("udpport", c.udp_port);
    w.stat(
        "inter",
        if c.listen.is_empty() {
            "NULL".to_string()
        } else {
            c.listen.join(",")
        },
    );
    w.stat("verbosity", cache.verbosity.load(Ordering::Relaxed));
    w.stat("oldest", 0);
    w.stat("evictions", if c.evictions { "on" } else { "off" });
    w.stat("domain_socket", "NULL");
    w.stat("umask", 700);
    w.stat("shutdown_command", yes_no(c.shutdown_command));
    w.stat("growth_factor", format!("{:.2}", c.growth_factor));
    w.stat("chunk_size", c.chunk_size);
    w.stat("num_threads", c.threads);
    w.stat("num_threads_per_udp", c.threads);
    w.stat("stat_key_prefix", c.stat_key_prefix);
    w.stat("detail_enabled", "no");
    w.stat("reqs_per_event", c.reqs_per_event);
    w.stat("cas_enabled", yes_no(c.use_cas));
    w.stat("tcp_backlog", c.backlog);
    w.stat("binding_protocol", c.binding.name());
    w.stat("auth_enabled_sasl", yes_no(c.sasl));
    w.stat("auth_enabled_ascii", "no");
    w.stat("item_size_max", c.item_size_max);
    w.stat("maxconns_fast", yes_no(c.maxconns_fast));
    w.stat("hashpower_init", c.hashpower_init);
    w.stat("slab_reassign", "yes");
    w.stat("slab_automove", 1);
    w.stat("slab_automove_ratio", "0.80");
    w.stat("slab_automove_window", 30);
    w.stat("slab_chunk_max", c.slab_chunk_max);
    w.stat(
        "lru_crawler",
        yes_no(cache.lru_crawler.load(Ordering::Relaxed)),
    );
    w.stat("lru_crawler_sleep", 100);
    w.stat("lru_crawler_tocrawl", 0);
    w.stat("tail_repair_time", 0);
    w.stat("flush_enabled", yes_no(c.flush_enabled));
    w.stat("dump_enabled", yes_no(c.dump_enabled));
    w.stat("hash_algorithm", "murmur3");
    w.stat("lru_maintainer_thread", yes_no(c.lru_maintainer));
    w.stat("lru_segmented", yes_no(c.lru_maintainer));
    w.stat("hot_lru_pct", 20);
    w.stat("warm_lru_pct", 40);
    w.stat("hot_max_factor", "0.20");
    w.stat("warm_max_factor", "2.00");
    w.stat("temp_lru", "no");
    w.stat("temporary_ttl", c.temporary_ttl);
    w.stat("idle_timeout", c.idle_timeout);
    w.stat("watcher_logbuf_size", 262144);
    w.stat("worker_logbuf_size", 65536);
    w.stat("read_buf_mem_limit", 0);
    w.stat("track_sizes", "no");
    w.stat("inline_ascii_response", "no");
    w.stat("ssl_enabled", "no");
    w.stat("num_napi_ids", "(null)");
    w.stat("memory_file", "(null)");
}

fn conns(cache: &Cache, w: &mut StatWriter, now_ms: u64) {
    let now = now_ms / 1000;
    let listeners = cache.conns.listeners.lock().clone();
    let mut fd = 20;
    for addr in &listeners {
        fd += 1;
        w.stat(&format!("{fd}:addr"), addr);
        w.stat(&format!("{fd}:state"), "conn_listening");
        w.stat(&format!("{fd}:secs_since_last_cmd"), 0);
    }
    for conn in cache.conns.list() {
        let id = conn.id + fd;
        w.stat(&format!("{id}:addr"), format!("tcp:{}", conn.addr));
        w.stat(
            &format!("{id}:listen_addr"),
            format!("tcp:{}", conn.listen_addr),
        );
        let state = match conn.state.load(Ordering::Relaxed) {
            1 => "conn_nread",
            _ => "conn_parse_cmd",
        };
        w.stat(&format!("{id}:state"), state);
        let last = conn.last_cmd.load(Ordering::Relaxed);
        w.stat(
            &format!("{id}:secs_since_last_cmd"),
            now.saturating_sub(last),
        );
    }
}

/// `slabs reassign|automove ...`: there are no slabs to move; the answers are the
/// ones memcached gives when there is nothing to do.
pub(crate) fn slabs_command(tokens: &[&[u8]], out: &mut Vec<u8>) {
    match (tokens.get(1).copied(), tokens.len()) {
        (Some(b"reassign"), 4) => {
            out.extend_from_slice(b"NOSPARE source class has no spare pages\r\n")
        }
        (Some(b"automove"), 3) => match crate::number::strtoul(tokens[2]) {
            Some(0..=2) => out.extend_from_slice(b"OK\r\n"),
            Some(_) => out.extend_from_slice(b"ERROR\r\n"),
            None => out.extend_from_slice(b"CLIENT_ERROR bad command line format\r\n"),
        },
        _ => out.extend_from_slice(b"ERROR\r\n"),
    }
}

/// Percent-encodes a key for metadump lines, as memcached does.
fn url_encode(key: &[u8], out: &mut Vec<u8>) {
    for &b in key {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
}

pub(crate) fn lru_crawler(cache: &Cache, tokens: &[&[u8]], out: &mut Vec<u8>, now_ms: u64) {
    match tokens.get(1).copied() {
        Some(b"enable") => {
            cache.lru_crawler.store(true, Ordering::Relaxed);
            out.extend_from_slice(b"OK\r\n");
        }
        Some(b"disable") => {
            cache.lru_crawler.store(false, Ordering::Relaxed);
            out.extend_from_slice(b"OK\r\n");
        }
        Some(b"crawl") if tokens.len() == 3 => {
            if !cache.lru_crawler.load(Ordering::Relaxed) {
                out.extend_from_slice(b"CLIENT_ERROR lru crawler disabled\r\n");
                return;
            }
            cache.crawl(now_ms);
            out.extend_from_slice(b"OK\r\n");
        }
        Some(b"metadump") | Some(b"mgdump") if tokens.len() == 3 => {
            if !cache.config.dump_enabled {
                out.extend_from_slice(b"ERROR metadump not allowed\r\n");
                return;
            }
            if !out.is_empty() {
                out.extend_from_slice(b"ERROR cannot pipeline other commands before metadump\r\n");
                return;
            }
            let mgdump = tokens[1] == b"mgdump";
            let classes = slab_classes(cache);
            let wanted: Option<Vec<usize>> = match tokens[2] {
                b"all" | b"hash" => None,
                list => Some(
                    list.split(|&b| b == b',')
                        .filter_map(|c| std::str::from_utf8(c).ok()?.parse().ok())
                        .collect(),
                ),
            };
            let now_secs = now_ms / 1000;
            cache.for_each_item_with_cas(now_ms, |view| {
                let size =
                    Cache::memcached_size(view.key.len(), view.parts.flags, view.parts.data.len());
                let class = class_of(&classes, size);
                if wanted.as_ref().is_some_and(|w| !w.contains(&class)) {
                    return;
                }
                if mgdump {
                    out.extend_from_slice(b"mg ");
                    url_encode(view.key, out);
                    out.extend_from_slice(b"\r\n");
                    return;
                }
                out.extend_from_slice(b"key=");
                url_encode(view.key, out);
                let exp = view.expire_at.map(|ms| (ms / 1000) as i64).unwrap_or(-1);
                let idle = crate::cache::lru_age(now_ms, view.last_access);
                let la = now_secs.saturating_sub(idle as u64);
                let fetched = view.parts.state & crate::value::FETCHED != 0;
                out.extend_from_slice(
                    format!(
                        " exp={exp} la={la} cas={} fetch={} cls={class} size={size} flags={}\r\n",
                        view.parts.cas,
                        if fetched { "yes" } else { "no" },
                        view.parts.flags
                    )
                    .as_bytes(),
                );
            });
            out.extend_from_slice(if mgdump { b"EN\r\n" } else { b"END\r\n" });
        }
        Some(b"sleep") | Some(b"tocrawl") if tokens.len() == 3 => out.extend_from_slice(b"OK\r\n"),
        _ => out.extend_from_slice(b"ERROR\r\n"),
    }
}
