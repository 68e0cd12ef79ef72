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

fn d(status: StatusCode, code: &'static str, message: &'static str) -> Described {
    Described {
        status,
        code,
        message,
        extra: Vec::new(),
        retry_after: None,
    }
}

pub fn describe(e: &LoginError) -> Described {
    match e {
        LoginError::FlowExpired => d(
            StatusCode::GONE,
            "flow_expired",
            "This sign-in has expired or was already used. Go back to the site and start again.",
        ),
        LoginError::WrongBrowser => d(
            StatusCode::FORBIDDEN,
            "wrong_browser",
            "This sign-in was started in another browser. Go back to the site and start again here.",
        ),
        LoginError::CsrfMismatch => d(
            StatusCode::FORBIDDEN,
            "invalid_request",
            "This form was not sent from the sign-in page. Reload the page and try again.",
        ),
        LoginError::WrongStep => d(
            StatusCode::CONFLICT,
            "wrong_step",
            "That step is not possible now.",
        ),
        LoginError::InvalidPhone(PhoneError::Invalid) => d(
            StatusCode::BAD_REQUEST,
            "invalid_phone",
            "That does not look like a phone number. Include the country code, like +1 415 555 0100.",
        ),
        LoginError::InvalidPhone(PhoneError::CountryNotAllowed) => d(
            StatusCode::BAD_REQUEST,
            "phone_not_allowed",
            "Numbers from this country cannot sign in here.",
        ),
        LoginError::InvalidPhone(PhoneError::TypeNotAllowed) => d(
            StatusCode::BAD_REQUEST,
            "phone_not_allowed",
            "This kind of number cannot receive sign-in codes. Use a mobile number.",
        ),
        LoginError::MalformedCode => d(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Type the code exactly as it appears in the message: digits only.",
        ),
        LoginError::WrongNumber => d(
            StatusCode::BAD_REQUEST,
            "wrong_number",
            "Use the number you already confirmed in this sign-in.",
        ),
        LoginError::PhoneRequired => d(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "Enter your phone number with the code from your authenticator app.",
        ),
        LoginError::AuthenticatorsDisabled => d(
            StatusCode::NOT_FOUND,
            "not_enabled",
            "Signing in with an authenticator app is not offered here.",
        ),
        LoginError::AuthenticatorRequired => d(
            StatusCode::FORBIDDEN,
            "authenticator_required",
            "This site needs a code from an authenticator app as well, and you have not set one up.",
        ),
        LoginError::TooManyWrongCodes => Described {
            retry_after: Some(3600),
            ..d(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "Too many wrong authenticator codes for this number. Sign in with a WhatsApp code, or wait an hour.",
            )
        },
        LoginError::WrongCode { attempts_left } => Described {
            extra: vec![("attempts_left", json!(attempts_left))],
            ..d(
                StatusCode::BAD_REQUEST,
                "invalid_code",
                if *attempts_left == 0 {
                    "That code is not right, and that was the last try. Go back to the site and start again."
                } else {
                    "That code is not right. Check the message and try again."
                },
            )
        },
        LoginError::CodeExpired => d(
            StatusCode::BAD_REQUEST,
            "code_expired",
            "That code has expired. Ask for a new one.",
        ),
        LoginError::ResendTooSoon { retry_in } => Described {
            extra: vec![("retry_in", json!(retry_in.as_secs()))],
            retry_after: Some(retry_in.as_secs().max(1)),
            ..d(
                StatusCode::TOO_MANY_REQUESTS,
                "resend_too_soon",
                "Please wait a little before asking for another code.",
            )
        },
        LoginError::SendLimitReached => d(
            StatusCode::TOO_MANY_REQUESTS,
            "send_limit_reached",
            "Too many codes were sent. Wait a while before trying again.",
        ),
        LoginError::TooManyLogins => Described {
            retry_after: Some(60),
            ..d(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "Too many sign-ins were started from your network. Wait a minute and try again.",
            )
        },
        LoginError::NotDeliverable => d(
            StatusCode::BAD_REQUEST,
            "not_deliverable",
            "We cannot send a WhatsApp message to this number.",
        ),
        LoginError::UpstreamRateLimited => Described {
            retry_after: Some(30),
            ..d(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "The messaging service is busy. Try again in a moment.",
            )
        },
        LoginError::Unavailable(_) => d(
            StatusCode::SERVICE_UNAVAILABLE,
            "delivery_failed",
            "We could not reach the messaging service. Try again in a moment.",
        ),
        LoginError::Misconfigured(_) | LoginError::Storage(_) => d(
            StatusCode::SERVICE_UNAVAILABLE,
            "temporarily_unavailable",
            "Sign-in is unavailable right now. Try again in a moment.",
        ),
        LoginError::Conflict => d(
            StatusCode::CONFLICT,
            "conflict",
            "Another request changed this sign-in at the same moment. Reload and try again.",
        ),
    }
}
