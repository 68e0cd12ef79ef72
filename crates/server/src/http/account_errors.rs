//! What each account error means for an app (status, code) and for a person (a sentence).

use actix_web::http::StatusCode;
use wagate_core::AccountError;

pub fn describe(e: &AccountError) -> (StatusCode, &'static str, &'static str) {
    match e {
        AccountError::UnknownPerson => {
            (StatusCode::UNAUTHORIZED, "login_required", "Sign in first.")
        }
        AccountError::StaleAuthentication => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "For your safety, sign in again before changing your authenticator app.",
        ),
        AccountError::AuthenticatorLoginNeeded => (
            StatusCode::FORBIDDEN,
            "reauthentication_required",
            "To remove your authenticator app, sign in again with a code from it (or a recovery code).",
        ),
        AccountError::AlreadyActive => (
            StatusCode::CONFLICT,
            "already_enrolled",
            "An authenticator app is already active. Remove it first to use another.",
        ),
        AccountError::NotActive => (
            StatusCode::NOT_FOUND,
            "not_enrolled",
            "No authenticator app is active.",
        ),
        AccountError::NoEnrollment => (
            StatusCode::CONFLICT,
            "no_enrollment",
            "There is no authenticator set-up to confirm (it may have expired). Start again.",
        ),
        AccountError::MalformedCode => (
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Type the six digits your authenticator app shows.",
        ),
        AccountError::WrongCode => (
            StatusCode::BAD_REQUEST,
            "invalid_code",
            "That code is not right. Check the time on your phone and type the current code.",
        ),
        AccountError::Conflict => (
            StatusCode::CONFLICT,
            "conflict",
            "Another request changed your account at the same moment. Reload and try again.",
        ),
        AccountError::Storage(_) | AccountError::Misconfigured(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "Your account is unavailable right now. Try again in a moment.",
        ),
    }
}
