//! Signing keys: generated at start or loaded from PEM files, published as a JWKS, one `kid`
//! each (the RFC 7638 thumbprint unless configured).

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, Ed25519KeyPair, RSA_PKCS1_SHA256, RsaKeyPair,
};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;

/// The ID-token algorithms we offer (OIDC requires RS256; ES256 and EdDSA are smaller and faster).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlg {
    RS256,
    ES256,
    EdDSA,
}

impl SigningAlg {
    pub const ALL: [SigningAlg; 3] = [SigningAlg::RS256, SigningAlg::ES256, SigningAlg::EdDSA];

    pub fn as_str(self) -> &'static str {
        match self {
            SigningAlg::RS256 => "RS256",
            SigningAlg::ES256 => "ES256",
            SigningAlg::EdDSA => "EdDSA",
        }
    }

    fn jwt(self) -> Algorithm {
        match self {
            SigningAlg::RS256 => Algorithm::RS256,
            SigningAlg::ES256 => Algorithm::ES256,
            SigningAlg::EdDSA => Algorithm::EdDSA,
        }
    }
}

impl FromStr for SigningAlg {
    type Err = KeyError;
    fn from_str(s: &str) -> Result<Self, KeyError> {
        SigningAlg::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| KeyError::UnsupportedAlg(s.to_owned()))
    }
}

