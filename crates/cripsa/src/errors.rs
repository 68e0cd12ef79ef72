//! Upstream failures, sorted into the few the login understands.
//!
//! Cognito reports most problems as `NotAuthorizedException` with a free-text message, so the
//! message decides between a setup problem, a dead session and an exhausted challenge. The raw
//! type and message are kept for the log only; they never reach the person or the portal.

use thiserror::Error;
use wagate_core::BackendError;

/// How long a person is asked to wait when the upstream throttles (it gives no time).
const UPSTREAM_BUSY: std::time::Duration = std::time::Duration::from_secs(30);

/// Which call failed: the same upstream error means different things at each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// `InitiateAuth` / `whatsapp-signin`: the upstream sends a code.
    Start,
    /// `RespondToAuthChallenge` / `whatsapp-responseToAuth`: the upstream checks a code.
    Answer,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum UpstreamError {
    /// The upstream does not know the number (or will not let it sign in). At the phone step
    /// the login answers exactly as for any other number, so this must never be shown.
    #[error("user unknown upstream: {0}")]
    UnknownUser(String),
    /// The code was wrong and the challenge continues (built-in MFA style).
    #[error("wrong code: {0}")]
    WrongCode(String),
    #[error("upstream session expired: {0}")]
    RestartRequired(String),
    #[error("upstream ended the challenge: {0}")]
    TooManyAttempts(String),
    #[error("upstream rate limit: {0}")]
    RateLimited(String),
    #[error("upstream could not deliver: {0}")]
    NotDeliverable(String),
    /// `unseen` marks failures the upstream never saw (a refused connection): nothing was
    /// sent, and the code step may be retried.
    #[error("upstream unavailable: {detail}")]
    Unavailable { detail: String, unseen: bool },
    #[error("upstream misconfigured: {0}")]
    Misconfigured(String),
    /// The upstream's ID token failed verification: nobody is signed in on its word.
    #[error("untrusted upstream ID token: {0}")]
    UntrustedToken(String),
}

/// Sorts a Cognito error (`__type` without namespace, and message) at a given step.
pub fn classify(step: Step, kind: &str, message: &str) -> UpstreamError {
    let detail = format!("{kind}: {message}");
    let lower = message.to_ascii_lowercase();
    match kind {
        "NotAuthorizedException" => not_authorized(step, &lower, detail),
        "UserNotFoundException"
        | "UserNotConfirmedException"
        | "PasswordResetRequiredException" => match step {
            Step::Start => UpstreamError::UnknownUser(detail),
            Step::Answer => UpstreamError::RestartRequired(detail),
        },
        "CodeMismatchException" => UpstreamError::WrongCode(detail),
        "ExpiredCodeException" => UpstreamError::RestartRequired(detail),
        "TooManyRequestsException" | "LimitExceededException" => UpstreamError::RateLimited(detail),
        "TooManyFailedAttemptsException" => UpstreamError::TooManyAttempts(detail),
        "InvalidParameterException"
        | "InvalidPasswordException"
        | "ResourceNotFoundException"
        | "InvalidUserPoolConfigurationException" => UpstreamError::Misconfigured(detail),
        // The pool's Lambda (the one that sends the WhatsApp message) failed; its message may
        // say the number cannot get WhatsApp messages at all.
        "UserLambdaValidationException"
        | "UnexpectedLambdaException"
        | "InvalidLambdaResponseException" => {
            if undeliverable(&lower) {
                UpstreamError::NotDeliverable(detail)
            } else {
                UpstreamError::Unavailable {
                    detail,
                    unseen: false,
                }
            }
        }
        // The upstream may have processed the call (and consumed the session): no retry.
        "InternalErrorException" => UpstreamError::Unavailable {
            detail,
            unseen: false,
        },
        // WAF blocks and anything unknown: report, do not guess.
        _ => UpstreamError::Unavailable {
            detail,
            unseen: false,
        },
    }
}

