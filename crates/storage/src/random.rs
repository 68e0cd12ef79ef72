//! Randomness as an injected dependency.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use std::fmt::Debug;

/// Cryptographically secure random bytes. Production uses [`OsRandom`].
pub trait SecretSource: Send + Sync + Debug {
    fn fill(&self, buf: &mut [u8]);
}

/// The operating system's CSPRNG.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsRandom;

impl SecretSource for OsRandom {
    fn fill(&self, buf: &mut [u8]) {
        rand::rngs::OsRng.fill_bytes(buf);
    }
}

/// `bytes` random bytes as unpadded base64url: ids, codes and tokens.
pub fn random_token(source: &dyn SecretSource, bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    source.fill(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_have_the_expected_length_and_differ() {
        let a = random_token(&OsRandom, 16);
        let b = random_token(&OsRandom, 16);
        assert_eq!(a.len(), 22);
        assert_ne!(a, b);
    }
}
