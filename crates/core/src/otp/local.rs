//! The local backend: wagate draws the code, keeps only a salted hash, and hands the code to a
//! delivery channel.

use super::{BackendError, ChallengeRequest, OtpBackend, OtpCode, Started, Verdict};
use crate::delivery::{DeliveryChannel, OtpMessage};
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use wagate_storage::{OtpChallenge, Secret, SecretSource};

const STATE_VERSION: &str = "v1";

#[derive(Debug)]
pub struct LocalOtpBackend {
    code_length: u8,
    code_ttl: Duration,
    channel: Arc<dyn DeliveryChannel>,
    random: Arc<dyn SecretSource>,
}

impl LocalOtpBackend {
    pub fn new(
        code_length: u8,
        code_ttl: Duration,
        channel: Arc<dyn DeliveryChannel>,
        random: Arc<dyn SecretSource>,
    ) -> Self {
        LocalOtpBackend {
            code_length,
            code_ttl,
            channel,
            random,
        }
    }

    /// Uniform decimal digits: bytes of 250 and above are redrawn, so `% 10` has no bias.
    fn draw_code(&self) -> String {
        let mut code = String::with_capacity(usize::from(self.code_length));
        let mut buf = [0u8; 32];
        while code.len() < usize::from(self.code_length) {
            self.random.fill(&mut buf);
            for b in buf.iter().filter(|b| **b < 250) {
                if code.len() == usize::from(self.code_length) {
                    break;
                }
                code.push(char::from(b'0' + b % 10));
            }
        }
        code
    }
}

fn digest(salt: &[u8], code: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(code.as_bytes());
    h.finalize().into()
}

/// `v1.<salt>.<sha256(salt || code)>`: the code itself is never stored.
fn hash_state(salt: &[u8], code: &str) -> Secret {
    Secret::new(format!(
        "{STATE_VERSION}.{}.{}",
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(digest(salt, code))
    ))
}

fn matches(state: &Secret, code: &str) -> Result<bool, BackendError> {
    let corrupt = || BackendError::Misconfigured("unreadable local challenge state".into());
    let mut parts = state.expose().split('.');
    let (Some(STATE_VERSION), Some(salt), Some(tag), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(corrupt());
    };
    let salt = URL_SAFE_NO_PAD.decode(salt).map_err(|_| corrupt())?;
    let tag = URL_SAFE_NO_PAD.decode(tag).map_err(|_| corrupt())?;
    Ok(digest(&salt, code)[..].ct_eq(&tag[..]).into())
}

#[async_trait]
impl OtpBackend for LocalOtpBackend {
    fn name(&self) -> &'static str {
        "local"
    }

    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError> {
        let code = self.draw_code();
        let mut salt = [0u8; 16];
        self.random.fill(&mut salt);
        let state = hash_state(&salt, &code);
        let message = OtpMessage::new(
            request.phone.e164().to_owned(),
            OtpCode::from_generated(code),
            self.code_ttl,
        );
        self.channel.deliver(&message).await.map_err(|e| {
            let detail = format!("{} delivery: {e}", self.channel.name());
            if e.nothing_sent() {
                BackendError::Unavailable(detail)
            } else {
                BackendError::MaybeSent(detail)
            }
        })?;
        Ok(Started {
            state,
            expires_in: self.code_ttl,
            code_length: self.code_length,
        })
    }

    async fn verify(
        &self,
        challenge: &OtpChallenge,
        code: &OtpCode,
    ) -> Result<Verdict, BackendError> {
        if matches(&challenge.backend_state, code.expose())? {
            Ok(Verdict::Accepted)
        } else {
            Ok(Verdict::Rejected {
                replacement_state: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PhonePolicy;
    use crate::delivery::DeliveryError;
    use std::sync::Mutex;
    use wagate_storage::{OsRandom, UnixTime};

    #[derive(Debug, Default)]
    struct Capture(Mutex<Vec<String>>);

    #[async_trait]
    impl DeliveryChannel for Capture {
        fn name(&self) -> &'static str {
            "capture"
        }
        async fn deliver(&self, message: &OtpMessage) -> Result<(), DeliveryError> {
            self.0
                .lock()
                .unwrap()
                .push(message.code.expose().to_owned());
            Ok(())
        }
    }

    fn challenge(state: Secret) -> OtpChallenge {
        OtpChallenge {
            backend_state: state,
            phone: "+14155550100".into(),
            created_at: UnixTime(0),
            expires_at: UnixTime(300),
        }
    }

    #[tokio::test]
    async fn the_delivered_code_verifies_and_others_do_not() {
        let capture = Arc::new(Capture::default());
        let backend = LocalOtpBackend::new(
            6,
            Duration::from_secs(300),
            capture.clone(),
            Arc::new(OsRandom),
        );
        let phone = PhonePolicy::new(None, &[])
            .unwrap()
            .parse("+14155550100")
            .unwrap();
        let started = backend
            .start(&ChallengeRequest {
                flow_id: "f",
                phone: &phone,
            })
            .await
            .unwrap();
        let sent = capture.0.lock().unwrap()[0].clone();
        assert_eq!(sent.len(), 6);
        assert!(
            !started.state.expose().contains(&sent),
            "code stored in clear"
        );

        let ch = challenge(started.state);
        let right = OtpCode::parse(&sent).unwrap();
        assert!(matches!(
            backend.verify(&ch, &right).await.unwrap(),
            Verdict::Accepted
        ));
        let wrong_digits = if sent == "000000" { "111111" } else { "000000" };
        let wrong = OtpCode::parse(wrong_digits).unwrap();
        assert!(matches!(
            backend.verify(&ch, &wrong).await.unwrap(),
            Verdict::Rejected { .. }
        ));
    }

    #[test]
    fn codes_are_uniform_enough() {
        let backend = LocalOtpBackend::new(
            8,
            Duration::from_secs(1),
            Arc::new(Capture::default()),
            Arc::new(OsRandom),
        );
        let mut counts = [0u32; 10];
        for _ in 0..2000 {
            for c in backend.draw_code().bytes() {
                counts[usize::from(c - b'0')] += 1;
            }
        }
        // 16,000 digits: each should appear about 1,600 times.
        assert!(
            counts.iter().all(|n| (1300..1900).contains(n)),
            "{counts:?}"
        );
    }

    #[test]
    fn damaged_state_is_an_error_not_a_match() {
        for s in ["", "v1.x", "v2.a.b", "v1.!!.??", "v1.a.b.c"] {
            assert!(
                matches(&Secret::new(s), "123456").is_err()
                    || !matches(&Secret::new(s), "123456").unwrap()
            );
        }
    }
}
