//! One error enum per endpoint, each mapped to its RFC code by an exhaustive match.

use thiserror::Error;

/// Error codes that may be sent back to a client's redirect URI (RFC 6749 §4.1.2.1, OIDC Core
/// §3.1.2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorizeErrorCode {
    InvalidRequest,
    UnauthorizedClient,
    AccessDenied,
    UnsupportedResponseType,
    InvalidScope,
    ServerError,
    TemporarilyUnavailable,
    LoginRequired,
    InteractionRequired,
    RequestNotSupported,
    RequestUriNotSupported,
    RegistrationNotSupported,
    /// The essential authentication requirements cannot be met (the OpenID Foundation's
    /// "OpenID Connect Core Error Code unmet_authentication_requirements").
    UnmetAuthenticationRequirements,
}

impl AuthorizeErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AuthorizeErrorCode::InvalidRequest => "invalid_request",
            AuthorizeErrorCode::UnauthorizedClient => "unauthorized_client",
            AuthorizeErrorCode::AccessDenied => "access_denied",
            AuthorizeErrorCode::UnsupportedResponseType => "unsupported_response_type",
            AuthorizeErrorCode::InvalidScope => "invalid_scope",
            AuthorizeErrorCode::ServerError => "server_error",
            AuthorizeErrorCode::TemporarilyUnavailable => "temporarily_unavailable",
            AuthorizeErrorCode::LoginRequired => "login_required",
            AuthorizeErrorCode::InteractionRequired => "interaction_required",
            AuthorizeErrorCode::RequestNotSupported => "request_not_supported",
            AuthorizeErrorCode::RequestUriNotSupported => "request_uri_not_supported",
            AuthorizeErrorCode::RegistrationNotSupported => "registration_not_supported",
            AuthorizeErrorCode::UnmetAuthenticationRequirements => {
                "unmet_authentication_requirements"
            }
        }
    }
}

/// An authorization request so broken that redirecting would be unsafe (unknown client, or a
/// redirect URI not registered for it): the person sees a page instead (RFC 6749 §4.1.2.1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthorizePageError {
    #[error("the request does not name a client")]
    MissingClient,
    #[error("the application that sent you here is not registered")]
    UnknownClient,
    #[error("the request does not say where to return")]
    MissingRedirectUri,
    #[error("the return address is not registered for this application")]
    UnregisteredRedirectUri,
    #[error("the request repeats the parameter {0}")]
    RepeatedIdentity(&'static str),
}

/// An error reported to the client at its verified redirect URI. The description is a fixed
/// text of ours: request input never reaches it (RFC 6749 §4.1.2.1 limits its characters, and
/// portals show it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeRedirectError {
    pub redirect_uri: String,
    pub state: Option<String>,
    pub code: AuthorizeErrorCode,
    pub description: &'static str,
}

/// Whether `text` may be sent as an `error_description` (RFC 6749 §4.1.2.1, §5.2:
/// `%x20-21 / %x23-5B / %x5D-7E`).
pub fn is_valid_description(text: &str) -> bool {
    text.bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

/// Token endpoint errors (RFC 6749 §5.2).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TokenError {
    #[error("{0}")]
    InvalidRequest(&'static str),
    #[error("{0}")]
    InvalidClient(&'static str),
    #[error("{0}")]
    InvalidGrant(&'static str),
    #[error("{0}")]
    UnauthorizedClient(&'static str),
    #[error("{0}")]
    UnsupportedGrantType(&'static str),
    #[error("{0}")]
    InvalidScope(&'static str),
    /// Storage or signing failed; the client may retry.
    #[error("{0}")]
    TemporarilyUnavailable(&'static str),
}

impl TokenError {
    pub fn code(&self) -> &'static str {
        match self {
            TokenError::InvalidRequest(_) => "invalid_request",
            TokenError::InvalidClient(_) => "invalid_client",
            TokenError::InvalidGrant(_) => "invalid_grant",
            TokenError::UnauthorizedClient(_) => "unauthorized_client",
            TokenError::UnsupportedGrantType(_) => "unsupported_grant_type",
            TokenError::InvalidScope(_) => "invalid_scope",
            TokenError::TemporarilyUnavailable(_) => "temporarily_unavailable",
        }
    }

    pub fn description(&self) -> &'static str {
        match self {
            TokenError::InvalidRequest(d)
            | TokenError::InvalidClient(d)
            | TokenError::InvalidGrant(d)
            | TokenError::UnauthorizedClient(d)
            | TokenError::UnsupportedGrantType(d)
            | TokenError::InvalidScope(d)
            | TokenError::TemporarilyUnavailable(d) => d,
        }
    }

    /// HTTP status: 401 for client authentication failures, 503 for our own trouble.
    pub fn status(&self) -> u16 {
        match self {
            TokenError::InvalidClient(_) => 401,
            TokenError::TemporarilyUnavailable(_) => 503,
            TokenError::InvalidRequest(_)
            | TokenError::InvalidGrant(_)
            | TokenError::UnauthorizedClient(_)
            | TokenError::UnsupportedGrantType(_)
            | TokenError::InvalidScope(_) => 400,
        }
    }
}

/// Bearer-token errors at protected resources (RFC 6750 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BearerError {
    /// No token at all: 401 with a bare challenge, no error code (RFC 6750 §3.1).
    #[error("no access token")]
    Missing,
    #[error("{0}")]
    InvalidRequest(&'static str),
    #[error("{0}")]
    InvalidToken(&'static str),
    #[error("{0}")]
    InsufficientScope(&'static str),
    #[error("{0}")]
    TemporarilyUnavailable(&'static str),
}

impl BearerError {
    /// The RFC 6750 code, if the answer carries one.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            BearerError::Missing => None,
            BearerError::InvalidRequest(_) => Some("invalid_request"),
            BearerError::InvalidToken(_) => Some("invalid_token"),
            BearerError::InsufficientScope(_) => Some("insufficient_scope"),
            BearerError::TemporarilyUnavailable(_) => Some("temporarily_unavailable"),
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            BearerError::Missing | BearerError::InvalidToken(_) => 401,
            BearerError::InvalidRequest(_) => 400,
            BearerError::InsufficientScope(_) => 403,
            BearerError::TemporarilyUnavailable(_) => 503,
        }
    }
}

/// Issuing an authorization code after a login failed.
#[derive(Debug, Error)]
pub enum CodeIssueError {
    #[error("the client is no longer registered")]
    UnknownClient,
    #[error(transparent)]
    Storage(#[from] wagate_storage::StoreError),
}
