//! Either mode as the core's `OtpBackend`: the upstream session lives in the challenge's
//! server-side state, is replaced after every wrong code, and an unknown number looks exactly
//! like a known one from outside (unless unknown numbers may sign up upstream).

use crate::errors::UpstreamError;
use crate::id_token::IdTokenVerifier;
use crate::upstream::{AnswerOutcome, SignedUp, Upstream, UpstreamChallenge};
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use wagate_core::{BackendError, ChallengeRequest, OtpBackend, OtpCode, Started, Verdict};
use wagate_storage::{Clock, OtpChallenge, Secret, SecretSource};

/// What `backend_state` holds. Versioned so a rolling upgrade can read older records.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum State {
    #[serde(rename = "cognito-1")]
    Live { session: String, username: String },
    /// The upstream does not know the number: no message went out, every code is wrong, and
    /// the person sees the same screens as anyone else, down to the pool's attempt limit.
    #[serde(rename = "unknown-1")]
    Unknown {
        #[serde(default)]
        wrong: u32,
    },
}

impl State {
    fn seal(&self) -> Result<Secret, BackendError> {
        serde_json::to_string(self)
            .map(Secret::new)
            .map_err(|e| BackendError::Misconfigured(format!("cripsa state: {e}")))
    }

    fn open(state: &Secret) -> Result<State, BackendError> {
        serde_json::from_str(state.expose())
            .map_err(|_| BackendError::Misconfigured("unreadable cripsa challenge state".into()))
    }

    fn live(challenge: UpstreamChallenge) -> State {
        State::Live {
            session: challenge.session.expose().to_owned(),
            username: challenge.username,
        }
    }
}

/// The pool's behaviour as wagate must mirror it.
#[derive(Debug, Clone)]
pub struct BackendOptions {
    /// The pool client's `AuthSessionValidity` (Cognito's default: 3 minutes).
    pub session_ttl: Duration,
    /// Digits in the upstream's codes (the form's length hint).
    pub code_length: u8,
    /// Wrong codes the pool's define-challenge trigger allows (Cripsa samples: three). An
    /// unknown number runs out at the same point, or the count would tell them apart.
    pub attempts: u32,
    /// Register unknown numbers upstream (`SignUp`) instead of answering as if a code went out.
    pub sign_up_unknown_numbers: bool,
}

pub struct CripsaBackend {
    upstream: Arc<dyn Upstream>,
    verifier: IdTokenVerifier,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    options: BackendOptions,
}

impl fmt::Debug for CripsaBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CripsaBackend")
            .field("upstream", &self.upstream)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl CripsaBackend {
    pub fn new(
        upstream: Arc<dyn Upstream>,
        verifier: IdTokenVerifier,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
        options: BackendOptions,
    ) -> CripsaBackend {
        CripsaBackend {
            upstream,
            verifier,
            clock,
            random,
            options,
        }
    }

    fn started(&self, state: &State) -> Result<Started, BackendError> {
        Ok(Started {
            state: state.seal()?,
            expires_in: self.options.session_ttl,
            code_length: self.options.code_length,
            // Cripsa sends the message itself and reports nothing about it.
            dispatch: None,
        })
    }

    fn unknown(&self, flow: &str, detail: &str) -> Result<Started, BackendError> {
        tracing::info!(backend = "cripsa", flow, %detail, "number unknown upstream");
        self.started(&State::Unknown { wrong: 0 })
    }

    /// A password nobody will ever type (CUSTOM_AUTH does not ask for it), with every
    /// character class a pool's password policy may require.
    fn throwaway_password(&self) -> Secret {
        let mut bytes = [0u8; 24];
        self.random.fill(&mut bytes);
        Secret::new(format!("{}Aa1!", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// Registers the number, then asks for a code again (the first call sent nothing).
    async fn sign_up_and_start(
        &self,
        request: &ChallengeRequest<'_>,
    ) -> Result<Started, BackendError> {
        let phone = request.phone.e164();
        let signed = self
            .upstream
            .sign_up(phone, &self.throwaway_password())
            .await
            .map_err(|e| report("sign_up", e))?;
        match signed {
            SignedUp::Confirmed => {}
            SignedUp::Unconfirmed | SignedUp::Exists => {
                tracing::warn!(
                    backend = "cripsa",
                    outcome = ?signed,
                    "signed-up number is not confirmed: the pool needs a pre-sign-up trigger that confirms new users"
                );
                return self.unknown(request.flow_id, "not confirmed after sign-up");
            }
        }
        match self.upstream.initiate(phone).await {
            Ok(challenge) => self.started(&State::live(challenge)),
            Err(UpstreamError::UnknownUser(detail)) => self.unknown(request.flow_id, &detail),
            Err(e) => Err(report("start", e)),
        }
    }
}

/// The raw upstream story goes to the log; the port gets only its category.
fn report(step: &str, e: UpstreamError) -> BackendError {
    tracing::warn!(backend = "cripsa", step, error = %e, "upstream call failed");
    e.into_backend()
}

#[async_trait]
impl OtpBackend for CripsaBackend {
    fn name(&self) -> &'static str {
        "cripsa"
    }

    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError> {
        match self.upstream.initiate(request.phone.e164()).await {
            Ok(challenge) => self.started(&State::live(challenge)),
            Err(UpstreamError::UnknownUser(_)) if self.options.sign_up_unknown_numbers => {
                self.sign_up_and_start(request).await
            }
            Err(UpstreamError::UnknownUser(detail)) => self.unknown(request.flow_id, &detail),
            Err(e) => Err(report("start", e)),
        }
    }

    async fn verify(
        &self,
        challenge: &OtpChallenge,
        code: &OtpCode,
    ) -> Result<Verdict, BackendError> {
        let (session, username) = match State::open(&challenge.backend_state)? {
            State::Unknown { wrong } => {
                let wrong = wrong + 1;
                if wrong >= self.options.attempts {
                    return Err(BackendError::TooManyAttempts);
                }
                return Ok(Verdict::Rejected {
                    replacement_state: Some(State::Unknown { wrong }.seal()?),
                });
            }
            State::Live { session, username } => (session, username),
        };
        let current = UpstreamChallenge {
            session: Secret::new(session),
            username,
        };
        match self.upstream.respond(&current, code.expose()).await {
            Ok(AnswerOutcome::Retry(next)) => Ok(Verdict::Rejected {
                replacement_state: Some(State::live(next).seal()?),
            }),
            Ok(AnswerOutcome::Authenticated { id_token }) => {
                let now = u64::try_from(self.clock.now().secs()).unwrap_or(0);
                self.verifier
                    .verify(id_token.expose(), &challenge.phone, now)
                    .await
                    .map_err(|e| report("id_token", e))?;
                Ok(Verdict::Accepted)
            }
            Err(UpstreamError::WrongCode(_)) => Ok(Verdict::Rejected {
                replacement_state: None,
            }),
            Err(e) => Err(report("answer", e)),
        }
    }
}

#[cfg(test)]
#[path = "backend_tests.rs"]
mod tests;
