//! Meta's answers to a send, sorted by what they mean for the person and the budgets. Meta
//! errors are `{"error":{"message","type","code","error_data","error_subcode","fbtrace_id"}}`
//! and are told apart by `code`.

use super::super::{DeliveryError, Dispatched};
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Accepted {
    messages: Vec<MessageId>,
}

#[derive(Deserialize)]
struct MessageId {
    id: String,
}

#[derive(Deserialize)]
struct Failure {
    error: MetaError,
}

#[derive(Deserialize)]
struct MetaError {
    code: i64,
    #[serde(default)]
    message: String,
    #[serde(default)]
    error_subcode: Option<i64>,
}

/// The number cannot get WhatsApp messages from us: not a WhatsApp user (or an old app,
/// or terms not accepted), or a country the business may not message.
const UNDELIVERABLE: &[i64] = &[131026, 130497];

/// wagate's request or account is wrong; sending again will not help. (131030: a number
/// not on a test app's allowed list; 131042: the account's payment; 131045: the number's
/// registration.)
const SET_UP_WRONG: &[i64] = &[
    3, 10, 100, 190, 368, 131005, 131008, 131009, 131030, 131031, 131042, 131045, 132000, 132001,
    132005, 132007, 132012, 132015, 132016, 133010,
];

/// How long Meta's limits are assumed to last (Meta sends no Retry-After).
fn throttle(code: i64) -> Option<Duration> {
    match code {
        // Throughput of the business number; the pair limit is about one message in 6 s.
        130429 | 131056 => Some(Duration::from_secs(10)),
        // Spam rate limit (quality), application and account rate limits.
        131048 | 4 | 80007 => Some(Duration::from_secs(60)),
        _ => None,
    }
}

/// Sorts an answer with HTTP `status` and `body`.
pub fn classify(status: u16, body: &[u8]) -> Result<Dispatched, DeliveryError> {
    if (200..300).contains(&status) {
        return match serde_json::from_slice::<Accepted>(body) {
            Ok(a) => match a.messages.into_iter().next() {
                Some(m) if !m.id.is_empty() => Ok(Dispatched { message_id: m.id }),
                // Accepted, but nothing to find its reports by: it may still arrive.
                _ => Err(DeliveryError::Interrupted(
                    "an answer without a message id".into(),
                )),
            },
            Err(_) => Err(DeliveryError::Interrupted("an unreadable answer".into())),
        };
    }
    let Ok(Failure { error }) = serde_json::from_slice::<Failure>(body) else {
        // Not Meta's error shape (a proxy's page, a 5xx): Meta may have taken it.
        return Err(DeliveryError::Refused(status));
    };
    let detail = match error.error_subcode {
        Some(sub) => format!("WhatsApp error {} ({sub}): {}", error.code, error.message),
        None => format!("WhatsApp error {}: {}", error.code, error.message),
    };
    if UNDELIVERABLE.contains(&error.code) {
        Err(DeliveryError::Undeliverable(detail))
    } else if SET_UP_WRONG.contains(&error.code) || (200..300).contains(&error.code) {
        Err(DeliveryError::Misconfigured(detail))
    } else if let Some(retry_in) = throttle(error.code) {
        Err(DeliveryError::Throttled { retry_in, detail })
    } else {
        Err(DeliveryError::Answered { status, detail })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(status: u16, code: i64) -> DeliveryError {
        let body = format!(
            r#"{{"error":{{"message":"m","type":"OAuthException","code":{code},"fbtrace_id":"x"}}}}"#
        );
        classify(status, body.as_bytes()).unwrap_err()
    }

    #[test]
    fn accepted_messages_give_their_wamid() {
        let ok = classify(
            200,
            br#"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.ABC"}]}"#,
        )
        .unwrap();
        assert_eq!(ok.message_id, "wamid.ABC");
        let e = classify(200, br#"{"messages":[]}"#).unwrap_err();
        assert!(!e.nothing_sent());
    }

    #[test]
    fn each_error_class_is_told_apart() {
        for code in [131026, 130497] {
            assert!(
                matches!(error(400, code), DeliveryError::Undeliverable(_)),
                "{code}"
            );
        }
        for code in [132000, 132001, 190, 368, 131031, 100, 200] {
            assert!(
                matches!(error(400, code), DeliveryError::Misconfigured(_)),
                "{code}"
            );
        }
        for (code, secs) in [(130429, 10), (131056, 10), (131048, 60)] {
            match error(400, code) {
                DeliveryError::Throttled { retry_in, .. } => assert_eq!(retry_in.as_secs(), secs),
                other => panic!("{code}: {other:?}"),
            }
        }
        for e in [error(500, 131000), error(400, 131999)] {
            assert!(!e.nothing_sent(), "{e:?}");
            assert!(
                e.to_string().contains("WhatsApp error 131"),
                "Meta's code is kept: {e}"
            );
        }
        let e = classify(502, b"<html>bad gateway</html>").unwrap_err();
        assert!(matches!(e, DeliveryError::Refused(502)));
        assert!(error(400, 131026).nothing_sent());
    }
}
