//! Configuration: embedded defaults, then a TOML file, then `WAGATE__SECTION__KEY` environment
//! variables (figment layers them). [`resolve`] turns the result into runtime [`Settings`],
//! reporting every problem at once.

mod branding;
mod choice;
mod clients;
mod colour;
mod costs;
mod cripsa;
mod cripsa_file;
mod delivery;
mod events;
mod file;
mod fraud;
mod http;
mod i18n;
mod keys;
mod lifetimes;
mod login;
mod problems;
mod resolve;
mod settings;
mod storage;
mod telemetry;
mod totp;

pub use branding::{Asset, Branding};
pub use costs::Prices;
pub use cripsa_file::CripsaModeName;
pub use events::EventSettings;
pub use file::{
    ChannelName, ChannelPrices, Choice, ClientConfig, Config, CostsConfig, CountryRuleConfig,
    CripsaConfig, DeliveryConfig, DemoConfig, ForwardedHeader, FraudConfig, HttpConfig, KeyConfig,
    LogConfig, LogFormat, LoginBackend, LoginConfig, OpsConfig, ReloadConfig, SessionConfig,
    SigningConfig, StorageBackend, StorageConfig, TelemetryConfig, TestNumberConfig, TokenConfig,
    TotpConfig,
};
pub use fraud::Fraud;
pub use resolve::{load_settings, resolve};
pub use settings::{
    CripsaHttpSettings, CripsaMode, CripsaSettings, DEMO_CLIENT_ID, Delivery, DeliverySettings,
    OtpBackendKind, Settings, StorageKind, WhatsAppHook,
};
pub use telemetry::Telemetry;
pub use totp::TotpRuntime;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::de::DeserializeOwned;
use std::path::Path;
#[cfg(test)]
use wagate_storage::Secret;

/// Prefix of environment overrides; `__` separates section and key.
pub const ENV_PREFIX: &str = "WAGATE__";

/// Keys that may come from the environment read as raw text: secrets, and ids made of digits.
const SECRET_ENV: [&str; 10] = [
    "events.webhook_secret",
    "delivery.webhook_secret",
    "delivery.whatsapp.access_token",
    "delivery.whatsapp.app_secret",
    "delivery.whatsapp.verify_token",
    "delivery.whatsapp.phone_number_id",
    "cripsa.client_secret",
    "cripsa.http.auth_value",
    "signing.key_encryption_key",
    "totp.encryption_key",
];

/// Where a configuration came from, for the first log lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Embedded,
    File(String),
}

/// A configuration as read, with the problems found while reading it.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub source: Source,
    /// Unknown keys (typos must not pass silently) and values of the wrong type.
    pub problems: Vec<String>,
}

/// Reads one top-level entry, collecting unknown keys below it and a type error with its path.
/// A section that does not read keeps its default, so the other sections are still checked.
fn read<T: DeserializeOwned>(
    name: &str,
    value: serde_json::Value,
    problems: &mut Vec<String>,
) -> Option<T> {
    let mut track = serde_path_to_error::Track::new();
    let mut unknown = Vec::new();
    let result: Result<T, _> = serde_ignored::deserialize(
        serde_path_to_error::Deserializer::new(value, &mut track),
        |path| unknown.push(path.to_string()),
    );
    for path in unknown {
        let key = format!("{name}.{path}");
        problems.push(unknown_key(&key));
    }
    match result {
        Ok(v) => Some(v),
        Err(e) => {
            let at = track.path().to_string();
            let key = if at == "." || at.is_empty() {
                name.to_owned()
            } else {
                format!("{name}.{at}")
            };
            problems.push(type_problem(&key, &e.to_string()));
            None
        }
    }
}

/// Whether a key's value may be a secret: then no error shows it.
fn may_be_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    ["secret", "key", "token", "password"]
        .iter()
        .any(|word| key.contains(word))
}

/// A value of the wrong type; serde's text quotes the value, so for keys that may hold a
/// secret only what was expected is said.
fn type_problem(key: &str, error: &str) -> String {
    if !may_be_secret(key) {
        return format!("{key}: {error}");
    }
    match error.split_once(", expected ") {
        Some((_, expected)) => {
            format!("{key}: wrong type (expected {expected}; the value is not shown)")
        }
        None => format!("{key}: cannot be read (the value is not shown)"),
    }
}

