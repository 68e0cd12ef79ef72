//! Recovery codes: ten single-use codes that stand in for the authenticator when the phone
//! with the app is lost. 80 random bits each in Crockford base32 (no I, L, O, U; case and
//! dashes ignored), so a salted SHA-256 is enough at rest: there is no dictionary to try.
//! Shown once, at confirmation.

use base32::Alphabet;
use sha2::{Digest, Sha256};
use wagate_storage::{Secret, SecretSource};

pub const RECOVERY_CODES: usize = 10;
const CODE_BYTES: usize = 10;
const GROUP_LEN: usize = 4;

/// A recovery code as typed, decoded.
pub struct RecoveryCode([u8; CODE_BYTES]);

impl RecoveryCode {
    /// `None` when the input cannot be a recovery code (so it is not worth looking up).
    pub fn parse(input: &str) -> Option<Self> {
        let clean: String = input.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
        if clean.len() != CODE_BYTES * 8 / 5 {
            return None;
        }
        let bytes = base32::decode(Alphabet::Crockford, &clean)?;
        bytes.try_into().ok().map(RecoveryCode)
    }

    /// A fresh code, formatted `xxxx-xxxx-xxxx-xxxx`.
    pub fn generate(random: &dyn SecretSource) -> Secret {
        let mut bytes = [0u8; CODE_BYTES];
        random.fill(&mut bytes);
        let text = base32::encode(Alphabet::Crockford, &bytes).to_ascii_lowercase();
        let groups: Vec<&str> = text
            .as_bytes()
            .chunks(GROUP_LEN)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        Secret::new(groups.join("-"))
    }

    /// The digest kept in storage, salted with the person's `sub`.
    pub fn digest(&self, sub: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(b"wagate recovery v1\0");
        hash.update(sub.as_bytes());
        hash.update(b"\0");
        hash.update(self.0);
        hex::encode(hash.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wagate_storage::OsRandom;

    #[test]
    fn generated_codes_parse_back_in_any_case_and_spacing() {
        let code = RecoveryCode::generate(&OsRandom);
        assert_eq!(code.expose().len(), 19, "{}", code.expose());
        let parsed = RecoveryCode::parse(code.expose()).unwrap();
        let loose = code.expose().to_uppercase().replace('-', " ");
        assert_eq!(
            RecoveryCode::parse(&loose).unwrap().digest("s"),
            parsed.digest("s")
        );
        assert_ne!(parsed.digest("s"), parsed.digest("t"), "salted per person");
        assert_ne!(RecoveryCode::generate(&OsRandom).expose(), code.expose());
    }

    #[test]
    fn other_inputs_are_not_recovery_codes() {
        for bad in [
            "123456",
            "",
            "abcd-abcd-abcd-abc",
            "abcd-abcd-abcd-abcu",
            "ab%d-abcd-abcd-abcd",
        ] {
            assert!(RecoveryCode::parse(bad).is_none(), "{bad:?}");
        }
    }
}
