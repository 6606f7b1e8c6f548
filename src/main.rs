//! `ferrocache`: one binary, several roles.
//!
//! - `ferrocache server [config] [--name value ...]`: a cache node, started like
//!   redis-server.

use ferrocache_keyspace::memory::CountingAlloc;

/// mimalloc's size classes step by 8 bytes up to 64 (jemalloc's by 16), which keeps
/// small items tight; every allocation is counted for `used_memory`.
#[global_allocator]
static ALLOCATOR: CountingAlloc<mimalloc::MiMalloc> = CountingAlloc(mimalloc::MiMalloc);

const USAGE: &str = "Usage: ferrocache <command> [args]

Commands:
  server [config-file] [--name value ...]   Run a cache node (redis-server compatible flags)
  version                                   Print the version";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args.first().map(String::as_str) {
        Some("server") => ferrocache_server::run(&args[1..]),
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
