//! The memcached engine's settings, read from memcached's own command-line flags
//! (`-p 11211 -m 64 -c 1024 -t 4 -I 1m -U 0 -l 127.0.0.1 -M -C -F -S -B auto
//! -o idle_timeout=30,...`), so that a node can be started exactly as memcached is.

/// Which protocols a connection may speak (`-B`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    Auto,
    Ascii,
    Binary,
}

impl Binding {
    pub fn name(self) -> &'static str {
        match self {
            Binding::Auto => "auto-negotiate",
            Binding::Ascii => "ascii",
            Binding::Binary => "binary",
        }
    }
}

/// A flag that could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    #[error("option '{0}' requires an argument")]
    MissingValue(String),
    #[error("invalid value for {flag}: '{value}'")]
    BadValue { flag: String, value: String },
    #[error("unknown option '{0}'")]
    Unknown(String),
    #[error("{0}")]
    Invalid(String),
}

/// Everything the engine is started with.
#[derive(Debug, Clone)]
pub struct Config {
    pub port: u16,
    pub udp_port: u16,
    /// Addresses to listen on (`-l`, comma separated; empty means every interface).
    pub listen: Vec<String>,
    /// Item memory in bytes (`-m`, given in megabytes).
    pub memory_limit: u64,
    pub max_connections: usize,
    pub threads: usize,
    /// Largest item, header included (`-I`).
    pub item_size_max: usize,
    /// LRU eviction when full; `-M` turns it off and stores fail instead.
    pub evictions: bool,
    pub use_cas: bool,
    pub flush_enabled: bool,
    pub sasl: bool,
    pub binding: Binding,
    pub verbosity: u32,
    pub idle_timeout: u64,
    pub backlog: u32,
    pub reqs_per_event: u32,
    pub growth_factor: f64,
    pub chunk_size: usize,
    pub slab_chunk_max: usize,
    pub hashpower_init: u32,
    pub maxconns_fast: bool,
    pub shutdown_command: bool,
    pub dump_enabled: bool,
    pub lru_crawler: bool,
    pub lru_maintainer: bool,
    pub temporary_ttl: u32,
    pub stat_key_prefix: char,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            port: 11211,
            udp_port: 0,
            listen: Vec::new(),
            memory_limit: 64 * 1024 * 1024,
            max_connections: 1024,
            threads: 4,
            item_size_max: 1024 * 1024,
            evictions: true,
            use_cas: true,
            flush_enabled: true,
            sasl: false,
            binding: Binding::Auto,
            verbosity: 0,
            idle_timeout: 0,
            backlog: 1024,
            reqs_per_event: 20,
            growth_factor: 1.25,
            chunk_size: 48,
            slab_chunk_max: 512 * 1024,
            hashpower_init: 0,
            maxconns_fast: true,
            shutdown_command: false,
            dump_enabled: true,
            lru_crawler: true,
            lru_maintainer: true,
            temporary_ttl: 61,
            stat_key_prefix: ':',
        }
    }
}

/// `1m`, `512k`, `2097152`: a size as `-I` takes it.
fn parse_size(value: &str) -> Option<usize> {
    let lower = value.to_ascii_lowercase();
    let (digits, unit) = match lower.chars().last()? {
        'k' => (&lower[..lower.len() - 1], 1024),
        'm' => (&lower[..lower.len() - 1], 1024 * 1024),
        _ => (lower.as_str(), 1),
    };
    digits.parse::<usize>().ok()?.checked_mul(unit)
}

fn number<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError::BadValue {
        flag: flag.to_string(),
        value: value.to_string(),
    })
}

/// Short flags that take a value, and their long names.
const WITH_VALUE: &[(&str, &str)] = &[
    ("p", "port"),
    ("U", "udp-port"),
    ("s", "unix-socket"),
    ("a", "unix-mask"),
    ("l", "listen"),
    ("u", "user"),
    ("m", "memory-limit"),
    ("c", "conn-limit"),
    ("P", "pidfile"),
    ("f", "slab-growth-factor"),
    ("n", "slab-min-size"),
    ("D", ""),
    ("t", "threads"),
    ("R", "max-reqs-per-event"),
    ("b", "listen-backlog"),
    ("B", "protocol"),
    ("I", "max-item-size"),
    ("Y", "auth-file"),
    ("e", "memory-file"),
    ("o", "extended"),
];

