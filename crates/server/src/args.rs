//! Command-line arguments as redis-server reads them: an optional configuration file,
//! then `--name value ...` pairs that override it.

use ferrocache_commands::config::parse_config_text;

/// Options read from the command line.
#[derive(Debug, Default, Clone)]
pub struct ServerArgs {
    pub config_file: Option<std::path::PathBuf>,
    pub pairs: Vec<(String, String)>,
}

impl ServerArgs {
    /// Parses `[configfile] [--name value ...]`. A `--name` takes every following word
    /// up to the next `--name` as its value (`--save 900 1 300 10`, `--save ""`).
    pub fn parse(args: &[String]) -> Result<ServerArgs, String> {
        let mut parsed = ServerArgs::default();
        let mut rest = args;
        if let Some(first) = rest.first() {
            if !first.starts_with("--") {
                parsed.config_file = Some(first.into());
                rest = &rest[1..];
            }
        }
        let mut current: Option<(String, Vec<String>)> = None;
        for arg in rest {
            let is_name = arg.starts_with("--")
                && arg.len() > 2
                && !arg[2..].starts_with(|c: char| c.is_ascii_digit());
            if is_name {
                if let Some((name, values)) = current.take() {
                    parsed.pairs.push((name, values.join(" ")));
                }
                current = Some((arg[2..].to_ascii_lowercase(), Vec::new()));
            } else {
                match current.as_mut() {
                    Some((_, values)) => values.push(arg.clone()),
                    None => return Err(format!("unexpected argument '{arg}'")),
                }
            }
        }
        if let Some((name, values)) = current {
            parsed.pairs.push((name, values.join(" ")));
        }
        Ok(parsed)
    }

    /// The configuration file's pairs followed by the command line's.
    pub fn all_pairs(&self) -> Result<Vec<(String, String)>, String> {
        let mut pairs = match &self.config_file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    format!(
                        "Fatal error, can't open config file '{}': {e}",
                        path.display()
                    )
                })?;
                parse_config_text(&text)?
            }
            None => Vec::new(),
        };
        pairs.extend(self.pairs.iter().cloned());
        // Later settings of the same name win, as in redis.conf.
        let mut merged: Vec<(String, String)> = Vec::new();
        for (name, value) in pairs {
            match merged.iter_mut().find(|(n, _)| *n == name) {
                Some(existing) => existing.1 = value,
                None => merged.push((name, value)),
            }
        }
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::ServerArgs;

    fn args(s: &[&str]) -> Vec<String> {
        s.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn redis_style_flags() {
        let parsed = ServerArgs::parse(&args(&[
            "--port",
            "7000",
            "--save",
            "",
            "--appendonly",
            "no",
            "--save",
            "900",
            "1",
        ]))
        .unwrap();
        assert_eq!(parsed.config_file, None);
        let pairs = parsed.all_pairs().unwrap();
        assert_eq!(pairs[0], ("port".into(), "7000".into()));
        assert_eq!(pairs[1], ("save".into(), "900 1".into()));
    }

    #[test]
    fn config_file_first() {
        let parsed = ServerArgs::parse(&args(&["/etc/x.conf", "--port", "1"])).unwrap();
        assert_eq!(
            parsed.config_file.as_deref(),
            Some(std::path::Path::new("/etc/x.conf"))
        );
        assert!(ServerArgs::parse(&args(&["--port", "1", "stray", "--x"])).is_ok());
        assert!(ServerArgs::parse(&args(&["a.conf", "b"])).is_err());
    }
}
