//! Meta's status webhooks: the set-up check (`GET` with `hub.*`), the signature over each
//! `POST` (`X-Hub-Signature-256`), and the statuses inside. Handlers call these; the login
//! service records what they find.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use thiserror::Error;
use wagate_storage::{MessageStatus, Secret, UnixTime};

pub const SIGNATURE_HEADER: &str = "X-Hub-Signature-256";

/// Longest message id accepted (wamids are about 60 characters).
const MAX_ID: usize = 256;

/// Meta's set-up check: the challenge to echo when the mode is `subscribe` and the token is
/// ours (compared in constant time); `None` otherwise.
pub fn subscription<'a>(
    mode: Option<&str>,
    token: Option<&str>,
    challenge: Option<&'a str>,
    verify_token: &Secret,
) -> Option<&'a str> {
    let token_ok = token.is_some_and(|t| verify_token.ct_eq(t));
    (mode == Some("subscribe") && token_ok)
        .then_some(challenge)
        .flatten()
        .filter(|c| !c.is_empty() && c.len() <= 256)
}

/// Whether `header` is `sha256=<hex HMAC-SHA256(app secret, body)>`, checked in constant time.
pub fn signature_valid(app_secret: &Secret, header: Option<&str>, body: &[u8]) -> bool {
    let Some(hex_mac) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else {
        return false;
    };
    let Ok(claimed) = hex::decode(hex_mac) else {
        return false;
    };
    let Ok(mut mac) = <Hmac<Sha256> as Mac>::new_from_slice(app_secret.expose().as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&claimed).is_ok()
}

/// One status of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusReport {
    pub message_id: String,
    pub status: MessageStatus,
    pub at: UnixTime,
    /// For `failed`: Meta's first error code.
    pub error_code: Option<i64>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ReceiptError {
    #[error("not a WhatsApp webhook body: {0}")]
    Unreadable(String),
}

#[derive(Deserialize)]
struct Notification {
    #[serde(default)]
    entry: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    changes: Vec<Change>,
}

#[derive(Deserialize)]
struct Change {
    #[serde(default)]
    value: Value,
}

#[derive(Deserialize, Default)]
struct Value {
    /// Read one by one: a status of a shape not foreseen must not cost the others.
    #[serde(default)]
    statuses: Vec<serde_json::Value>,
}

/// One status, from whatever Meta sent: its id and state, when it happened (Meta writes the
/// time as a string; a number is taken too), and the first error's code.
fn status_of(raw: &serde_json::Value, received_at: UnixTime) -> Option<StatusReport> {
    let id = raw.get("id")?.as_str()?;
    if id.is_empty() || id.len() > MAX_ID || id.chars().any(char::is_control) {
        return None;
    }
    let status = MessageStatus::parse(raw.get("status")?.as_str()?)?;
    let at = match raw.get("timestamp") {
        Some(serde_json::Value::String(t)) => t.parse::<i64>().ok(),
        Some(serde_json::Value::Number(n)) => n.as_i64(),
        _ => None,
    };
    let error_code = raw
        .get("errors")
        .and_then(|e| e.get(0))
        .and_then(|e| e.get("code"))
        .and_then(serde_json::Value::as_i64);
    Some(StatusReport {
        message_id: id.to_owned(),
        status,
        at: at.map_or(received_at, UnixTime),
        error_code,
    })
}

/// The statuses of a webhook body, in order. Statuses wagate does not track (`deleted`,
/// `warning`, ...), and other kinds of change (incoming messages), are left out; a body that
/// is not Meta's shape at all is an error.
pub fn parse_statuses(
    body: &[u8],
    received_at: UnixTime,
) -> Result<Vec<StatusReport>, ReceiptError> {
    let note: Notification =
        serde_json::from_slice(body).map_err(|e| ReceiptError::Unreadable(e.to_string()))?;
    let reports = note
        .entry
        .iter()
        .flat_map(|e| &e.changes)
        .flat_map(|c| &c.value.statuses)
        .filter_map(|s| status_of(s, received_at))
        .collect();
    Ok(reports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_up_check_echoes_only_for_our_token() {
        let ours = Secret::new("verify-me");
        assert_eq!(
            subscription(
                Some("subscribe"),
                Some("verify-me"),
                Some("1158201444"),
                &ours
            ),
            Some("1158201444")
        );
        assert_eq!(
            subscription(Some("subscribe"), Some("other"), Some("1"), &ours),
            None
        );
        assert_eq!(
            subscription(Some("unsubscribe"), Some("verify-me"), Some("1"), &ours),
            None
        );
        assert_eq!(
            subscription(Some("subscribe"), None, Some("1"), &ours),
            None
        );
        assert_eq!(
            subscription(Some("subscribe"), Some("verify-me"), None, &ours),
            None
        );
    }

    #[test]
    fn signatures_are_checked_over_the_raw_body() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published vector.
        let secret = Secret::new("key");
        let body = b"The quick brown fox jumps over the lazy dog";
        let good = "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        assert!(signature_valid(&secret, Some(good), body));
        assert!(!signature_valid(
            &secret,
            Some(good),
            b"The quick brown fox"
        ));
        assert!(!signature_valid(&Secret::new("other"), Some(good), body));
        assert!(!signature_valid(&secret, None, body));
        assert!(!signature_valid(&secret, Some("sha256=zz"), body));
        assert!(!signature_valid(
            &secret,
            Some(&good.replace("sha256=", "sha1=")),
            body
        ));
    }

    #[test]
    fn statuses_are_read_in_order_and_others_left_out() {
        let body = br#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
            {"field":"messages","value":{"messaging_product":"whatsapp","statuses":[
              {"id":"wamid.A","status":"delivered","timestamp":"1700000005","recipient_id":"1"},
              {"id":"wamid.A","status":"failed","timestamp":"1700000009","recipient_id":"1",
               "errors":[{"code":131026,"title":"Message undeliverable"}]},
              {"id":"wamid.B","status":"deleted","timestamp":"1700000010"},
              {"status":"read"}, {"id":7,"status":"read"},
              {"id":"wamid.C","status":"read","timestamp":1700000011,"errors":[{"title":"x"}]}]}},
            {"field":"messages","value":{"messages":[{"from":"1","id":"wamid.C"}]}}]}]}"#;
        let reports = parse_statuses(body, UnixTime(1)).unwrap();
        assert_eq!(
            reports,
            vec![
                StatusReport {
                    message_id: "wamid.A".into(),
                    status: MessageStatus::Delivered,
                    at: UnixTime(1_700_000_005),
                    error_code: None,
                },
                StatusReport {
                    message_id: "wamid.A".into(),
                    status: MessageStatus::Failed,
                    at: UnixTime(1_700_000_009),
                    error_code: Some(131026),
                },
                StatusReport {
                    message_id: "wamid.C".into(),
                    status: MessageStatus::Read,
                    at: UnixTime(1_700_000_011),
                    error_code: None,
                },
            ]
        );
        assert!(parse_statuses(b"[1,2]", UnixTime(1)).is_err());
        assert!(parse_statuses(b"{}", UnixTime(1)).unwrap().is_empty());
    }
}
