//! DEBUG subcommand [argument ...]
//!
//! Refused unless `enable-debug-command` is `yes`, or `local` and the client is on the
//! loopback interface or a unix socket.
//!
//! Supported: HELP, SLEEP, SET-ACTIVE-EXPIRE, OBJECT, SDSLEN, DIGEST, DIGEST-VALUE,
//! PROTOCOL, LOG, ERROR, POPULATE, RELOAD, LOADAOF, CHANGE-REPL-ID,
//! QUICKLIST-PACKED-THRESHOLD, STRINGMATCH-TEST, and the testing switches that have
//! nothing to act on here (SET-SKIP-CHECKSUM-VALIDATION, AOF-FLUSH-SLEEP, PAUSE-CRON,
//! SET-DISABLE-DENY-SCRIPTS, REPLYBUFFER, LEAK), which only reply +OK. Persistence does
//! not exist yet: RELOAD and LOADAOF keep the data as it is. The crash helpers
//! (SEGFAULT, PANIC, ASSERT, OOM, RESTART) are not provided. LOG accepts its message
//! without writing it anywhere.
//!
//! OBJECT reports the encoding redis-server would choose for the value (`int`,
//! `embstr` up to 44 bytes, `raw`) and its RDB length without LZF compression.
//! DIGEST and DIGEST-VALUE compute redis-server's SHA-1 based digests, so the same
//! string dataset gives the same digest on both.

use super::{protected_action_allowed, reply_help, subcommand_syntax_error};
use crate::args::{int, is};
use crate::ctx::Ctx;
use crate::errors;
use crate::node::random_hex_id;
use ferrocache_keyspace::glob::glob_match;
use ferrocache_keyspace::{idle_seconds, Item, Keyspace, Kind, LockSet};
use ferrocache_protocol::number::parse_i64;
use std::sync::atomic::Ordering;

pub(super) const NOT_ALLOWED: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

/// The stripes the subcommand reads or writes: its key for OBJECT and friends, the
/// named keys for DIGEST-VALUE, everything for DIGEST, the database for POPULATE.
pub fn lock(ks: &Keyspace, db: usize, args: &[&[u8]], set: &mut LockSet) {
    let Some(sub) = args.get(1) else { return };
    let sub = sub.to_ascii_lowercase();
    match sub.as_slice() {
        b"object" | b"sdslen" | b"listpack" | b"quicklist" | b"htstats-key" if args.len() >= 3 => {
            ks.add_key(set, db, args[2])
        }
        b"digest-value" => {
            for key in &args[2..] {
                ks.add_key(set, db, key);
            }
        }
        b"digest" => ks.add_all(set),
        b"populate" => ks.add_db(set, db),
        _ => {}
    }
}

pub fn run(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    if !protected_action_allowed(ctx.node.settings().get("enable-debug-command"), ctx.client) {
        return ctx.err(NOT_ALLOWED);
    }
    let sub = args[1].to_ascii_lowercase();
    let argc = args.len();
    match (sub.as_slice(), argc) {
        (b"help", 2) => help(ctx, args),
        (b"sleep", 3) => sleep(ctx, args[2]),
        (b"set-active-expire", 3) => {
            ctx.node
                .active_expire_enabled
                .store(atoi(args[2]) != 0, Ordering::Relaxed);
            ctx.out.ok();
        }
        (b"object", 3) => object(ctx, args[2]),
        (b"sdslen", 3) => sdslen(ctx, args[2]),
        (b"digest", 2) => digest(ctx),
        (b"digest-value", _) => digest_value(ctx, &args[2..]),
        (b"protocol", 3) => protocol(ctx, args[2]),
        (b"error", 3) => {
            let text = String::from_utf8_lossy(args[2]).into_owned();
            ctx.out.error(&text);
        }
        (b"populate", 3..=5) => populate(ctx, args),
        (b"reload", _) => reload(ctx, &args[2..]),
        (b"loadaof", 2) => ctx.out.ok(),
        (b"change-repl-id", 2) => {
            *ctx.node.replid.lock() = random_hex_id();
            ctx.out.ok();
        }
        (b"quicklist-packed-threshold", 3) => {
            let text = String::from_utf8_lossy(args[2]);
            match crate::config::parse_memory(&text) {
                Some(size) if size <= (1u64 << 32) - (1 << 20) => ctx.out.ok(),
                _ => ctx
                    .err("ERR argument must be a memory value bigger than 1 and smaller than 4gb"),
            }
        }
        (b"stringmatch-test", 2) => {
            stringmatch_fuzz();
            ctx.out
                .simple("Apparently Redis did not crash: test passed");
        }
        (
            b"set-skip-checksum-validation"
            | b"aof-flush-sleep"
            | b"pause-cron"
            | b"set-disable-deny-scripts"
            | b"leak",
            3,
        )
        | (b"replybuffer", 4) => ctx.out.ok(),
        (b"log", 3) => ctx.out.ok(),
        _ => subcommand_syntax_error(ctx, args),
    }
}