/// Short flags without a value, and their long names.
const SWITCHES: &[(&str, &str)] = &[
    ("A", "enable-shutdown"),
    ("d", "daemon"),
    ("r", "enable-coredumps"),
    ("M", "disable-evictions"),
    ("k", "lock-memory"),
    ("v", "verbose"),
    ("L", "enable-largepages"),
    ("C", "disable-cas"),
    ("S", "enable-sasl"),
    ("F", "disable-flush-all"),
    ("X", "disable-dumping"),
    ("W", "disable-watch"),
    ("Z", "enable-ssl"),
];

impl Config {
    /// Reads memcached-style arguments: `-p 11211`, `-p11211`, `--port=11211`,
    /// `--port 11211`, `-vv`, `-o a=b,c`.
    pub fn from_args(args: &[String]) -> Result<Config, ConfigError> {
        let mut config = Config::default();
        let mut i = 0;
        while i < args.len() {
            let arg = &args[i];
            i += 1;
            let (name, inline): (String, Option<String>) =
                if let Some(long) = arg.strip_prefix("--") {
                    match long.split_once('=') {
                        Some((n, v)) => (long_to_short(n)?, Some(v.to_string())),
                        None => (long_to_short(long)?, None),
                    }
                } else if let Some(short) = arg.strip_prefix('-') {
                    if short.is_empty() {
                        return Err(ConfigError::Unknown(arg.clone()));
                    }
                    let (first, rest) = short.split_at(1);
                    if first == "v" && rest.chars().all(|c| c == 'v') {
                        config.verbosity += short.len() as u32;
                        continue;
                    }
                    (
                        first.to_string(),
                        (!rest.is_empty()).then(|| rest.to_string()),
                    )
                } else {
                    return Err(ConfigError::Unknown(arg.clone()));
                };
            if SWITCHES.iter().any(|(s, _)| *s == name) {
                config.switch(&name);
                continue;
            }
            if !WITH_VALUE.iter().any(|(s, _)| *s == name) {
                return Err(ConfigError::Unknown(arg.clone()));
            }
            let value = match inline {
                Some(v) => v,
                None => {
                    let v = args
                        .get(i)
                        .cloned()
                        .ok_or_else(|| ConfigError::MissingValue(arg.clone()))?;
                    i += 1;
                    v
                }
            };
            config.set(&name, &value)?;
        }
        if config.item_size_max < 1024 {
            return Err(ConfigError::Invalid(
                "Item max size cannot be less than 1024 bytes.".into(),
            ));
        }
        if config.item_size_max as u64 > config.memory_limit / 2 {
            return Err(ConfigError::Invalid(
                "Cannot set item size limit higher than 1/2 of memory max.".into(),
            ));
        }
        Ok(config)
    }

    fn switch(&mut self, name: &str) {
        match name {
            "A" => self.shutdown_command = true,
            "M" => self.evictions = false,
            "v" => self.verbosity += 1,
            "C" => self.use_cas = false,
            "S" => self.sasl = true,
            "F" => self.flush_enabled = false,
            "X" => self.dump_enabled = false,
            // -d, -r, -k, -L, -W, -Z: accepted; a foreground node with no TLS yet.
            _ => {}
        }
    }

    fn set(&mut self, name: &str, value: &str) -> Result<(), ConfigError> {
        match name {
            "p" => self.port = number(name, value)?,
            "U" => self.udp_port = number(name, value)?,
            "l" => {
                self.listen = value
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            }
            "m" => {
                let megabytes: u64 = number(name, value)?;
                self.memory_limit = megabytes.saturating_mul(1024 * 1024);
            }
            "c" => self.max_connections = number(name, value)?,
            "t" => {
                self.threads = number(name, value)?;
                if self.threads == 0 {
                    return Err(ConfigError::Invalid(
                        "Number of threads must be greater than 0".into(),
                    ));
                }
            }
            "I" => {
                self.item_size_max = parse_size(value).ok_or_else(|| ConfigError::BadValue {
                    flag: name.into(),
                    value: value.into(),
                })?
            }
            "B" => {
                self.binding = match value {
                    "auto" => Binding::Auto,
                    "ascii" => Binding::Ascii,
                    "binary" => Binding::Binary,
                    _ => {
                        return Err(ConfigError::BadValue {
                            flag: name.into(),
                            value: value.into(),
                        })
                    }
                }
            }
            "R" => self.reqs_per_event = number(name, value)?,
            "b" => self.backlog = number(name, value)?,
            "f" => self.growth_factor = number(name, value)?,
            "n" => self.chunk_size = number(name, value)?,
            "o" => {
                for option in value.split(',') {
                    self.extended(option.trim())?;
                }
            }
            // -s, -a, -u, -P, -D, -Y, -e: accepted and not used by this node.
            _ => {}
        }
        Ok(())
    }