#[derive(Debug, Error)]
pub enum KeyError {
    #[error("unsupported signing algorithm {0:?} (use RS256, ES256 or EdDSA)")]
    UnsupportedAlg(String),
    #[error("could not generate a {0} key")]
    Generate(&'static str),
    #[error("not a valid {alg} private key in PEM (PKCS#8, or PKCS#1 for RSA): {detail}")]
    Pem { alg: &'static str, detail: String },
    #[error("no signing key for {0}")]
    Missing(&'static str),
    #[error("signing failed: {0}")]
    Sign(String),
    #[error("token rejected: {0}")]
    Rejected(&'static str),
}

/// A parsed private key. jsonwebtoken re-parses the key on every signature (an RSA parse costs
/// more than the signature itself), so we sign with key pairs parsed once; verification stays
/// with jsonwebtoken.
enum PrivateKey {
    Rsa(RsaKeyPair),
    Ecdsa(EcdsaKeyPair),
    Ed25519(Ed25519KeyPair),
}

impl PrivateKey {
    /// `der` is what jsonwebtoken extracted from the PEM: PKCS#1 for RSA, PKCS#8 otherwise.
    fn parse(alg: SigningAlg, der: &[u8]) -> Result<Self, KeyError> {
        let bad = || KeyError::Pem {
            alg: alg.as_str(),
            detail: "the key does not parse".into(),
        };
        Ok(match alg {
            SigningAlg::RS256 => PrivateKey::Rsa(RsaKeyPair::from_der(der).map_err(|_| bad())?),
            SigningAlg::ES256 => PrivateKey::Ecdsa(
                EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                    .map_err(|_| bad())?,
            ),
            SigningAlg::EdDSA => {
                PrivateKey::Ed25519(Ed25519KeyPair::from_pkcs8(der).map_err(|_| bad())?)
            }
        })
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, KeyError> {
        let failed = || KeyError::Sign("the signature could not be computed".into());
        match self {
            PrivateKey::Rsa(k) => {
                let mut sig = vec![0; k.public_modulus_len()];
                k.sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message, &mut sig)
                    .map_err(|_| failed())?;
                Ok(sig)
            }
            PrivateKey::Ecdsa(k) => Ok(k
                .sign(&SystemRandom::new(), message)
                .map_err(|_| failed())?
                .as_ref()
                .to_vec()),
            PrivateKey::Ed25519(k) => Ok(k.sign(message).as_ref().to_vec()),
        }
    }
}

pub struct SigningKey {
    kid: String,
    alg: SigningAlg,
    private: PrivateKey,
    decoding: DecodingKey,
    jwk: Jwk,
    /// When the key was made (Unix seconds), where known: operators rotate by age.
    created: Option<u64>,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh key pair (RSA 2048, P-256 or Ed25519).
    /// The key, known to have been made at `secs` (Unix time).
    pub fn made_at(mut self, secs: u64) -> Self {
        self.created = Some(secs);
        self
    }

    pub fn generate(alg: SigningAlg) -> Result<Self, KeyError> {
        Self::from_pem(alg, generate_pem(alg)?.as_bytes(), None)
    }

    /// Loads a private key; `kid` defaults to the RFC 7638 thumbprint of the public key.
    pub fn from_pem(alg: SigningAlg, pem: &[u8], kid: Option<String>) -> Result<Self, KeyError> {
        let bad = |e: jsonwebtoken::errors::Error| KeyError::Pem {
            alg: alg.as_str(),
            detail: e.to_string(),
        };
        let encoding = match alg {
            SigningAlg::RS256 => EncodingKey::from_rsa_pem(pem),
            SigningAlg::ES256 => EncodingKey::from_ec_pem(pem),
            SigningAlg::EdDSA => EncodingKey::from_ed_pem(pem),
        }
        .map_err(bad)?;
        let mut jwk = Jwk::from_encoding_key(&encoding, alg.jwt()).map_err(bad)?;
        let kid = match kid {
            Some(kid) => kid,
            None => jwk.thumbprint(ThumbprintHash::SHA256).map_err(bad)?,
        };
        jwk.common.key_id = Some(kid.clone());
        jwk.common.public_key_use = Some(PublicKeyUse::Signature);
        let decoding = DecodingKey::from_jwk(&jwk).map_err(bad)?;
        let private = PrivateKey::parse(alg, encoding.as_bytes())?;
        // Prove the pair works now rather than at the first login.
        let probe = SigningKey {
            kid,
            alg,
            private,
            decoding,
            jwk,
            created: None,
        };
        let token = probe.sign("JWT", &serde_json::json!({"probe": true}))?;
        probe.verify::<serde_json::Value>(&token, "JWT")?;
        Ok(probe)
    }

    pub fn kid(&self) -> &str {
        &self.kid
    }

    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// A compact JWS (RFC 7515 §7.1) of `claims`, with `typ`, `alg` and `kid` in the header.
    pub fn sign<T: Serialize>(&self, typ: &str, claims: &T) -> Result<String, KeyError> {
        let mut header = Header::new(self.alg.jwt());
        header.typ = Some(typ.to_owned());
        header.kid = Some(self.kid.clone());
        let mut token = b64_json(&header)?;
        token.push('.');
        token.push_str(&b64_json(claims)?);
        let signature = self.private.sign(token.as_bytes())?;
        token.push('.');
        token.push_str(&URL_SAFE_NO_PAD.encode(signature));
        Ok(token)
    }

    /// Checks signature and `typ` only; claims (exp, aud, ...) are the caller's, with its clock.
    fn verify<T: DeserializeOwned>(&self, token: &str, typ: &str) -> Result<T, KeyError> {
        let mut validation = Validation::new(self.alg.jwt());
        validation.required_spec_claims.clear();
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        let data = jsonwebtoken::decode::<T>(token, &self.decoding, &validation)
            .map_err(|_| KeyError::Rejected("bad signature or malformed token"))?;
        if data.header.typ.as_deref() != Some(typ) {
            return Err(KeyError::Rejected("wrong token type"));
        }
        Ok(data.claims)
    }
}

/// A new private key as PKCS#8 PEM (RSA 2048, P-256 or Ed25519): what `[[keys]]` files hold.
pub fn generate_pem(alg: SigningAlg) -> Result<String, KeyError> {
    let fail = || KeyError::Generate(alg.as_str());
    let pkcs8: Vec<u8> = match alg {
        SigningAlg::RS256 => RsaKeyPair::generate(KeySize::Rsa2048)
            .and_then(|k| k.as_der())
            .map_err(|_| fail())?
            .as_ref()
            .to_vec(),
        SigningAlg::ES256 => EcdsaKeyPair::generate(&ECDSA_P256_SHA256_FIXED_SIGNING)
            .and_then(|k| k.to_pkcs8v1())
            .map_err(|_| fail())?
            .as_ref()
            .to_vec(),
        SigningAlg::EdDSA => Ed25519KeyPair::generate()
            .and_then(|k| k.to_pkcs8v1())
            .map_err(|_| fail())?
            .as_ref()
            .to_vec(),
    };
    Ok(pem::encode(&pem::Pem::new("PRIVATE KEY", pkcs8)))
}

fn b64_json<T: Serialize>(value: &T) -> Result<String, KeyError> {
    serde_json::to_vec(value)
        .map(|json| URL_SAFE_NO_PAD.encode(json))
        .map_err(|e| KeyError::Sign(e.to_string()))
}

/// Tokens remembered as verified per key set; about 50 bytes each.
const VERIFIED_CAPACITY: usize = 16_384;

/// The provider's keys: at most one per algorithm signs; all are published.
pub struct KeySet {
    keys: Vec<SigningKey>,
    /// Digests of tokens (with their `typ`) whose signature these keys verified. A token
    /// presented again (userinfo, introspection by a resource server) is the same bytes under
    /// the same keys, so the verdict is the same without the signature check. A new key set
    /// (a rotation, a reload) starts empty, so a retired key's tokens are checked again.
    verified: quick_cache::sync::Cache<[u8; 32], ()>,
}

impl fmt::Debug for KeySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySet")
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl Default for KeySet {
    fn default() -> Self {
        KeySet::new(Vec::new())
    }
}

impl KeySet {
    pub fn new(keys: Vec<SigningKey>) -> Self {
        KeySet {
            keys,
            verified: quick_cache::sync::Cache::new(VERIFIED_CAPACITY),
        }
    }

    /// One fresh key for each algorithm.
    pub fn generate() -> Result<Self, KeyError> {
        Ok(KeySet::new(
            SigningAlg::ALL
                .into_iter()
                .map(SigningKey::generate)
                .collect::<Result<_, _>>()?,
        ))
    }

    pub fn algorithms(&self) -> Vec<SigningAlg> {
        let mut algs: Vec<SigningAlg> = Vec::new();
        for k in &self.keys {
            if !algs.contains(&k.alg) {
                algs.push(k.alg);
            }
        }
        algs
    }

    /// For each algorithm, when the key that signs with it was made (if known).
    pub fn signing_dates(&self) -> Vec<(&'static str, Option<u64>)> {
        self.algorithms()
            .into_iter()
            .filter_map(|alg| self.signer(alg).ok())
            .map(|k| (k.alg.as_str(), k.created))
            .collect()
    }

    pub fn signer(&self, alg: SigningAlg) -> Result<&SigningKey, KeyError> {
        self.keys
            .iter()
            .find(|k| k.alg == alg)
            .ok_or(KeyError::Missing(alg.as_str()))
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: self.keys.iter().map(|k| k.jwk.clone()).collect(),
        }
    }

    /// Verifies a token we issued: the header's `kid` picks the key, the key fixes the algorithm.
    pub fn verify<T: DeserializeOwned>(&self, token: &str, typ: &str) -> Result<T, KeyError> {
        let digest: [u8; 32] = Sha256::new()
            .chain_update(typ.as_bytes())
            .chain_update(b"\n")
            .chain_update(token.as_bytes())
            .finalize()
            .into();
        if self.verified.get(&digest).is_some() {
            return payload(token);
        }
        let claims = self.verify_signature(token, typ)?;
        self.verified.insert(digest, ());
        Ok(claims)
    }

    fn verify_signature<T: DeserializeOwned>(&self, token: &str, typ: &str) -> Result<T, KeyError> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| KeyError::Rejected("malformed token"))?;
        let kid = header.kid.ok_or(KeyError::Rejected("no kid"))?;
        let key = self
            .keys
            .iter()
            .find(|k| k.kid == kid)
            .ok_or(KeyError::Rejected("unknown kid"))?;
        if header.alg != key.alg.jwt() {
            return Err(KeyError::Rejected("algorithm does not match the key"));
        }
        key.verify(token, typ)
    }
}

/// The claims of a token whose signature was verified before.
fn payload<T: DeserializeOwned>(token: &str) -> Result<T, KeyError> {
    let malformed = || KeyError::Rejected("malformed token");
    let claims = token.split('.').nth(1).ok_or_else(malformed)?;
    let json = URL_SAFE_NO_PAD.decode(claims).map_err(|_| malformed())?;
    serde_json::from_slice(&json).map_err(|_| malformed())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_sign_verify_and_publish_a_kid_each() {
        let set = KeySet::generate().unwrap();
        let jwks = set.jwks();
        assert_eq!(jwks.keys.len(), 3);
        let kids: std::collections::HashSet<_> = jwks
            .keys
            .iter()
            .map(|k| k.common.key_id.clone().unwrap())
            .collect();
        assert_eq!(kids.len(), 3);
        for alg in SigningAlg::ALL {
            let key = set.signer(alg).unwrap();
            let token = key.sign("JWT", &serde_json::json!({"sub": "x"})).unwrap();
            let claims: serde_json::Value = set.verify(&token, "JWT").unwrap();
            assert_eq!(claims["sub"], "x");
            assert!(set.verify::<serde_json::Value>(&token, "at+jwt").is_err());
        }
    }

    #[test]
    fn tampered_tokens_are_rejected() {
        let set = KeySet::new(vec![SigningKey::generate(SigningAlg::ES256).unwrap()]);
        let token = set
            .signer(SigningAlg::ES256)
            .unwrap()
            .sign("JWT", &serde_json::json!({"sub": "x"}))
            .unwrap();
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged_claims = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            br#"{"sub":"admin"}"#,
        );
        parts[1] = &forged_claims;
        assert!(
            set.verify::<serde_json::Value>(&parts.join("."), "JWT")
                .is_err()
        );
        assert!(set.verify::<serde_json::Value>("not.a.jwt", "JWT").is_err());
        assert!(set.verify::<serde_json::Value>("", "JWT").is_err());
    }