fn help(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    reply_help(
        ctx,
        args,
        &[
            "AOF-FLUSH-SLEEP <microsec>",
            "    Server will sleep before flushing the AOF, this is used for testing.",
            "CHANGE-REPL-ID",
            "    Change the replication IDs of the instance.",
            "    Dangerous: should be used only for testing the replication subsystem.",
            "DIGEST",
            "    Output a hex signature representing the current DB content.",
            "DIGEST-VALUE <key> [<key> ...]",
            "    Output a hex signature of the values of all the specified keys.",
            "ERROR <string>",
            "    Return a Redis protocol error with <string> as message. Useful for clients",
            "    unit tests to simulate Redis errors.",
            "LEAK <string>",
            "    Create a memory leak of the input string.",
            "LOG <message>",
            "    Write <message> to the server log.",
            "LOADAOF",
            "    Flush the AOF buffers on disk and reload the AOF in memory.",
            "OBJECT <key>",
            "    Show low level info about `key` and associated value.",
            "POPULATE <count> [<prefix>] [<size>]",
            "    Create <count> string keys named key:<num>. If <prefix> is specified then",
            "    it is used instead of the 'key' prefix. These are not propagated to",
            "    replicas. Cluster slots are not respected so keys not belonging to the",
            "    current node can be created in cluster mode.",
            "PROTOCOL <type>",
            "    Reply with a test value of the specified type. <type> can be: string,",
            "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
            "    true, false.",
            "RELOAD [option ...]",
            "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
            "    * MERGE: conflicting keys will be loaded from RDB.",
            "    * NOFLUSH: the existing database will not be removed before load, but",
            "      conflicting keys will generate an exception and kill the server.",
            "    * NOSAVE: the database will be loaded from an existing RDB file.",
            "    Examples:",
            "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
            "      the database.",
            "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
            "      existing RDB file.",
            "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
            "      file to the database.",
            "SDSLEN <key>",
            "    Show low level SDS string info representing `key` and value.",
            "SET-ACTIVE-EXPIRE <0|1>",
            "    Setting it to 0 disables expiring keys in background when they are not",
            "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
            "    default.",
            "QUICKLIST-PACKED-THRESHOLD <size>",
            "    Sets the threshold for elements to be inserted as plain vs packed nodes",
            "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
            "SET-SKIP-CHECKSUM-VALIDATION <0|1>",
            "    Enables or disables checksum checks for RDB files and RESTORE's payload.",
            "SLEEP <seconds>",
            "    Stop the server for <seconds>. Decimals allowed.",
            "STRINGMATCH-TEST",
            "    Run a fuzz tester against the stringmatchlen() function.",
            "PAUSE-CRON <0|1>",
            "    Stop periodic cron job processing.",
            "REPLYBUFFER PEAK-RESET-TIME <NEVER||RESET|time>",
            "    Sets the time (in milliseconds) to wait between client reply buffer peak resets.",
            "    In case NEVER is provided the last observed peak will never be reset",
            "    In case RESET is provided the peak reset time will be restored to the default value",
            "REPLYBUFFER RESIZING <0|1>",
            "    Enable or disable the reply buffer resize cron job",
        ],
    );
}