    /// One `-o` option; unknown ones are accepted (memcached has dozens of tuning
    /// knobs that have no meaning here).
    fn extended(&mut self, option: &str) -> Result<(), ConfigError> {
        let (name, value) = option.split_once('=').unwrap_or((option, ""));
        match name {
            "idle_timeout" => self.idle_timeout = number(name, value)?,
            "hashpower" => self.hashpower_init = number(name, value)?,
            "slab_chunk_max" => {
                let kilobytes: usize = number(name, value)?;
                self.slab_chunk_max = kilobytes * 1024;
            }
            "no_maxconns_fast" => self.maxconns_fast = false,
            "maxconns_fast" => self.maxconns_fast = true,
            "no_lru_crawler" => self.lru_crawler = false,
            "lru_crawler" => self.lru_crawler = true,
            "no_lru_maintainer" => self.lru_maintainer = false,
            "temporary_ttl" => self.temporary_ttl = number(name, value)?,
            _ => {}
        }
        Ok(())
    }
}

fn long_to_short(long: &str) -> Result<String, ConfigError> {
    WITH_VALUE
        .iter()
        .chain(SWITCHES)
        .find(|(_, l)| !l.is_empty() && *l == long)
        .map(|(s, _)| s.to_string())
        .ok_or_else(|| ConfigError::Unknown(format!("--{long}")))
}

/// `memcached -h`, abridged to the flags this engine reads.
pub const HELP: &str = "memcached 1.6.18 (ferrocache memcached engine)
-p, --port=<num>          TCP port to listen on (default: 11211)
-U, --udp-port=<num>      UDP port to listen on (default: 0, off)
-l, --listen=<addr>       interface to listen on (default: INADDR_ANY)
-m, --memory-limit=<num>  item memory in megabytes (default: 64)
-M, --disable-evictions   return error on memory exhausted instead of evicting
-c, --conn-limit=<num>    max simultaneous connections (default: 1024)
-v, --verbose             verbose (print errors/warnings while in event loop)
-h, --help                print this help and exit
-V, --version             print version and exit
-t, --threads=<num>       number of threads to use (default: 4)
-C, --disable-cas         disable use of CAS
-B, --protocol=<name>     protocol - one of ascii, binary, or auto (default: auto-negotiate)
-I, --max-item-size=<num> adjusts max item size
                          (default: 1m, min: 1k, max: 1024m)
-S, --enable-sasl         turn on Sasl authentication
-F, --disable-flush-all   disable flush_all command
-o, --extended            comma separated list of extended options
   - idle_timeout:        timeout for idle connections. (default: 0, no timeout)
";

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn memcached_flags() {
        let c = Config::from_args(&args(
            "-p 11311 -m 128 -c 10 -t 1 -I 2m -U 0 -l 127.0.0.1 -M",
        ))
        .unwrap();
        assert_eq!(c.port, 11311);
        assert_eq!(c.memory_limit, 128 * 1024 * 1024);
        assert_eq!(c.max_connections, 10);
        assert_eq!(c.threads, 1);
        assert_eq!(c.item_size_max, 2 * 1024 * 1024);
        assert_eq!(c.listen, vec!["127.0.0.1".to_string()]);
        assert!(!c.evictions);
        let c = Config::from_args(&args("--port=1234 -p4321 -vv -o idle_timeout=3,foo")).unwrap();
        assert_eq!((c.port, c.verbosity, c.idle_timeout), (4321, 2, 3));
        assert!(Config::from_args(&args("-I 512")).is_err());
        assert!(Config::from_args(&args("-x")).is_err());
        assert!(Config::from_args(&args("-p")).is_err());
    }
}
