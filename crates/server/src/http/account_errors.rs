//! What each account error means for an app (status, code) and for a person (the key of a
//! sentence in their language).

use actix_web::http::StatusCode;
use wagate_core::AccountError;

pub fn describe(e: &AccountError) -> (StatusCode, &'static str, &'static str) {
    match e {
        AccountError::UnknownPerson => (
            StatusCode::UNAUTHORIZED,
            "login_required",
            "account-error-sign-in-first",
        ),
        AccountError::StaleAuthentication => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "account-error-stale",
        ),
        AccountError::AuthenticatorLoginNeeded => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "account-error-authenticator-login",
        ),
        AccountError::AlreadyActive => (
            StatusCode::CONFLICT,
            "already_enrolled",
            "account-error-already-active",
        ),
        AccountError::NotActive => (
            StatusCode::NOT_FOUND,
            "not_enrolled",
            "account-error-not-active",
        ),
        AccountError::NoEnrollment => (
            StatusCode::CONFLICT,
            "no_enrollment",
            "account-error-no-enrollment",
        ),
        AccountError::MalformedCode => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "account-error-malformed-code",
        ),
        AccountError::WrongCode => (
            StatusCode::BAD_REQUEST,
            "invalid_code",
            "account-error-wrong-code",
        ),
        AccountError::Conflict => (StatusCode::CONFLICT, "conflict", "account-error-conflict"),
        AccountError::Storage(_) | AccountError::Misconfigured(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "account-error-unavailable",
        ),
    }
}