/// Phrases a sending Lambda uses when WhatsApp refuses the number, including the Cloud API's
/// error 131026 ("message undeliverable").
fn undeliverable(lower: &str) -> bool {
    [
        "undeliverable",
        "not deliverable",
        "not a whatsapp",
        "not on whatsapp",
        "131026",
    ]
    .iter()
    .any(|p| lower.contains(p))
}

fn not_authorized(step: Step, lower: &str, detail: String) -> UpstreamError {
    if lower.contains("secret hash")
        || lower.contains("secret was not received")
        || lower.contains("auth flow not enabled")
        || lower.contains("not enabled for this client")
    {
        return UpstreamError::Misconfigured(detail);
    }
    match step {
        // "Incorrect username or password", "User is disabled": with
        // PreventUserExistenceErrors=ENABLED an unknown number looks like this too.
        Step::Start => {
            if !(lower.contains("incorrect username") || lower.contains("disabled")) {
                // Not a message known to mean "unknown user": it still answers as one (no
                // enumeration), but an operator should see it.
                tracing::warn!(backend = "cripsa", %detail, "unexpected NotAuthorized at the phone step, answered as an unknown number");
            }
            UpstreamError::UnknownUser(detail)
        }
        Step::Answer if lower.contains("session") => UpstreamError::RestartRequired(detail),
        // The define-challenge Lambda set failAuthentication: this challenge is over.
        Step::Answer => UpstreamError::TooManyAttempts(detail),
    }
}

