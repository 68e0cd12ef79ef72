//! The Cripsa upstream: WhatsApp codes sent and checked by a Cognito user pool, either by
//! calling Cognito's `InitiateAuth`/`RespondToAuthChallenge` directly (`mode = "cognito"`) or
//! Cripsa's own HTTP operations (`mode = "http"`).
//!
//! Both modes share the backend ([`CripsaBackend`]): session handling, the unknown-number rule
//! and ID token verification do not depend on the wire format. A fake upstream that speaks both
//! formats lives in `wagate-dev`, outside the production build.

mod backend;
mod cognito;
mod errors;
mod http_api;
mod http_shape;
mod id_token;
mod pool;
mod secret_hash;
mod transport;
mod upstream;
mod wire;

#[cfg(test)]
mod test_http;

pub use backend::{BackendOptions, CripsaBackend};
pub use cognito::CognitoClient;
pub use errors::{Step, UpstreamError, classify};
pub use http_api::{AuthHeader, AuthHeaderError, CripsaHttpClient};
pub use http_shape::{AnswerFields, Field, HttpShape, PhoneFormat, RequestFields, defaults};
pub use id_token::{IdTokenVerifier, VerifiedIdentity};
pub use pool::{PoolError, UserPool, safe_url};
pub use secret_hash::secret_hash;
pub use upstream::{AnswerOutcome, SignedUp, Upstream, UpstreamChallenge};
pub use wire::{
    AuthenticationResult, CONTENT_TYPE, ChallengeAnswer, ChallengeReply, CognitoErrorBody,
    InitiateAuth, Operation, RespondToAuthChallenge,
};
