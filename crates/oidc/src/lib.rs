//! wagate-oidc: the OpenID provider.
//!
//! Discovery, signing keys and the JWKS, validation of authorization requests, the token
//! endpoint with client authentication and PKCE, ID and access tokens, and userinfo. Every
//! endpoint has its own RFC error enum. It knows nothing of phones or WhatsApp: the login hands
//! it an [`AuthenticatedSubject`].

pub mod acr;
mod again;
mod authorize;
mod backchannel;
mod claims;
mod clients;
mod discovery;
mod error;
mod events;
mod grants;
mod keys;
mod logout;
mod params;
mod people;
mod pkce;
mod provider;
mod refresh;
mod revocation;
mod service;
mod sessions;
pub mod shared_keys;
mod sso;
mod token;
mod userinfo;

pub use acr::MfaDemand;
pub use authorize::AuthorizeOutcome;
pub use claims::at_hash;
pub use claims::{
    AccessTokenClaims, IdTokenClaims, SCOPE_ADMIN_READ, SCOPE_ADMIN_WRITE, SCOPE_OFFLINE_ACCESS,
    SCOPE_OPENID, SCOPE_PHONE, SERVICE_SCOPES, ServiceTokenClaims,
};
pub use clients::{Client, ClientRegistry, ClientSecretError};
pub use discovery::ProviderMetadata;
pub use error::{
    AuthorizeErrorCode, AuthorizePageError, AuthorizeRedirectError, BearerError, CodeIssueError,
    TokenError,
};
pub use events::{NoEvents, ProviderEvents, SessionEnd};
pub use grants::{GrantType, UnknownGrantType};
pub use keys::{KeyError, KeySet, SigningAlg, SigningKey, generate_pem};
pub use logout::{LogoutError, LogoutStep};
pub use params::{ParamError, Params};
pub use provider::{AuthenticatedSubject, Lifetimes, Provider};
pub use service::ServiceCaller;
pub use sessions::{LoginCompleted, SessionOpened};
pub use sso::{AuthorizeStep, LiveSession, LoginNeeded};
pub use token::{ClientCredentials, TokenResponse};