/// C's atoi: optional sign and leading digits, 0 when there are none.
fn atoi(arg: &[u8]) -> i64 {
    let text = String::from_utf8_lossy(arg);
    let text = text.trim_start();
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let mut n: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add((b - b'0') as i64);
    }
    if negative {
        -n
    } else {
        n
    }
}

/// DEBUG SLEEP: blocks this connection's thread, as redis-server blocks its own.
fn sleep(ctx: &mut Ctx<'_>, arg: &[u8]) {
    let seconds: f64 = String::from_utf8_lossy(arg).trim().parse().unwrap_or(0.0);
    if let Ok(duration) = std::time::Duration::try_from_secs_f64(seconds) {
        std::thread::sleep(duration);
    }
    ctx.out.ok();
}

/// The encoding redis-server would give a string value.
fn string_encoding(value: &[u8]) -> &'static str {
    if value.len() <= 20 && parse_i64(value).is_some() {
        "int"
    } else if value.len() <= 44 {
        "embstr"
    } else {
        "raw"
    }
}

/// Bytes of an RDB length prefix.
fn rdb_len_size(len: usize) -> usize {
    match len {
        l if l < 1 << 6 => 1,
        l if l < 1 << 14 => 2,
        l if l as u64 <= u32::MAX as u64 => 5,
        _ => 9,
    }
}

/// RDB serialized length of a string value (integer encodings, no LZF compression).
fn serialized_length(value: &[u8]) -> usize {
    if value.len() <= 11 {
        if let Some(n) = parse_i64(value) {
            if i8::try_from(n).is_ok() {
                return 2;
            } else if i16::try_from(n).is_ok() {
                return 3;
            } else if i32::try_from(n).is_ok() {
                return 5;
            }
        }
    }
    rdb_len_size(value.len()) + value.len()
}

fn object_line(item: &Item) -> String {
    let value = item.value();
    let encoding = if item.kind() == Kind::String {
        string_encoding(value)
    } else {
        "unknown"
    };
    format!(
        "Value at:{:p} refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
        item.key().as_ptr(),
        encoding,
        serialized_length(value),
        item.clock(),
        idle_seconds(item.clock())
    )
}

fn object(ctx: &mut Ctx<'_>, key: &[u8]) {
    match ctx.keys.get(ctx.db, key) {
        Some(item) => {
            let line = object_line(item);
            ctx.out.simple(&line);
        }
        None => ctx.err(errors::NO_SUCH_KEY),
    }
}

fn sdslen(ctx: &mut Ctx<'_>, key: &[u8]) {
    match ctx.keys.get(ctx.db, key) {
        Some(item) => {
            let size = item.alloc_size();
            let line = format!(
                "key_sds_len:{}, key_sds_avail:0, key_zmalloc: {size}, val_sds_len:{}, val_sds_avail:0, val_zmalloc: {size}",
                item.key().len(),
                item.value().len()
            );
            ctx.out.simple(&line);
        }
        None => ctx.err(errors::NO_SUCH_KEY),
    }
}

/// digest ^= SHA1(data)
fn xor_digest(digest: &mut [u8; 20], data: &[u8]) {
    let hash = sha1(data);
    for (d, h) in digest.iter_mut().zip(hash) {
        *d ^= h;
    }
}

/// digest = SHA1(digest ^ SHA1(data)): order-sensitive mixing.
fn mix_digest(digest: &mut [u8; 20], data: &[u8]) {
    xor_digest(digest, data);
    *digest = sha1(&digest[..]);
}

