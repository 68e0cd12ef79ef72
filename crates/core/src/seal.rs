//! Secrets at rest in shared storage: AES-256-GCM under a key derived from configuration,
//! bound by associated data to what they belong to, so a copy of storage yields nothing and a
//! sealed value moved elsewhere does not open.

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::fmt;
use wagate_storage::SecretSource;

pub struct SealKey(LessSafeKey);

impl fmt::Debug for SealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SealKey([redacted])")
    }
}

impl SealKey {
    /// The key for `label` from `secret`: the label keeps keys for different uses apart when
    /// one secret serves several.
    pub fn derive(label: &[u8], secret: &[u8]) -> Option<SealKey> {
        let mut hash = Sha256::new();
        hash.update(label);
        hash.update(secret);
        let key = UnboundKey::new(&AES_256_GCM, &hash.finalize()).ok()?;
        Some(SealKey(LessSafeKey::new(key)))
    }

    /// `base64(nonce || ciphertext || tag)`; `None` only if the cipher fails.
    pub fn seal(&self, aad: &[u8], plain: &[u8], random: &dyn SecretSource) -> Option<String> {
        let mut nonce = [0u8; NONCE_LEN];
        random.fill(&mut nonce);
        let mut data = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(aad),
                &mut data,
            )
            .ok()?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&data);
        Some(STANDARD.encode(out))
    }

    /// The plain bytes, or why they cannot be had.
    pub fn open(&self, aad: &[u8], sealed: &str) -> Result<Vec<u8>, &'static str> {
        let raw = STANDARD.decode(sealed).map_err(|_| "not base64")?;
        let (nonce, body) = raw.split_at_checked(NONCE_LEN).ok_or("too short")?;
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| "nonce")?;
        let mut body = body.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(aad), &mut body)
            .map_err(|_| "authentication failed")?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wagate_storage::OsRandom;

    #[test]
    fn sealed_values_open_only_with_their_label_key_and_data() {
        let key = SealKey::derive(b"use a\0", b"secret").unwrap();
        let sealed = key.seal(b"flow-1", b"123456", &OsRandom).unwrap();
        assert!(!sealed.contains("123456"));
        assert_eq!(key.open(b"flow-1", &sealed).unwrap(), b"123456");
        assert!(key.open(b"flow-2", &sealed).is_err());
        let other_use = SealKey::derive(b"use b\0", b"secret").unwrap();
        assert!(other_use.open(b"flow-1", &sealed).is_err());
        assert!(key.open(b"flow-1", "AAAA").is_err());
        assert!(key.open(b"flow-1", "%%").is_err());
    }
}
