//! The two Cognito calls, with SECRET_HASH, timeouts and the step-aware retry rule.

use crate::errors::{Step, UpstreamError, classify};
use crate::pool::UserPool;
use crate::secret_hash::secret_hash;
use crate::wire::{
    CONTENT_TYPE, ChallengeAnswer, ChallengeReply, CognitoErrorBody, InitiateAuth, Operation,
    RespondToAuthChallenge,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;
use wagate_storage::Secret;

/// A live upstream challenge. Both parts stay on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamChallenge {
    /// Cognito's opaque `Session`; replaced after every wrong answer.
    pub session: Secret,
    /// The internal username from `ChallengeParameters.USERNAME` (what the next SECRET_HASH uses).
    pub username: String,
}

#[derive(Debug)]
pub enum AnswerOutcome {
    /// Wrong code, challenge continues with a new session (the old one is dead).
    Retry(UpstreamChallenge),
    /// Right code: the ID token, not yet verified.
    Authenticated { id_token: Secret },
}

pub struct CognitoClient {
    http: reqwest::Client,
    pool: UserPool,
    client_id: String,
    client_secret: Secret,
}

impl fmt::Debug for CognitoClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CognitoClient")
            .field("pool", &self.pool.id())
            .field("endpoint", &self.pool.endpoint().as_str())
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

impl CognitoClient {
    pub fn new(
        pool: UserPool,
        client_id: impl Into<String>,
        client_secret: Secret,
        timeout: Duration,
    ) -> Result<CognitoClient, UpstreamError> {
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| UpstreamError::Misconfigured(format!("http client: {e}")))?;
        Ok(CognitoClient {
            http,
            pool,
            client_id: client_id.into(),
            client_secret,
        })
    }

    pub fn pool(&self) -> &UserPool {
        &self.pool
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `InitiateAuth` with `CUSTOM_AUTH`: the pool's trigger sends the WhatsApp code. Never
    /// retried: a second call would send (and bill) a second message.
    pub async fn initiate(&self, phone: &str) -> Result<UpstreamChallenge, UpstreamError> {
        let body = InitiateAuth {
            auth_flow: "CUSTOM_AUTH".into(),
            client_id: self.client_id.clone(),
            auth_parameters: BTreeMap::from([
                ("USERNAME".into(), phone.to_owned()),
                ("SECRET_HASH".into(), self.hash(phone)),
            ]),
            client_metadata: BTreeMap::new(),
        };
        let reply = self
            .call(Operation::InitiateAuth, Step::Start, &body)
            .await?;
        match reply.interpret() {
            ChallengeAnswer::Challenge { session, username } => Ok(UpstreamChallenge {
                session: Secret::new(session),
                username: username.unwrap_or(phone).to_owned(),
            }),
            ChallengeAnswer::Authenticated { .. } | ChallengeAnswer::Unexpected => {
                Err(UpstreamError::Misconfigured(
                    "InitiateAuth did not answer with a CUSTOM_CHALLENGE and a Session".into(),
                ))
            }
        }
    }

    /// `RespondToAuthChallenge` with the code as `ANSWER`, hashed with the internal username.
    /// Only a refused connection is retried (once): the upstream never saw the request. Anything
    /// it may have processed is not, since the session would already be consumed.
    pub async fn respond(
        &self,
        challenge: &UpstreamChallenge,
        code: &str,
    ) -> Result<AnswerOutcome, UpstreamError> {
        let body = RespondToAuthChallenge {
            client_id: self.client_id.clone(),
            challenge_name: "CUSTOM_CHALLENGE".into(),
            session: challenge.session.expose().to_owned(),
            challenge_responses: BTreeMap::from([
                ("USERNAME".into(), challenge.username.clone()),
                ("ANSWER".into(), code.to_owned()),
                ("SECRET_HASH".into(), self.hash(&challenge.username)),
            ]),
        };
        let op = Operation::RespondToAuthChallenge;
        let reply = match self.call(op, Step::Answer, &body).await {
            Err(UpstreamError::Unavailable { retry: true, .. }) => {
                self.call(op, Step::Answer, &body).await?
            }
            other => other?,
        };
        match reply.interpret() {
            ChallengeAnswer::Authenticated { id_token } => Ok(AnswerOutcome::Authenticated {
                id_token: Secret::new(id_token),
            }),
            ChallengeAnswer::Challenge { session, username } => {
                Ok(AnswerOutcome::Retry(UpstreamChallenge {
                    session: Secret::new(session),
                    username: username.unwrap_or(&challenge.username).to_owned(),
                }))
            }
            ChallengeAnswer::Unexpected => Err(UpstreamError::Unavailable {
                detail: "RespondToAuthChallenge answered with neither tokens nor a challenge"
                    .into(),
                retry: false,
            }),
        }
    }

    fn hash(&self, username: &str) -> String {
        secret_hash(&self.client_secret, username, &self.client_id)
    }

    async fn call<B: Serialize>(
        &self,
        op: Operation,
        step: Step,
        body: &B,
    ) -> Result<ChallengeReply, UpstreamError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| UpstreamError::Misconfigured(format!("request body: {e}")))?;
        let sent = self
            .http
            .post(self.pool.endpoint().clone())
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header("X-Amz-Target", op.target())
            .body(bytes)
            .send()
            .await;
        let response = match sent {
            Ok(r) => r,
            // A timeout at the start may still have sent the message; only a refused connection
            // is known not to have reached the upstream.
            Err(e) => {
                let retry = step == Step::Answer && e.is_connect();
                return Err(UpstreamError::Unavailable {
                    detail: format!("{op:?}: {}", transport_detail(&e)),
                    retry,
                });
            }
        };
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| UpstreamError::Unavailable {
                detail: format!("{op:?}: reading the answer: {}", transport_detail(&e)),
                retry: false,
            })?;
        if status.is_success() {
            return serde_json::from_str(&text).map_err(|e| UpstreamError::Unavailable {
                detail: format!("{op:?}: unreadable answer ({status}): {e}"),
                retry: false,
            });
        }
        match serde_json::from_str::<CognitoErrorBody>(&text) {
            Ok(err) if !err.kind.is_empty() => Err(classify(step, err.short_kind(), &err.message)),
            _ => Err(UpstreamError::Unavailable {
                detail: format!("{op:?}: HTTP {status} without a Cognito error body"),
                retry: false,
            }),
        }
    }
}

#[cfg(test)]
#[path = "cognito_tests.rs"]
mod tests;

fn transport_detail(e: &reqwest::Error) -> &'static str {
    if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else {
        "transport error"
    }
}