impl UpstreamError {
    /// Into the port's vocabulary. `UnknownUser` and `WrongCode` are not failures of the port
    /// (they become "code sent" and a rejected verdict), so the adapter handles them first.
    pub fn into_backend(self) -> BackendError {
        match self {
            UpstreamError::RestartRequired(_) | UpstreamError::UnknownUser(_) => {
                BackendError::RestartRequired
            }
            UpstreamError::TooManyAttempts(_) | UpstreamError::WrongCode(_) => {
                BackendError::TooManyAttempts
            }
            UpstreamError::RateLimited(_) => BackendError::RateLimited {
                retry_in: UPSTREAM_BUSY,
            },
            UpstreamError::NotDeliverable(d) => BackendError::NotDeliverable(d),
            UpstreamError::Unavailable {
                detail,
                unseen: true,
            } => BackendError::Unavailable(detail),
            // The upstream saw the call: if it was the phone step, the message may be out.
            UpstreamError::Unavailable {
                detail,
                unseen: false,
            } => BackendError::MaybeSent(detail),
            UpstreamError::Misconfigured(d) => BackendError::Misconfigured(d),
            UpstreamError::UntrustedToken(d) => {
                BackendError::Misconfigured(format!("untrusted upstream ID token: {d}"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(step: Step, kind: &str, message: &str) -> UpstreamError {
        classify(step, kind, message)
    }

    #[test]
    fn not_authorized_is_read_from_its_message() {
        use Step::*;
        let hash = "Unable to verify secret hash for client 1example23456789";
        assert!(matches!(
            at(Start, "NotAuthorizedException", hash),
            UpstreamError::Misconfigured(_)
        ));
        assert!(matches!(
            at(Answer, "NotAuthorizedException", hash),
            UpstreamError::Misconfigured(_)
        ));
        assert!(matches!(
            at(
                Answer,
                "NotAuthorizedException",
                "Client abc is configured for secret but secret was not received"
            ),
            UpstreamError::Misconfigured(_)
        ));
        assert!(matches!(
            at(
                Answer,
                "NotAuthorizedException",
                "Invalid session for the user, session is expired."
            ),
            UpstreamError::RestartRequired(_)
        ));
        assert!(matches!(
            at(
                Answer,
                "NotAuthorizedException",
                "Incorrect username or password."
            ),
            UpstreamError::TooManyAttempts(_)
        ));
        assert!(matches!(
            at(
                Start,
                "NotAuthorizedException",
                "Incorrect username or password."
            ),
            UpstreamError::UnknownUser(_)
        ));
    }

    #[test]
    fn every_documented_type_has_a_class() {
        use Step::*;
        type Check = fn(&UpstreamError) -> bool;
        let cases: &[(Step, &str, Check)] = &[
            (Start, "UserNotFoundException", |e| {
                matches!(e, UpstreamError::UnknownUser(_))
            }),
            (Answer, "UserNotFoundException", |e| {
                matches!(e, UpstreamError::RestartRequired(_))
            }),
            (Start, "UserNotConfirmedException", |e| {
                matches!(e, UpstreamError::UnknownUser(_))
            }),
            (Answer, "CodeMismatchException", |e| {
                matches!(e, UpstreamError::WrongCode(_))
            }),
            (Answer, "ExpiredCodeException", |e| {
                matches!(e, UpstreamError::RestartRequired(_))
            }),
            (Start, "TooManyRequestsException", |e| {
                matches!(e, UpstreamError::RateLimited(_))
            }),
            (Answer, "LimitExceededException", |e| {
                matches!(e, UpstreamError::RateLimited(_))
            }),
            (Start, "InvalidParameterException", |e| {
                matches!(e, UpstreamError::Misconfigured(_))
            }),
            (Start, "ResourceNotFoundException", |e| {
                matches!(e, UpstreamError::Misconfigured(_))
            }),
            (Start, "UserLambdaValidationException", |e| {
                matches!(e, UpstreamError::Unavailable { unseen: false, .. })
            }),
            (Start, "UnexpectedLambdaException", |e| {
                matches!(e, UpstreamError::Unavailable { unseen: false, .. })
            }),
            // The upstream may have acted on the call: never retried.
            (Start, "InternalErrorException", |e| {
                matches!(e, UpstreamError::Unavailable { unseen: false, .. })
            }),
            (Answer, "InternalErrorException", |e| {
                matches!(e, UpstreamError::Unavailable { unseen: false, .. })
            }),
            (Start, "SomethingNewException", |e| {
                matches!(e, UpstreamError::Unavailable { unseen: false, .. })
            }),
        ];
        for (step, kind, check) in cases {
            let got = at(*step, kind, "m");
            assert!(check(&got), "{step:?} {kind}: {got:?}");
        }
    }

    #[test]
    fn a_sender_refusing_the_number_is_not_deliverable() {
        for message in [
            "CreateAuthChallenge failed with error (#131026) Message undeliverable.",
            "PreSignUp failed: number is not on WhatsApp",
        ] {
            let got = at(Step::Start, "UserLambdaValidationException", message);
            assert!(matches!(got, UpstreamError::NotDeliverable(_)), "{got:?}");
        }
    }

    #[test]
    fn the_port_sees_only_its_own_vocabulary() {
        assert!(matches!(
            at(Step::Answer, "ExpiredCodeException", "x").into_backend(),
            BackendError::RestartRequired
        ));
        assert!(matches!(
            at(Step::Start, "TooManyRequestsException", "x").into_backend(),
            BackendError::RateLimited { .. }
        ));
        // Seen by the upstream: the message may be out, so the send still counts.
        assert!(matches!(
            at(Step::Start, "UserLambdaValidationException", "x").into_backend(),
            BackendError::MaybeSent(_)
        ));
        let refused = UpstreamError::Unavailable {
            detail: "connection failed".into(),
            unseen: true,
        };
        assert!(matches!(
            refused.into_backend(),
            BackendError::Unavailable(_)
        ));
        match at(
            Step::Start,
            "InvalidParameterException",
            "CUSTOM_AUTH flow not enabled",
        )
        .into_backend()
        {
            BackendError::Misconfigured(d) => assert!(d.contains("InvalidParameterException")),
            other => panic!("{other:?}"),
        }
    }
}
