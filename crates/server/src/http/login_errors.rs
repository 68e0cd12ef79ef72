//! What each login error means for an app (status, code) and for a person (a sentence).

use actix_web::http::StatusCode;
use serde_json::{Value, json};
use wagate_core::{LoginError, PhoneError};

pub struct Described {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: &'static str,
    pub extra: Vec<(&'static str, Value)>,
    pub retry_after: Option<u64>,
}

pub fn describe(e: &LoginError) -> Described {
    let (status, code) = status_and_code(e);
    let (extra, retry_after) = hints(e);
    Described {
        status,
        code,
        message: message(e),
        extra,
        retry_after,
    }
}

/// For apps: the HTTP status and the error code of the JSON answer.
fn status_and_code(e: &LoginError) -> (StatusCode, &'static str) {
    use StatusCode as S;
    match e {
        LoginError::FlowExpired => (S::GONE, "flow_expired"),
        LoginError::WrongBrowser => (S::FORBIDDEN, "wrong_browser"),
        LoginError::CsrfMismatch => (S::FORBIDDEN, "invalid_request"),
        LoginError::WrongStep => (S::CONFLICT, "wrong_step"),
        LoginError::InvalidPhone(PhoneError::Invalid) => (S::BAD_REQUEST, "invalid_phone"),
        LoginError::InvalidPhone(PhoneError::CountryNotAllowed | PhoneError::TypeNotAllowed) => {
            (S::BAD_REQUEST, "phone_not_allowed")
        }
        LoginError::MalformedCode => (S::BAD_REQUEST, "invalid_request"),
        LoginError::WrongNumber => (S::BAD_REQUEST, "wrong_number"),
        LoginError::PhoneRequired => (S::BAD_REQUEST, "invalid_request"),
        LoginError::AuthenticatorsDisabled => (S::NOT_FOUND, "not_enabled"),
        LoginError::AuthenticatorRequired => (S::FORBIDDEN, "authenticator_required"),
        LoginError::TooManyWrongCodes => (S::TOO_MANY_REQUESTS, "too_many_attempts"),
        LoginError::WrongCode { .. } => (S::BAD_REQUEST, "invalid_code"),
        LoginError::CodeExpired => (S::BAD_REQUEST, "code_expired"),
        LoginError::ResendTooSoon { .. } => (S::TOO_MANY_REQUESTS, "resend_too_soon"),
        LoginError::SendLimitReached => (S::TOO_MANY_REQUESTS, "send_limit_reached"),
        LoginError::TooManyLogins => (S::TOO_MANY_REQUESTS, "too_many_requests"),
        LoginError::NotDeliverable => (S::BAD_REQUEST, "not_deliverable"),
        LoginError::UpstreamRateLimited { .. } => (S::TOO_MANY_REQUESTS, "rate_limited"),
        LoginError::FallbackUnavailable => (S::CONFLICT, "fallback_unavailable"),
        LoginError::Unavailable(_) => (S::SERVICE_UNAVAILABLE, "delivery_failed"),
        LoginError::Misconfigured(_) | LoginError::Storage(_) => {
            (S::SERVICE_UNAVAILABLE, "temporarily_unavailable")
        }
        LoginError::Conflict => (S::CONFLICT, "conflict"),
    }
}

/// For people: what happened and what to do next.
fn message(e: &LoginError) -> &'static str {
    match e {
        LoginError::FlowExpired => {
            "This sign-in has expired or was already used. Go back to the site and start again."
        }
        LoginError::WrongBrowser => {
            "This sign-in was started in another browser. Go back to the site and start again here."
        }
        LoginError::CsrfMismatch => {
            "This form was not sent from the sign-in page. Reload the page and try again."
        }
        LoginError::WrongStep => "That step is not possible now.",
        LoginError::InvalidPhone(PhoneError::Invalid) => {
            "That does not look like a phone number. Include the country code, like +1 415 555 0100."
        }
        LoginError::InvalidPhone(PhoneError::CountryNotAllowed) => {
            "Numbers from this country cannot sign in here."
        }
        LoginError::InvalidPhone(PhoneError::TypeNotAllowed) => {
            "This kind of number cannot receive sign-in codes. Use a mobile number."
        }
        LoginError::MalformedCode => {
            "Type the code exactly as it appears in the message: digits only."
        }
        LoginError::WrongNumber => "Use the number you already confirmed in this sign-in.",
        LoginError::PhoneRequired => {
            "Enter your phone number with the code from your authenticator app."
        }
        LoginError::AuthenticatorsDisabled => {
            "Signing in with an authenticator app is not offered here."
        }
        LoginError::AuthenticatorRequired => {
            "This site needs a code from an authenticator app as well, and you have not set one up."
        }
        LoginError::TooManyWrongCodes => {
            "Too many wrong authenticator codes for this number. Sign in with a WhatsApp code, or wait an hour."
        }
        LoginError::WrongCode { attempts_left: 0 } => {
            "That code is not right, and that was the last try. Go back to the site and start again."
        }
        LoginError::WrongCode { .. } => "That code is not right. Check the message and try again.",
        LoginError::CodeExpired => "That code has expired. Ask for a new one.",
        LoginError::ResendTooSoon { .. } => "Please wait a little before asking for another code.",
        LoginError::SendLimitReached => {
            "Too many codes were sent. Wait a while before trying again."
        }
        LoginError::TooManyLogins => {
            "Too many sign-ins were started from your network. Wait a minute and try again."
        }
        LoginError::NotDeliverable => "We cannot send a WhatsApp message to this number.",
        LoginError::UpstreamRateLimited { .. } => {
            "The messaging service is busy. Wait a moment, then ask for the code again."
        }
        LoginError::FallbackUnavailable => "This code cannot be sent another way.",
        LoginError::Unavailable(_) => {
            "We could not reach the messaging service. Try again in a moment."
        }
        LoginError::Misconfigured(_) | LoginError::Storage(_) => {
            "Sign-in is unavailable right now. Try again in a moment."
        }
        LoginError::Conflict => {
            "Another request changed this sign-in at the same moment. Reload and try again."
        }
    }
}