    #[test]
    fn a_remembered_verdict_holds_for_those_bytes_that_type_and_those_keys_only() {
        let set = KeySet::new(vec![SigningKey::generate(SigningAlg::EdDSA).unwrap()]);
        let signer = set.signer(SigningAlg::EdDSA).unwrap();
        let token = signer
            .sign("JWT", &serde_json::json!({"sub": "x"}))
            .unwrap();
        for _ in 0..2 {
            let claims: serde_json::Value = set.verify(&token, "JWT").unwrap();
            assert_eq!(claims["sub"], "x");
        }
        // The same token as another type is still refused, after the first was remembered.
        assert!(set.verify::<serde_json::Value>(&token, "at+jwt").is_err());
        // A forgery that keeps the remembered token's signature is other bytes: refused.
        let mut parts: Vec<&str> = token.split('.').collect();
        let forged = base64::Engine::encode(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD,
            br#"{"sub":"admin"}"#,
        );
        parts[1] = &forged;
        assert!(
            set.verify::<serde_json::Value>(&parts.join("."), "JWT")
                .is_err()
        );
        // Keys that replaced these (a rotation that dropped the key) remember nothing.
        let rotated = KeySet::new(vec![SigningKey::generate(SigningAlg::EdDSA).unwrap()]);
        assert!(rotated.verify::<serde_json::Value>(&token, "JWT").is_err());
    }

    #[test]
    fn garbage_pem_is_an_error() {
        assert!(SigningKey::from_pem(SigningAlg::RS256, b"nope", None).is_err());
        // An EC key offered as RSA.
        let ec = SigningKey::generate(SigningAlg::ES256).unwrap();
        drop(ec);
        assert!("HS256".parse::<SigningAlg>().is_err());
        assert_eq!("EdDSA".parse::<SigningAlg>().unwrap(), SigningAlg::EdDSA);
    }
}