/// Checks that `path` is TOML before anything else reads it. A syntax error is reported by
/// line and column only: the parser's own text quotes the line, which may hold a secret.
fn check_toml_syntax(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let Err(e) = toml::from_str::<toml::Table>(&text) else {
        return Ok(());
    };
    let at = e.span().map(|span| {
        let before = &text[..span.start.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    });
    // The first line of the message names the mistake; the rest may quote the input.
    let what = e.message().lines().next().unwrap_or("syntax error");
    Err(match at {
        Some((line, column)) => format!(
            "{}: not valid TOML at line {line}, column {column}: {what} (the line is not shown: it may hold a secret)",
            path.display()
        ),
        None => format!("{}: not valid TOML: {what}", path.display()),
    })
}

fn unknown_key(key: &str) -> String {
    format!(
        "unknown key {key} (environment: {ENV_PREFIX}{})",
        key.replace('.', "__").to_uppercase()
    )
}

/// Layers defaults, the file (if any) and the environment, and reads the result as a
/// [`Config`], collecting every unknown key and type error instead of stopping at the first.
pub fn load(path: Option<&Path>) -> Result<Loaded, Vec<String>> {
    let (defaults, source) = match path {
        None => (Config::embedded(), Source::Embedded),
        Some(p) => (Config::default(), Source::File(p.display().to_string())),
    };
    let mut figment = Figment::from(Serialized::defaults(defaults.clone()));
    if let Some(p) = path {
        if !p.is_file() {
            return Err(vec![format!("{}: no such file", p.display())]);
        }
        check_toml_syntax(p).map_err(|e| vec![e])?;
        figment = figment.merge(Toml::file_exact(p));
    }
    figment = figment.merge(Env::prefixed(ENV_PREFIX).split("__"));
    // figment reads "0012" from the environment as the number 12; secrets must stay verbatim.
    for key in SECRET_ENV {
        let var = format!("{ENV_PREFIX}{}", key.replace('.', "__").to_uppercase());
        if let Ok(raw) = std::env::var(&var) {
            figment = figment.merge(Serialized::default(key, raw));
        }
    }
    let merged: serde_json::Value = figment.extract().map_err(|e| {
        e.into_iter()
            .map(|e| {
                let key = e.path.join(".");
                if may_be_secret(&key) {
                    format!("configuration: {key}: cannot be read (the value is not shown)")
                } else {
                    format!("configuration: {e}")
                }
            })
            .collect::<Vec<_>>()
    })?;
    let serde_json::Value::Object(entries) = merged else {
        return Err(vec!["configuration: not a table of settings".into()]);
    };
    let mut config = defaults;
    let mut problems = Vec::new();
    macro_rules! entries {
        ($key:expr, $value:expr, $($field:ident),+) => {
            match $key.as_str() {
                $(stringify!($field) => {
                    if let Some(v) = read(stringify!($field), $value, &mut problems) {
                        config.$field = v;
                    }
                })+
                other => problems.push(unknown_key(other)),
            }
        };
    }
    for (key, value) in entries {
        entries!(
            key, value, issuer, http, ops, storage, login, delivery, cripsa, tokens, sessions,
            signing, keys, clients, demo, totp, i18n, branding, fraud, costs, events, log,
            telemetry, reload
        );
    }
    Ok(Loaded {
        config,
        source,
        problems,
    })
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment::Jail's closures return figment::Error
mod tests {
    use super::*;

    #[test]
    fn environment_secrets_are_taken_verbatim() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("WAGATE__DELIVERY__WEBHOOK_SECRET", "0012345678901234567");
            jail.set_env("WAGATE__LOGIN__CODE_LENGTH", "8");
            jail.set_env("WAGATE__CRIPSA__HTTP__AUTH_VALUE", "Bearer 00123");
            jail.set_env("WAGATE__CRIPSA__HTTP__REQUEST__PHONE", "/phoneNumber");
            jail.set_env(
                "WAGATE__DELIVERY__WHATSAPP__PHONE_NUMBER_ID",
                "0106540352242922",
            );
            jail.set_env("WAGATE__DELIVERY__WHATSAPP__APP_SECRET", "00abc");
            let loaded = load(None).expect("loads");
            assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
            assert_eq!(
                loaded
                    .config
                    .delivery
                    .webhook_secret
                    .as_ref()
                    .map(Secret::expose),
                Some("0012345678901234567")
            );
            assert_eq!(loaded.config.login.code_length, 8);
            let http = &loaded.config.cripsa.http;
            assert_eq!(
                http.auth_value.as_ref().map(Secret::expose),
                Some("Bearer 00123")
            );
            assert_eq!(http.request.phone, "/phoneNumber");
            let whatsapp = &loaded.config.delivery.whatsapp;
            assert_eq!(
                whatsapp.phone_number_id.as_deref(),
                Some("0106540352242922")
            );
            assert_eq!(
                whatsapp.app_secret.as_ref().map(Secret::expose),
                Some("00abc")
            );
            Ok(())
        });
    }

    #[test]
    fn errors_never_show_what_may_be_a_secret() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "bad.toml",
                "[delivery]\nchannel = \"webhook\"\nwebhook_secret = \"s3cr3t-value\\q-more\"\n",
            )?;
            let problems = load(Some(Path::new("bad.toml"))).unwrap_err().join("\n");
            assert!(problems.contains("line 3, column"), "{problems}");
            assert!(!problems.contains("s3cr3t"), "{problems}");

            jail.create_file(
                "typed.toml",
                "[storage]\nkey_prefix = 123456789012\n[login]\ncode_length = \"six\"\n",
            )?;
            let loaded = load(Some(Path::new("typed.toml"))).expect("loads");
            let text = loaded.problems.join("\n");
            assert!(
                text.contains("storage.key_prefix: wrong type (expected a string"),
                "{text}"
            );
            assert!(!text.contains("123456789012"), "{text}");
            assert!(text.contains("\"six\""), "other values are shown: {text}");
            Ok(())
        });
    }

    #[test]
    fn type_errors_name_their_key_and_do_not_hide_other_sections() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "w.toml",
                "[login]\ncode_length = \"six\"\n[http]\nlisten = \"x\"\nlistn = 1\n",
            )?;
            let loaded = load(Some(Path::new("w.toml"))).expect("loads");
            let text = loaded.problems.join("\n");
            assert!(text.contains("login.code_length"), "{text}");
            assert!(text.contains("unknown key http.listn"), "{text}");
            assert_eq!(
                loaded.config.http.listen, "x",
                "the readable section was kept"
            );
            Ok(())
        });
    }
}
