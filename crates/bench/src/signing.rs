//! What one signature and one verification cost here, per algorithm, with wagate's own code
//! (`wagate_oidc::SigningKey`, `KeySet`): the figures the token scenarios are read against.
//! `verify_again_us`: a token these keys verified before (remembered, not checked again).

use serde_json::{Map, Value, json};
use std::time::Instant;
use wagate_oidc::{KeySet, SigningAlg, SigningKey};

const ROUNDS: u32 = 2000;

pub fn run() -> Result<Map<String, Value>, String> {
    let claims = json!({
        "iss": "https://login.example.com", "sub": "4f1c2a9e-7b7d-4a7e-9d0c-2f3f1b6e8a11",
        "aud": "https://login.example.com/userinfo", "client_id": "portal",
        "exp": 1_900_000_000u64, "iat": 1_899_996_400u64, "jti": "k3JX0v9m2dQ4b7pW1sYz8A",
        "scope": "openid phone", "auth_time": 1_899_996_400u64, "gid": "p6yQ2m0vR8tLw3cN5bJ7eA",
    });
    let mut out = Map::new();
    for alg in [SigningAlg::RS256, SigningAlg::ES256, SigningAlg::EdDSA] {
        let key = SigningKey::generate(alg).map_err(|e| format!("{alg:?}: {e}"))?;
        // Each token differs (its jti), as in production: wagate remembers the tokens it
        // verified, and verifying one token again would measure that memory instead.
        let t = Instant::now();
        let mut tokens = Vec::new();
        for i in 0..ROUNDS {
            let mut claims = claims.clone();
            claims["jti"] = json!(format!("{i:022}"));
            tokens.push(
                key.sign("at+jwt", &claims)
                    .map_err(|e| format!("{alg:?}: {e}"))?,
            );
        }
        let sign = t.elapsed() / ROUNDS;
        let set = KeySet::new(vec![key]);
        let t = Instant::now();
        for token in &tokens {
            set.verify::<Value>(token, "at+jwt")
                .map_err(|e| format!("{alg:?}: {e}"))?;
        }
        let verify = t.elapsed() / ROUNDS;
        let t = Instant::now();
        for token in &tokens {
            set.verify::<Value>(token, "at+jwt")
                .map_err(|e| format!("{alg:?}: {e}"))?;
        }
        let again = t.elapsed() / ROUNDS;
        out.insert(
            alg.as_str().into(),
            json!({
                "sign_us": sign.as_micros(),
                "verify_us": verify.as_micros(),
                "verify_again_us": again.as_micros(),
            }),
        );
    }
    Ok(out)
}