/// redis-server's xorObjectDigest for a key's value.
fn object_digest(digest: &mut [u8; 20], item: &Item) {
    // The value type, as a big-endian u32 (OBJ_STRING is 0).
    mix_digest(digest, &0u32.to_be_bytes());
    mix_digest(digest, item.value());
    if item.expire_at().is_some() {
        xor_digest(digest, b"!!expire!!");
    }
}

fn hex(digest: &[u8; 20]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(ctx: &mut Ctx<'_>) {
    let mut total = [0u8; 20];
    for db in 0..ctx.node.keyspace.databases() {
        let mut keys = [0u8; 20];
        let mut any = false;
        ctx.keys.for_each(db, |item| {
            any = true;
            let mut digest = [0u8; 20];
            mix_digest(&mut digest, item.key());
            object_digest(&mut digest, item);
            xor_digest(&mut keys, &digest);
        });
        if any {
            mix_digest(&mut total, &(db as u32).to_be_bytes());
            for (t, k) in total.iter_mut().zip(keys) {
                *t ^= k;
            }
        }
    }
    ctx.out.simple(&hex(&total));
}

fn digest_value(ctx: &mut Ctx<'_>, keys: &[&[u8]]) {
    ctx.out.array(keys.len());
    for key in keys {
        let mut digest = [0u8; 20];
        if let Some(item) = ctx.keys.get(ctx.db, key) {
            object_digest(&mut digest, item);
        }
        ctx.out.simple(&hex(&digest));
    }
}

// 3.141 is the test value redis-server replies, not an approximation of pi.
#[allow(clippy::approx_constant)]
fn protocol(ctx: &mut Ctx<'_>, kind: &[u8]) {
    let resp3 = ctx.out.is_resp3();
    let out = &mut *ctx.out;
    match kind.to_ascii_lowercase().as_slice() {
        b"string" => out.bulk(b"Hello World"),
        b"integer" => out.int(12345),
        b"double" => out.double(3.141),
        b"bignum" => {
            const BIG: &[u8] = b"1234567999999999999999999999999999999";
            if resp3 {
                out.raw(b"(");
                out.raw(BIG);
                out.raw(b"\r\n");
            } else {
                out.bulk(BIG);
            }
        }
        b"null" => out.null(),
        b"array" | b"set" => {
            if kind.eq_ignore_ascii_case(b"set") {
                out.set(3);
            } else {
                out.array(3);
            }
            for j in 0..3 {
                out.int(j);
            }
        }
        b"map" => {
            out.map(3);
            for j in 0..3 {
                out.int(j);
                out.boolean(j == 1);
            }
        }
        b"attrib" => {
            if resp3 {
                out.raw(b"|1\r\n");
                out.bulk(b"key-popularity");
                out.array(2);
                out.bulk(b"key:123");
                out.int(90);
            }
            out.bulk(b"Some real reply following the attribute");
        }
        b"push" => {
            if !resp3 {
                return ctx.err("ERR RESP2 is not supported by this command");
            }
            out.push(2);
            out.bulk(b"server-cpu-usage");
            out.int(42);
            out.bulk(b"Some real reply following the push reply");
        }
        b"true" => out.boolean(true),
        b"false" => out.boolean(false),
        b"verbatim" => out.verbatim(b"This is a verbatim\nstring"),
        _ => ctx.err("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false"),
    }
}

/// DEBUG POPULATE count [prefix] [size]: creates `prefix:N` keys holding `value:N`
/// (padded or cut to `size`), skipping names that exist. Not propagated.
fn populate(ctx: &mut Ctx<'_>, args: &[&[u8]]) {
    let Some(count) = int(ctx, args[2]) else {
        return;
    };
    if count < 0 {
        return ctx.err("ERR value is out of range, must be positive");
    }
    let mut size = 0usize;
    if let Some(raw) = args.get(4) {
        let Some(n) = int(ctx, raw) else { return };
        if n < 0 {
            return ctx.err("ERR value is out of range, must be positive");
        }
        if n > ctx.node.settings().proto_max_bulk_len {
            return ctx.err(errors::STRING_TOO_LONG);
        }
        size = n as usize;
    }
    let prefix: &[u8] = args.get(3).copied().unwrap_or(b"key");
    let clock = super::super::strings::new_clock(ctx);
    let db = ctx.db;
    let mut key = Vec::new();
    for j in 0..count {
        key.clear();
        key.extend_from_slice(prefix);
        key.extend_from_slice(format!(":{j}").as_bytes());
        if ctx.keys.exists(db, &key) {
            continue;
        }
        let mut value = format!("value:{j}").into_bytes();
        if size > 0 {
            value.resize(size, 0);
        }
        ctx.keys
            .insert(db, Item::new_string(&key, &value, None, clock));
        ctx.keys.touch_watched(db, &key);
    }
    ctx.out.ok();
}

/// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: with nothing persisted, the data stays as
/// it is; unless NOSAVE, this counts as a save.
fn reload(ctx: &mut Ctx<'_>, options: &[&[u8]]) {
    let mut save = true;
    for opt in options {
        if is(opt, "nosave") {
            save = false;
        } else if !is(opt, "merge") && !is(opt, "noflush") {
            return ctx
                .err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
    }
    if save {
        ctx.client.flush_stats(ctx.node);
        ctx.node.dirty.store(0, Ordering::Relaxed);
        ctx.node
            .last_save_unix
            .store(crate::node::unix_now(), Ordering::Relaxed);
    }
    ctx.out.ok();
}

/// Random patterns against random strings: the matcher must neither crash nor hang.
fn stringmatch_fuzz() {
    const ALPHABET: &[u8] = b"abc*?[]^-\\";
    for _ in 0..1000 {
        let pattern: Vec<u8> = (0..rand::random::<usize>() % 32)
            .map(|_| ALPHABET[rand::random::<usize>() % ALPHABET.len()])
            .collect();
        let text: Vec<u8> = (0..rand::random::<usize>() % 32)
            .map(|_| ALPHABET[rand::random::<usize>() % 3])
            .collect();
        let _ = glob_match(&pattern, &text, rand::random());
    }
}

/// SHA-1 (FIPS 180-4), for the DEBUG digests.
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, &word) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let temp = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(word);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = temp;
        }
        for (state, v) in h.iter_mut().zip([a, b, c, d, e]) {
            *state = state.wrapping_add(v);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_vectors() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
    }

    #[test]
    fn digests_match_redis_server() {
        // Values from redis-server 7.0 for `SET foo bar` (DEBUG DIGEST-VALUE foo).
        let item = Item::new_string(b"foo", b"bar", None, 0);
        let mut digest = [0u8; 20];
        object_digest(&mut digest, &item);
        assert_eq!(hex(&digest), "68467c70ae30376e7ce005bcc8827f5ba7fd67dc");
    }

    #[test]
    fn object_encodings() {
        assert_eq!(string_encoding(b"12345"), "int");
        assert_eq!(string_encoding(b"bar"), "embstr");
        assert_eq!(string_encoding(&[b'a'; 45]), "raw");
        assert_eq!(serialized_length(b"bar"), 4);
        assert_eq!(serialized_length(b"12345"), 3);
        assert_eq!(serialized_length(b"7"), 2);
        assert_eq!(serialized_length(&[b'a'; 100]), 102);
    }

    #[test]
    fn atoi_like_c() {
        assert_eq!(atoi(b"1"), 1);
        assert_eq!(atoi(b"0"), 0);
        assert_eq!(atoi(b"abc"), 0);
        assert_eq!(atoi(b"12abc"), 12);
        assert_eq!(atoi(b"-3"), -3);
    }
}
