//! What each login error means for an app (status, code) and for a person (a sentence).

use super::present::wait_secs;
use actix_web::http::StatusCode;
use serde_json::{Value, json};
use wagate_core::i18n::Lang;
use wagate_core::{LoginError, PhoneError};

pub struct Described {
    pub status: StatusCode,
    pub code: &'static str,
    /// In the person's language: the sentence for people, the one for apps
    /// (`error_description`, without what the JSON says in fields), and the title and advice
    /// of its page.
    pub message: String,
    pub description: String,
    pub title: String,
    pub advice: String,
    pub extra: Vec<(&'static str, Value)>,
    pub retry_after: Option<u64>,
}

/// `e` for an app and for a person who reads `lang`.
pub fn describe(e: &LoginError, lang: &Lang) -> Described {
    let (status, code) = status_and_code(e);
    let (extra, retry_after) = hints(e);
    // Storage may come back: the page says to reload; anything else ends here.
    let (title_key, advice_key) = match e {
        LoginError::Storage(_) => ("problem-unavailable", "problem-unavailable-advice"),
        _ => ("problem-stopped", "problem-stopped-advice"),
    };
    Described {
        status,
        code,
        message: match e {
            // People are told how many tries remain; apps read `attempts_left`.
            LoginError::WrongCode { attempts_left, .. } if *attempts_left > 0 => format!(
                "{} {}",
                lang.get(message_key(e)),
                lang.count("error-tries-left", "n", u64::from(*attempts_left))
            ),
            _ => lang.get(message_key(e)),
        },
        description: lang.get(message_key(e)),
        title: lang.get(title_key),
        advice: lang.get(advice_key),
        extra,
        retry_after,
    }
}

/// For apps: the HTTP status and the error code of the JSON answer.
pub fn status_and_code(e: &LoginError) -> (StatusCode, &'static str) {
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
        LoginError::ChallengeRequired(_) => (S::BAD_REQUEST, "challenge_required"),
        LoginError::ChallengeFailed(_) => (S::BAD_REQUEST, "invalid_challenge"),
        LoginError::TooManyLogins => (S::TOO_MANY_REQUESTS, "too_many_requests"),
        LoginError::AccountBlocked => (S::FORBIDDEN, "account_blocked"),
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

/// For people: what happened and what to do next (the key of the sentence in the person's
/// language).
fn message_key(e: &LoginError) -> &'static str {
    match e {
        LoginError::FlowExpired => "error-flow-expired",
        LoginError::WrongBrowser => "error-wrong-browser",
        LoginError::CsrfMismatch => "error-csrf",
        LoginError::WrongStep => "error-wrong-step",
        LoginError::InvalidPhone(PhoneError::Invalid) => "error-invalid-phone",
        LoginError::InvalidPhone(PhoneError::CountryNotAllowed) => "error-country-not-allowed",
        LoginError::InvalidPhone(PhoneError::TypeNotAllowed) => "error-type-not-allowed",
        LoginError::MalformedCode => "error-malformed-code",
        LoginError::WrongNumber => "error-wrong-number",
        LoginError::PhoneRequired => "error-phone-required",
        LoginError::AuthenticatorsDisabled => "error-authenticators-disabled",
        LoginError::AuthenticatorRequired => "error-authenticator-required",
        LoginError::TooManyWrongCodes => "error-too-many-wrong-codes",
        LoginError::WrongCode {
            attempts_left: 0, ..
        } => "error-wrong-code-last",
        LoginError::WrongCode {
            authenticator: true,
            ..
        } => "error-wrong-app-code",
        LoginError::WrongCode { .. } => "error-wrong-code",
        LoginError::CodeExpired => "error-code-expired",
        LoginError::ResendTooSoon { .. } => "error-resend-too-soon",
        LoginError::SendLimitReached => "error-send-limit",
        LoginError::ChallengeRequired(_) => "error-challenge-required",
        LoginError::ChallengeFailed(_) => "error-challenge-failed",
        LoginError::TooManyLogins => "error-too-many-logins",
        LoginError::AccountBlocked => "error-account-blocked",
        LoginError::NotDeliverable => "error-not-deliverable",
        LoginError::UpstreamRateLimited { .. } => "error-rate-limited",
        LoginError::FallbackUnavailable => "error-fallback-unavailable",
        LoginError::Unavailable(_) => "error-unavailable",
        LoginError::Misconfigured(_) | LoginError::Storage(_) => "error-temporarily-unavailable",
        LoginError::Conflict => "error-conflict",
    }
}

/// Fields an app can act on beside the code, and `Retry-After` seconds where waiting is the
/// answer.
fn hints(e: &LoginError) -> (Vec<(&'static str, Value)>, Option<u64>) {
    match e {
        LoginError::WrongCode { attempts_left, .. } => {
            (vec![("attempts_left", json!(attempts_left))], None)
        }
        LoginError::ResendTooSoon { retry_in } => (
            vec![("retry_in", json!(wait_secs(*retry_in)))],
            Some(wait_secs(*retry_in).max(1)),
        ),
        LoginError::TooManyWrongCodes => (Vec::new(), Some(3600)),
        LoginError::ChallengeRequired(challenge) | LoginError::ChallengeFailed(challenge) => {
            (vec![("challenge", json!(challenge))], None)
        }
        LoginError::TooManyLogins => (Vec::new(), Some(60)),
        LoginError::UpstreamRateLimited { retry_in } => (
            vec![("retry_in", json!(wait_secs(*retry_in)))],
            Some(wait_secs(*retry_in).max(1)),
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
        | LoginError::AccountBlocked
        | LoginError::FallbackUnavailable
        | LoginError::Unavailable(_)
        | LoginError::Misconfigured(_)
        | LoginError::Storage(_)
        | LoginError::Conflict => (Vec::new(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_wait_is_told_in_whole_seconds_rounded_up() {
        // A hold read back a few milliseconds after it was set.
        let e = LoginError::ResendTooSoon {
            retry_in: Duration::from_millis(119_980),
        };
        let (extra, retry_after) = hints(&e);
        assert_eq!(extra, vec![("retry_in", json!(120))]);
        assert_eq!(retry_after, Some(120));
        let exact = LoginError::UpstreamRateLimited {
            retry_in: Duration::from_secs(30),
        };
        assert_eq!(hints(&exact).1, Some(30));
    }
}
