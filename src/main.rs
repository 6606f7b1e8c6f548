//! `ferrocache`: one binary, several roles.
//!
//! - `ferrocache server [config] [--name value ...]`: a cache node, started like
//!   redis-server.
//! - `ferrocache up [options]`: the control plane, serving the ElastiCache API and
//!   running clusters' nodes as `ferrocache server` processes.

use ferrocache_keyspace::memory::CountingAlloc;

/// mimalloc's size classes step by 8 bytes up to 64 (jemalloc's by 16), which keeps
/// small items tight: `.cargo/config.toml` builds it with an 8-byte minimum alignment,
/// without which it rounds small sizes to 16. Every allocation is counted for
/// `used_memory`.
#[global_allocator]
static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc(mimalloc::MiMalloc);

const USAGE: &str = "Usage: ferrocache <command> [args]

Commands:
  up [--data-dir DIR] [--listen ADDR:PORT]   Run the control plane (ElastiCache API) and its nodes
  server [config-file] [--name value ...]   Run a cache node (redis-server compatible flags)
  version                                   Print the version";

/// mimalloc option numbers (`mi_option_e` in mimalloc.h; the same in v2 and v3).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory is the product: commit arena memory only as it is used (an idle node stays
/// at a few MB instead of a committed segment per thread), and give freed pages back to
/// the kernel at once, so resident memory follows the data set. It must run before the
/// first allocation, so it is a process constructor rather than a call from `main`.
#[used]
#[link_section = ".init_array"]
static TUNE_ALLOCATOR: extern "C" fn() = tune_allocator;

extern "C" fn tune_allocator() {
    // SAFETY: mi_option_set only stores an integer option; any value is accepted.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("server") => ferrocache_server::run(&args[1..]),
        Some("up") => ferrocache_control::run(&args[1..]),
        Some("version") | Some("--version") | Some("-v") => {
            println!("ferrocache {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Some("help") | Some("--help") | Some("-h") | None => {
            println!("{USAGE}");
            0
        }
        Some(other) => {
            eprintln!("unknown command '{other}'\n\n{USAGE}");
            2
        }
    };
    std::process::exit(code);
}
