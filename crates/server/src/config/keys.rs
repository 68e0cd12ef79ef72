//! `[signing]` and `[[keys]]`: the keys tokens are signed with, from files or kept in shared
//! storage under a key-encryption key.

use super::Config;
use super::file::StorageBackend;
use super::problems::{Problems, read_secret, warn_if_shared};
use std::collections::HashSet;
use wagate_oidc::{SigningAlg, SigningKey};
use wagate_storage::Secret;

/// Signing keys as configured.
pub(super) struct Keys {
    /// From `[[keys]]`; empty when keys are generated (or kept in storage).
    pub files: Vec<SigningKey>,
    pub key_encryption_key: Option<Secret>,
    /// The algorithms clients may ask for.
    pub available: Vec<SigningAlg>,
    /// `[tokens] access_token_signing_alg`.
    pub access_token_alg: SigningAlg,
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> Keys {
    let files = key_files(config, p);
    let kek = read_secret(
        p,
        "signing.key_encryption_key",
        &config.signing.key_encryption_key,
        &config.signing.key_encryption_key_file,
    );
    if let Some(k) = &kek {
        p.check(
            k.expose().chars().count() >= wagate_oidc::shared_keys::MIN_KEK_LEN,
            "signing.key_encryption_key: must be at least 32 characters",
        );
    }
    p.check(
        !(config.storage.backend.known().is_some_and(StorageBackend::shared) && kek.is_none()),
        "signing.key_encryption_key: required with Redis storage (instances share refresh-token keys, and generated signing keys, through it)",
    );
    let mut kids = HashSet::new();
    for k in &files {
        p.check(
            kids.insert(k.kid().to_owned()),
            format!("keys: kid {:?} is used twice", k.kid()),
        );
    }
    let available: Vec<SigningAlg> = if config.keys.is_empty() {
        SigningAlg::ALL.to_vec()
    } else {
        config
            .keys
            .iter()
            .filter_map(|k| k.alg.parse().ok())
            .collect()
    };
    p.check(
        available.contains(&SigningAlg::RS256),
        "keys: an RS256 key is required (OpenID Connect requires RS256 support)",
    );

    let access_token_alg = usable_alg(
        &config.tokens.access_token_signing_alg,
        "tokens.access_token_signing_alg",
        &available,
        p,
    )
    .unwrap_or(SigningAlg::RS256);
    Keys {
        files,
        key_encryption_key: kek,
        available,
        access_token_alg,
    }
}

/// The algorithm `name` (set at `key`), when it is one we sign with and a key of it exists.
pub(super) fn usable_alg(
    name: &str,
    key: &str,
    available: &[SigningAlg],
    p: &mut Problems,
) -> Option<SigningAlg> {
    match name.parse::<SigningAlg>() {
        Ok(alg) if available.contains(&alg) => Some(alg),
        Ok(_) => {
            p.add(format!("{key}: no {name} key is configured"));
            None
        }
        Err(_) => {
            p.add(format!("{key}: {name:?} is not RS256, ES256 or EdDSA"));
            None
        }
    }
}

fn key_files(config: &Config, p: &mut Problems) -> Vec<SigningKey> {
    let mut keys = Vec::new();
    for (i, k) in config.keys.iter().enumerate() {
        let what = format!("keys[{i}]");
        let Ok(alg) = k.alg.parse::<SigningAlg>() else {
            p.add(format!(
                "{what}.alg: {:?} is not RS256, ES256 or EdDSA",
                k.alg
            ));
            continue;
        };
        match std::fs::read(&k.private_key_file) {
            Ok(pem) => {
                warn_if_shared(p, &format!("{what}.private_key_file"), &k.private_key_file);
                match SigningKey::from_pem(alg, &pem, k.kid.clone()) {
                    // The file's age stands for the key's: a new file is a rotated key.
                    Ok(key) => keys.push(match modified_secs(&k.private_key_file) {
                        Some(secs) => key.made_at(secs),
                        None => key,
                    }),
                    Err(e) => p.add(format!("{what}: {}: {e}", k.private_key_file.display())),
                }
            }
            Err(e) => p.add(format!(
                "{what}.private_key_file: cannot read {}: {e}",
                k.private_key_file.display()
            )),
        }
    }
    keys
}

fn modified_secs(path: &std::path::Path) -> Option<u64> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(
        modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs(),
    )
}
