//! The proof of work asked for before a send when a rule calls for it: ALTCHA's format (an
//! HMAC-signed challenge, a SHA-256 puzzle), issued and checked here, solved by the page's
//! script or the portal's app. Expiry is read against wagate's clock; single use is the
//! caller's (a hold in storage on the signature).

use altcha_lib_rs::algorithm::AltchaAlgorithm;
use altcha_lib_rs::{ChallengeOptions, Payload, create_challenge, verify_solution};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt;
use std::time::Duration;
use wagate_storage::UnixTime;

/// The puzzle's size bounds: people's phones solve the largest in a few seconds.
pub const MIN_DIFFICULTY: u64 = 1_000;
pub const MAX_DIFFICULTY: u64 = 1_000_000;

/// What a client solves: ALTCHA's challenge JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PowChallenge {
    pub algorithm: &'static str,
    pub challenge: String,
    pub maxnumber: u64,
    pub salt: String,
    pub signature: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SolutionError {
    #[error("not a solution")]
    Malformed,
    #[error("wrong solution")]
    Wrong,
    #[error("the challenge expired")]
    Expired,
}

/// Issues and checks challenges under one key, which every instance derives alike.
pub struct ProofOfWork {
    key: String,
    difficulty: u64,
    ttl: Duration,
}

impl fmt::Debug for ProofOfWork {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProofOfWork")
            .field("key", &"[redacted]")
            .field("difficulty", &self.difficulty)
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl ProofOfWork {
    /// `secret`: shared by every instance (the key-encryption key); `difficulty`: the largest
    /// number the puzzle may hide, bounded by [`MIN_DIFFICULTY`]..=[`MAX_DIFFICULTY`].
    pub fn new(secret: &[u8], difficulty: u64, ttl: Duration) -> ProofOfWork {
        let mut hash = Sha256::new();
        hash.update(b"wagate sending challenge v1\0");
        hash.update(secret);
        ProofOfWork {
            key: hex::encode(hash.finalize()),
            difficulty: difficulty.clamp(MIN_DIFFICULTY, MAX_DIFFICULTY),
            ttl,
        }
    }

    /// How long a challenge may be solved and used.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// A new challenge, good until `now + ttl`.
    pub fn issue(&self, now: UnixTime) -> Option<PowChallenge> {
        let expires = chrono::DateTime::from_timestamp(now.plus(self.ttl).secs(), 0)?;
        let c = create_challenge(ChallengeOptions {
            algorithm: Some(AltchaAlgorithm::Sha256),
            max_number: Some(self.difficulty),
            hmac_key: &self.key,
            expires: Some(expires),
            ..Default::default()
        })
        .ok()?;
        Some(PowChallenge {
            algorithm: "SHA-256",
            challenge: c.challenge,
            maxnumber: c.maxnumber,
            salt: c.salt,
            signature: c.signature,
        })
    }

    /// Checks a solution as ALTCHA's widget sends it (base64 of its JSON; the JSON itself is
    /// taken too). Returns the challenge's signature, which names it for single use.
    pub fn check(&self, solution: &str, now: UnixTime) -> Result<String, SolutionError> {
        let solution = solution.trim();
        if solution.is_empty() || solution.len() > 2048 {
            return Err(SolutionError::Malformed);
        }
        let json = STANDARD
            .decode(solution)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_else(|| solution.to_owned());
        let payload: Payload = serde_json::from_str(&json).map_err(|_| SolutionError::Malformed)?;
        if !matches!(payload.algorithm, AltchaAlgorithm::Sha256) || payload.number > self.difficulty
        {
            return Err(SolutionError::Wrong);
        }
        // Expiry against wagate's clock, not the library's.
        verify_solution(&payload, &self.key, false).map_err(|_| SolutionError::Wrong)?;
        match expires_of(&payload.salt) {
            Some(at) if at > now.secs() => Ok(payload.signature),
            _ => Err(SolutionError::Expired),
        }
    }
}

/// The `expires` parameter ALTCHA puts in the salt (`<hex>?expires=<unix>`).
fn expires_of(salt: &str) -> Option<i64> {
    let (_, query) = salt.split_once('?')?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "expires")
        .and_then(|(_, v)| v.parse().ok())
}

/// Solves `challenge` as a client would (for tests and tools): the base64 payload.
pub fn solve(challenge: &PowChallenge) -> Option<String> {
    let number = (0..=challenge.maxnumber).find(|n| {
        hex::encode(Sha256::digest(format!("{}{n}", challenge.salt))) == challenge.challenge
    })?;
    let payload = serde_json::json!({
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "number": number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    });
    Some(STANDARD.encode(payload.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pow() -> ProofOfWork {
        ProofOfWork::new(b"secret", 2_000, Duration::from_secs(300))
    }

    #[test]
    fn a_solved_challenge_passes_until_it_expires() {
        let now = UnixTime(1_800_000_000);
        let c = pow().issue(now).unwrap();
        assert_eq!(c.maxnumber, 2_000);
        let solution = solve(&c).unwrap();
        assert_eq!(pow().check(&solution, now), Ok(c.signature.clone()));
        let later = now.plus(Duration::from_secs(301));
        assert_eq!(pow().check(&solution, later), Err(SolutionError::Expired));
    }

    #[test]
    fn forged_and_foreign_solutions_fail() {
        let now = UnixTime(1_800_000_000);
        let c = pow().issue(now).unwrap();
        let solution = solve(&c).unwrap();
        let other = ProofOfWork::new(b"another secret", 2_000, Duration::from_secs(300));
        assert_eq!(other.check(&solution, now), Err(SolutionError::Wrong));
        let json = String::from_utf8(STANDARD.decode(&solution).unwrap()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let off_by_one = json.replace(
            &format!("\"number\":{}", v["number"]),
            &format!("\"number\":{}", v["number"].as_u64().unwrap() + 1),
        );
        assert_eq!(pow().check(&off_by_one, now), Err(SolutionError::Wrong));
        assert_eq!(pow().check("", now), Err(SolutionError::Malformed));
        assert_eq!(
            pow().check("bm90IGpzb24=", now),
            Err(SolutionError::Malformed)
        );
    }

    #[test]
    fn difficulty_is_bounded() {
        let easy = ProofOfWork::new(b"k", 1, Duration::from_secs(60));
        assert_eq!(easy.issue(UnixTime(0)).unwrap().maxnumber, MIN_DIFFICULTY);
        let hard = ProofOfWork::new(b"k", u64::MAX, Duration::from_secs(60));
        assert_eq!(hard.issue(UnixTime(0)).unwrap().maxnumber, MAX_DIFFICULTY);
    }
}
