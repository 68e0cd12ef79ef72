//! The Cripsa upstream: WhatsApp codes sent and checked by a Cognito user pool, either by
//! calling Cognito's `InitiateAuth`/`RespondToAuthChallenge` directly (`mode = "cognito"`) or
//! Cripsa's own HTTP operations (`mode = "http"`).
//!
//! Work in progress (issue 5): `cognito` mode is complete and selectable
//! (`[login] backend = "cripsa"`), with a fake upstream ([`fake`]); `http` mode does not exist
//! yet.

mod backend;
mod cognito;
mod errors;
pub mod fake;
mod id_token;
mod pool;
mod secret_hash;
mod wire;

#[cfg(test)]
mod test_http;

pub use backend::CognitoBackend;
pub use cognito::{AnswerOutcome, CognitoClient, UpstreamChallenge};
pub use errors::{Step, UpstreamError, classify};
pub use id_token::{IdTokenVerifier, VerifiedIdentity};
pub use pool::{PoolError, UserPool};
pub use secret_hash::secret_hash;
pub use wire::{
    AuthenticationResult, CONTENT_TYPE, ChallengeAnswer, ChallengeReply, CognitoErrorBody,
    InitiateAuth, Operation, RespondToAuthChallenge,
};
