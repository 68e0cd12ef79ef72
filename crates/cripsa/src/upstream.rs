//! What both modes offer the backend: send a code, check a code, and (Cognito only) register a
//! number the pool does not know yet.

use crate::errors::UpstreamError;
use async_trait::async_trait;
use std::fmt;
use wagate_storage::Secret;

/// A live upstream challenge. Both parts stay on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamChallenge {
    /// The upstream's opaque session; replaced after every wrong answer.
    pub session: Secret,
    /// The internal username the upstream returned (what the next SECRET_HASH uses).
    pub username: String,
}

#[derive(Debug)]
pub enum AnswerOutcome {
    /// Wrong code, challenge continues with a new session (the old one is dead).
    Retry(UpstreamChallenge),
    /// Right code: the ID token, not yet verified.
    Authenticated { id_token: Secret },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignedUp {
    /// The pool confirmed the new user (a pre-sign-up trigger): a code can be sent now.
    Confirmed,
    /// Created but unconfirmed: the pool cannot sign it in until someone confirms it.
    Unconfirmed,
    /// The pool already had the number (unconfirmed or disabled, since it was unknown a moment ago).
    Exists,
}

#[async_trait]
pub trait Upstream: Send + Sync + fmt::Debug {
    /// Asks the upstream to send a code. Never retried: a second call sends (and bills) a
    /// second message.
    async fn initiate(&self, phone: &str) -> Result<UpstreamChallenge, UpstreamError>;

    /// Answers the challenge with a code. Only a failure the upstream never saw is retried.
    async fn respond(
        &self,
        challenge: &UpstreamChallenge,
        code: &str,
    ) -> Result<AnswerOutcome, UpstreamError>;

    /// Registers `phone` upstream with a throwaway password (CUSTOM_AUTH never asks for it).
    async fn sign_up(&self, phone: &str, password: &Secret) -> Result<SignedUp, UpstreamError>;
}