/// Fields an app can act on beside the code, and `Retry-After` seconds where waiting is the
/// answer.
fn hints(e: &LoginError) -> (Vec<(&'static str, Value)>, Option<u64>) {
    match e {
        LoginError::WrongCode { attempts_left } => {
            (vec![("attempts_left", json!(attempts_left))], None)
        }
        LoginError::ResendTooSoon { retry_in } => (
            vec![("retry_in", json!(retry_in.as_secs()))],
            Some(retry_in.as_secs().max(1)),
        ),
        LoginError::TooManyWrongCodes => (Vec::new(), Some(3600)),
        LoginError::TooManyLogins => (Vec::new(), Some(60)),
        LoginError::UpstreamRateLimited { retry_in } => (
            vec![("retry_in", json!(retry_in.as_secs()))],
            Some(retry_in.as_secs().max(1)),
        ),
        LoginError::FlowExpired
        | LoginError::WrongBrowser
        | LoginError::CsrfMismatch
        | LoginError::WrongStep
        | LoginError::InvalidPhone(_)
        | LoginError::MalformedCode
        | LoginError::WrongNumber
        | LoginError::PhoneRequired
        | LoginError::AuthenticatorsDisabled
        | LoginError::AuthenticatorRequired
        | LoginError::CodeExpired
        | LoginError::SendLimitReached
        | LoginError::NotDeliverable
        | LoginError::FallbackUnavailable
        | LoginError::Unavailable(_)
        | LoginError::Misconfigured(_)
        | LoginError::Storage(_)
        | LoginError::Conflict => (Vec::new(), None),
    }
}
