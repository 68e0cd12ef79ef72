//! `[totp]`: authenticator apps. Resolved into the settings the core's `Authenticators` take.

use super::Config;
use super::problems::{Problems, read_secret};
use sha2::Digest;
use std::time::Duration;
use wagate_core::totp::{MIN_TOTP_KEY_LEN, TotpKey, TotpSettings};
use wagate_storage::{OsRandom, random_token};

/// Authenticator apps, ready to use.
#[derive(Debug)]
pub struct TotpRuntime {
    pub key: TotpKey,
    pub settings: TotpSettings,
    /// No key was configured: the demo made one for this process.
    pub throwaway_key: bool,
    /// SHA-256 of the configured key, to tell whether a reloaded file changed it.
    pub key_fingerprint: [u8; 32],
}

/// `None` when authenticators are switched off (or the section has problems, reported).
pub(super) fn resolve(config: &Config, p: &mut Problems) -> Option<TotpRuntime> {
    let t = &config.totp;
    if !t.enabled {
        return None;
    }
    p.check(
        !t.issuer.trim().is_empty() && !t.issuer.contains(':'),
        "totp.issuer: required, without a colon (apps show it next to the code)",
    );
    p.check(
        (60..=86_400).contains(&t.enrollment_ttl_secs),
        "totp.enrollment_ttl_secs: between 60 and 86400",
    );
    p.check(
        (60..=86_400).contains(&t.fresh_auth_secs),
        "totp.fresh_auth_secs: between 60 and 86400",
    );
    let secret = read_secret(
        p,
        "totp.encryption_key",
        &t.encryption_key,
        &t.encryption_key_file,
    );
    let throwaway_key = secret.is_none();
    let key_fingerprint = secret
        .as_ref()
        .map(|s| sha2::Sha256::digest(s.expose().as_bytes()).into())
        .unwrap_or_default();
    let key = match secret {
        Some(s) => match TotpKey::from_secret(s.expose()) {
            Ok(key) => Some(key),
            Err(_) => {
                p.add(format!(
                    "totp.encryption_key: must be at least {MIN_TOTP_KEY_LEN} characters"
                ));
                None
            }
        },
        // The demo may run on a key that lives as long as the process; the secrets it seals
        // die with it, which is what a demo on memory storage does anyway.
        None if config.demo.enabled
            && config.storage.backend.known().is_some_and(|b| !b.shared()) =>
        {
            TotpKey::from_secret(&random_token(&OsRandom, 32)).ok()
        }
        None => {
            p.add(
                "totp.encryption_key: required (it seals authenticator secrets at rest); or set totp.enabled = false",
            );
            None
        }
    }?;
    Some(TotpRuntime {
        key,
        settings: TotpSettings {
            issuer: t.issuer.trim().to_owned(),
            enrollment_ttl: Duration::from_secs(t.enrollment_ttl_secs),
            fresh_auth: Duration::from_secs(t.fresh_auth_secs),
        },
        throwaway_key,
        key_fingerprint,
    })
}
