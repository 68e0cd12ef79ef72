//! Configuration: embedded defaults, then a TOML file, then `WAGATE__SECTION__KEY` environment
//! variables (figment layers them). [`resolve`] turns the result into runtime [`Settings`],
//! reporting every problem at once.

mod file;
mod resolve;
mod settings;

pub use file::{
    ClientConfig, Config, DeliveryConfig, DemoConfig, HttpConfig, KeyConfig, LogConfig,
    LoginConfig, OpsConfig, StorageConfig, TokenConfig,
};
pub use resolve::{load_settings, resolve};
pub use settings::{DEMO_CLIENT_ID, Delivery, Settings, StorageKind};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use std::path::Path;

/// Prefix of environment overrides; `__` separates section and key.
pub const ENV_PREFIX: &str = "WAGATE__";

/// Where a configuration came from, for the first log lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Embedded,
    File(String),
}

/// A configuration as read, with the keys nobody asked for.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub source: Source,
    /// Unknown keys, as problems to report (typos must not pass silently).
    pub unknown: Vec<String>,
}

/// Layers defaults, the file (if any) and the environment, and reads the result as a
/// [`Config`], collecting unknown keys instead of stopping at the first.
pub fn load(path: Option<&Path>) -> Result<Loaded, Vec<String>> {
    let (defaults, source) = match path {
        None => (Config::embedded(), Source::Embedded),
        Some(p) => (Config::default(), Source::File(p.display().to_string())),
    };
    let mut figment = Figment::from(Serialized::defaults(defaults));
    if let Some(p) = path {
        if !p.is_file() {
            return Err(vec![format!("{}: no such file", p.display())]);
        }
        figment = figment.merge(Toml::file_exact(p));
    }
    figment = figment.merge(Env::prefixed(ENV_PREFIX).split("__"));
    let merged: serde_json::Value = figment.extract().map_err(|e| {
        e.into_iter()
            .map(|e| format!("configuration: {e}"))
            .collect::<Vec<_>>()
    })?;
    let mut unknown = Vec::new();
    let config: Result<Config, _> = serde_ignored::deserialize(merged, |path| {
        unknown.push(format!(
            "unknown key {path} (environment: {ENV_PREFIX}{})",
            path.to_string().replace('.', "__").to_uppercase()
        ));
    });
    match config {
        Ok(config) => Ok(Loaded {
            config,
            source,
            unknown,
        }),
        Err(e) => {
            unknown.push(format!("configuration: {e}"));
            Err(unknown)
        }
    }
}
