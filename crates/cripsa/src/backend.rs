//! `mode = "cognito"` as the core's `OtpBackend`: the upstream session lives in the challenge's
//! server-side state, is replaced after every wrong code, and an unknown number looks exactly
//! like a known one from outside.

use crate::cognito::{AnswerOutcome, CognitoClient, UpstreamChallenge};
use crate::errors::UpstreamError;
use crate::id_token::IdTokenVerifier;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use wagate_core::{BackendError, ChallengeRequest, OtpBackend, OtpCode, Started, Verdict};
use wagate_storage::{Clock, OtpChallenge, Secret};

/// The pool's own attempt limit (Cripsa's define-challenge trigger; samples allow three). An
/// unknown number must run out at the same point as a known one, or the count would tell them
/// apart.
const UPSTREAM_ATTEMPTS: u32 = 3;

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

pub struct CognitoBackend {
    client: CognitoClient,
    verifier: IdTokenVerifier,
    clock: Arc<dyn Clock>,
    /// The pool client's `AuthSessionValidity` (Cognito's default: 3 minutes).
    session_ttl: Duration,
    code_length: u8,
}

impl fmt::Debug for CognitoBackend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CognitoBackend")
            .field("client", &self.client)
            .field("session_ttl", &self.session_ttl)
            .finish_non_exhaustive()
    }
}

impl CognitoBackend {
    pub fn new(
        client: CognitoClient,
        verifier: IdTokenVerifier,
        clock: Arc<dyn Clock>,
        session_ttl: Duration,
        code_length: u8,
    ) -> CognitoBackend {
        CognitoBackend {
            client,
            verifier,
            clock,
            session_ttl,
            code_length,
        }
    }

    fn started(&self, state: &State) -> Result<Started, BackendError> {
        Ok(Started {
            state: state.seal()?,
            expires_in: self.session_ttl,
            code_length: self.code_length,
        })
    }
}

/// The raw upstream story goes to the log; the port gets only its category.
fn report(step: &str, e: UpstreamError) -> BackendError {
    tracing::warn!(backend = "cripsa", step, error = %e, "upstream call failed");
    e.into_backend()
}

#[async_trait]
impl OtpBackend for CognitoBackend {
    fn name(&self) -> &'static str {
        "cripsa"
    }

    async fn start(&self, request: &ChallengeRequest<'_>) -> Result<Started, BackendError> {
        match self.client.initiate(request.phone.e164()).await {
            Ok(challenge) => self.started(&State::live(challenge)),
            Err(UpstreamError::UnknownUser(detail)) => {
                tracing::info!(backend = "cripsa", flow = request.flow_id, %detail, "number unknown upstream");
                self.started(&State::Unknown { wrong: 0 })
            }
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
                if wrong >= UPSTREAM_ATTEMPTS {
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
        match self.client.respond(&current, code.expose()).await {
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
