//! `mode = "cognito"`: the pool's own API, with SECRET_HASH, timeouts and the step-aware retry
//! rule.

use crate::errors::{Step, UpstreamError, classify};
use crate::pool::UserPool;
use crate::secret_hash::secret_hash;
use crate::transport::{self, once_more_if_unseen};
use crate::upstream::{AnswerOutcome, SignedUp, Upstream, UpstreamChallenge};
use crate::wire::{
    Attribute, CONTENT_TYPE, ChallengeAnswer, ChallengeReply, CognitoErrorBody, InitiateAuth,
    Operation, RespondToAuthChallenge, SignUp, SignUpReply,
};
use async_trait::async_trait;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;
use wagate_storage::Secret;

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
        Ok(CognitoClient {
            http: transport::client(timeout)?,
            pool,
            client_id: client_id.into(),
            client_secret,
        })
    }

    fn hash(&self, username: &str) -> String {
        secret_hash(&self.client_secret, username, &self.client_id)
    }

    async fn call<B: Serialize, R: DeserializeOwned>(
        &self,
        op: Operation,
        step: Step,
        body: &B,
    ) -> Result<R, UpstreamError> {
        self.call_raw(op, body)
            .await?
            .map_err(|err| classify(step, err.short_kind(), &err.message))
    }

    /// The answer, or Cognito's error body for the caller to judge.
    async fn call_raw<B: Serialize, R: DeserializeOwned>(
        &self,
        op: Operation,
        body: &B,
    ) -> Result<Result<R, CognitoErrorBody>, UpstreamError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| UpstreamError::Misconfigured(format!("request body: {e}")))?;
        let request = self
            .http
            .post(self.pool.endpoint().clone())
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header("X-Amz-Target", op.target())
            .body(bytes);
        let answer = transport::send(request, &format!("{op:?}")).await?;
        let status = answer.status;
        if status.is_success() {
            return serde_json::from_str(&answer.text).map(Ok).map_err(|e| {
                UpstreamError::Unavailable {
                    detail: format!("{op:?}: unreadable answer ({status}): {e}"),
                    unseen: false,
                }
            });
        }
        match serde_json::from_str::<CognitoErrorBody>(&answer.text) {
            Ok(err) if !err.kind.is_empty() => Ok(Err(err)),
            _ => Err(UpstreamError::Unavailable {
                detail: format!("{op:?}: HTTP {status} without a Cognito error body"),
                unseen: false,
            }),
        }
    }
}

#[async_trait]
impl Upstream for CognitoClient {
    /// `InitiateAuth` with `CUSTOM_AUTH`: the pool's trigger sends the WhatsApp code.
    async fn initiate(&self, phone: &str) -> Result<UpstreamChallenge, UpstreamError> {
        let body = InitiateAuth {
            auth_flow: "CUSTOM_AUTH".into(),
            client_id: self.client_id.clone(),
            auth_parameters: BTreeMap::from([
                ("USERNAME".into(), phone.to_owned()),
                ("SECRET_HASH".into(), self.hash(phone)),
            ]),
            client_metadata: BTreeMap::new(),
        };
        let reply: ChallengeReply = self
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
    async fn respond(
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
        let reply: ChallengeReply =
            once_more_if_unseen(|| self.call(op, Step::Answer, &body)).await?;
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
                unseen: false,
            }),
        }
    }

    /// `SignUp` with the number as username and `phone_number`; the pool's pre-sign-up trigger
    /// decides whether the user is confirmed at once.
    async fn sign_up(&self, phone: &str, password: &Secret) -> Result<SignedUp, UpstreamError> {
        let body = SignUp {
            client_id: self.client_id.clone(),
            username: phone.to_owned(),
            password: password.expose().to_owned(),
            secret_hash: self.hash(phone),
            user_attributes: vec![Attribute {
                name: "phone_number".into(),
                value: phone.to_owned(),
            }],
        };
        match self
            .call_raw::<_, SignUpReply>(Operation::SignUp, &body)
            .await?
        {
            Ok(reply) if reply.user_confirmed => Ok(SignedUp::Confirmed),
            Ok(_) => Ok(SignedUp::Unconfirmed),
            Err(err) if err.short_kind() == "UsernameExistsException" => Ok(SignedUp::Exists),
            Err(err) => Err(classify(Step::Start, err.short_kind(), &err.message)),
        }
    }
}

#[cfg(test)]
#[path = "cognito_tests.rs"]
mod tests;
