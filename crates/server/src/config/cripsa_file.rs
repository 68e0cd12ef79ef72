//! The `[cripsa]` section's shape, with `[cripsa.http]` for Cripsa's own operations. Defaults
//! come from the adapter crate, so the documented Cognito-shaped wire format is written once.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use wagate_cripsa::defaults as shape;
use wagate_storage::Secret;

use super::choice::Choice;

/// `login.backend = "cripsa"` only: the Cripsa project's values from its dashboard.
/// How wagate talks to the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CripsaModeName {
    Cognito,
    Http,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CripsaConfig {
    /// `cognito`: wagate calls the pool's InitiateAuth/RespondToAuthChallenge itself;
    /// `http`: Cripsa's whatsapp-signin/whatsapp-responseToauth, shaped by `[cripsa.http]`.
    pub mode: Choice<CripsaModeName>,
    pub user_pool_id: String,
    /// The pool's hosted domain; recorded for operators, not called by either mode.
    pub user_pool_domain: Option<String>,
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub client_secret_file: Option<PathBuf>,
    /// Default: `https://cognito-idp.{region}.amazonaws.com/`, region from the pool id.
    pub endpoint: Option<String>,
    /// Default: `{endpoint}/{user_pool_id}`; the ID token's `iss` must equal it.
    pub issuer: Option<String>,
    /// Default: `{issuer}/.well-known/jwks.json`.
    pub jwks_uri: Option<String>,
    /// The pool client's AuthSessionValidity: how long a sent code can be answered.
    pub session_ttl_secs: u64,
    /// Wrong codes the pool's challenge trigger allows before it ends the sign-in.
    pub attempts: u32,
    /// Register numbers the pool does not know (Cognito `SignUp`) and send them a code.
    pub sign_up_unknown_numbers: bool,
    pub timeout_ms: u64,
    pub http: CripsaHttpConfig,
}

impl Default for CripsaConfig {
    fn default() -> Self {
        CripsaConfig {
            mode: Choice::Known(CripsaModeName::Cognito),
            user_pool_id: String::new(),
            user_pool_domain: None,
            client_id: String::new(),
            client_secret: None,
            client_secret_file: None,
            endpoint: None,
            issuer: None,
            jwks_uri: None,
            session_ttl_secs: 180,
            attempts: 3,
            sign_up_unknown_numbers: false,
            timeout_ms: 5_000,
            http: CripsaHttpConfig::default(),
        }
    }
}

/// `mode = "http"` only: where Cripsa's operations are and how their bodies look.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CripsaHttpConfig {
    /// Cripsa's API base, e.g. `https://api.cripsa.example/prod/`; the paths are joined to it.
    pub base_url: String,
    pub signin_path: String,
    pub respond_path: String,
    /// A header carrying `auth_value` on every call (`Authorization`, `x-api-key`); empty: none.
    pub auth_header: String,
    pub auth_value: Option<Secret>,
    pub auth_value_file: Option<PathBuf>,
    /// `e164` (`+4915…`) or `digits` (`4915…`).
    pub phone_format: String,
    /// Whether requests carry a SECRET_HASH (at the `*_secret_hash` pointers).
    pub secret_hash: bool,
    pub request: CripsaRequestFields,
    pub answer: CripsaAnswerFields,
}

impl Default for CripsaHttpConfig {
    fn default() -> Self {
        CripsaHttpConfig {
            base_url: String::new(),
            signin_path: shape::SIGNIN_PATH.into(),
            respond_path: shape::RESPOND_PATH.into(),
            auth_header: String::new(),
            auth_value: None,
            auth_value_file: None,
            phone_format: shape::PHONE_FORMAT.into(),
            secret_hash: true,
            request: CripsaRequestFields::default(),
            answer: CripsaAnswerFields::default(),
        }
    }
}

/// JSON pointers into the request bodies; an empty pointer leaves the value out.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CripsaRequestFields {
    pub client_id: String,
    pub phone: String,
    pub signin_secret_hash: String,
    pub session: String,
    pub username: String,
    pub code: String,
    pub respond_secret_hash: String,
}

impl Default for CripsaRequestFields {
    fn default() -> Self {
        CripsaRequestFields {
            client_id: shape::REQUEST_CLIENT_ID.into(),
            phone: shape::REQUEST_PHONE.into(),
            signin_secret_hash: shape::REQUEST_SIGNIN_SECRET_HASH.into(),
            session: shape::REQUEST_SESSION.into(),
            username: shape::REQUEST_USERNAME.into(),
            code: shape::REQUEST_CODE.into(),
            respond_secret_hash: shape::REQUEST_RESPOND_SECRET_HASH.into(),
        }
    }
}

/// JSON pointers into the answers; an empty `username` or `error_message` is not read.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CripsaAnswerFields {
    pub session: String,
    pub username: String,
    pub id_token: String,
    pub error_type: String,
    pub error_message: String,
}

impl Default for CripsaAnswerFields {
    fn default() -> Self {
        CripsaAnswerFields {
            session: shape::ANSWER_SESSION.into(),
            username: shape::ANSWER_USERNAME.into(),
            id_token: shape::ANSWER_ID_TOKEN.into(),
            error_type: shape::ANSWER_ERROR_TYPE.into(),
            error_message: shape::ANSWER_ERROR_MESSAGE.into(),
        }
    }
}
