//! LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]

use crate::args::{self, is};
use crate::ctx::Ctx;
use crate::errors;
use ferrocache_keyspace::Kind;

pub fn run(ctx: &mut Ctx<'_>, argv: &[&[u8]]) {
    let (mut get_len, mut get_idx, mut with_match_len) = (false, false, false);
    let mut min_match_len: i64 = 0;
    let mut i = 3;
    while i < argv.len() {
        let arg = argv[i];
        if is(arg, "idx") {
            get_idx = true;
        } else if is(arg, "len") {
            get_len = true;
        } else if is(arg, "withmatchlen") {
            with_match_len = true;
        } else if is(arg, "minmatchlen") && i + 1 < argv.len() {
            let Some(n) = args::int(ctx, argv[i + 1]) else {
                return;
            };
            min_match_len = n.max(0);
            i += 1;
        } else {
            return ctx.err(errors::SYNTAX);
        }
        i += 1;
    }
    if get_len && get_idx {
        return ctx.err("ERR If you want both the length and indexes, please just use IDX.");
    }
    let mut values: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    for (slot, key) in values.iter_mut().zip([argv[1], argv[2]]) {
        match ctx.keys.get(ctx.db, key) {
            Some(item) if item.kind() != Kind::String => {
                return ctx.err("ERR The specified keys must contain string values");
            }
            Some(item) => *slot = item.value().to_vec(),
            None => {}
        }
    }
    let (a, b) = (&values[0], &values[1]);
    let cells = (a.len() as u64 + 1) * (b.len() as u64 + 1);
    if cells.saturating_mul(4) > ctx.node.settings().proto_max_bulk_len as u64 {
        return ctx
            .err("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
    }
    let width = b.len() + 1;
    let mut dp = vec![0u32; cells as usize];
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            dp[i * width + j] = if a[i - 1] == b[j - 1] {
                dp[(i - 1) * width + j - 1] + 1
            } else {
                dp[(i - 1) * width + j].max(dp[i * width + j - 1])
            };
        }
    }
    let lcs_len = dp[a.len() * width + b.len()] as usize;
    if get_len {
        return ctx.out.int(lcs_len as i64);
    }

    // Walk back from the end, collecting the common string and the matching ranges.
    let mut common = vec![0u8; lcs_len];
    let mut ranges: Vec<[usize; 4]> = Vec::new();
    let (mut i, mut j, mut idx) = (a.len(), b.len(), lcs_len);
    let none = a.len();
    let (mut a_start, mut a_end, mut b_start, mut b_end) = (none, 0, 0, 0);
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            common[idx - 1] = a[i - 1];
            if a_start == none {
                (a_start, a_end, b_start, b_end) = (i - 1, i - 1, j - 1, j - 1);
            } else if a_start == i && b_start == j {
                a_start -= 1;
                b_start -= 1;
            } else {
                emit = true;
            }
            if a_start == 0 || b_start == 0 {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if dp[(i - 1) * width + j] > dp[i * width + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if a_start != none {
                emit = true;
            }
        }
        if emit {
            let match_len = a_end - a_start + 1;
            if min_match_len == 0 || match_len as i64 >= min_match_len {
                ranges.push([a_start, a_end, b_start, b_end]);
            }
            a_start = none;
        }
    }
    if !get_idx {
        return ctx.out.bulk(&common);
    }
    ctx.out.map(2);
    ctx.out.bulk(b"matches");
    ctx.out.array(ranges.len());
    for [a0, a1, b0, b1] in ranges {
        ctx.out.array(if with_match_len { 3 } else { 2 });
        for (lo, hi) in [(a0, a1), (b0, b1)] {
            ctx.out.array(2);
            ctx.out.int(lo as i64);
            ctx.out.int(hi as i64);
        }
        if with_match_len {
            ctx.out.int((a1 - a0 + 1) as i64);
        }
    }
    ctx.out.bulk(b"len");
    ctx.out.int(lcs_len as i64);
}
