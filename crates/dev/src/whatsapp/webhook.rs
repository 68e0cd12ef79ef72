//! What Meta posts to a business's webhook when a message's status changes, and how it signs
//! it: wagate's webhook handler is tried against the nesting and the signature it will meet.

use super::magic::title_of;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use wagate_storage::Secret;

/// The business account the fake's statuses come from (any digits would do).
pub const WABA_ID: &str = "102290129340398";
/// The business number shown in the statuses' metadata.
pub const DISPLAY_PHONE_NUMBER: &str = "15550000000";

/// `sha256=<lowercase hex HMAC-SHA256(app secret, body)>` as Meta sends in X-Hub-Signature-256.
pub fn hub_signature(app_secret: &Secret, body: &[u8]) -> String {
    // HMAC accepts keys of any length, so construction cannot fail; the fallback is unreachable.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(app_secret.expose().as_bytes()) else {
        return String::new();
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// One status of one message.
#[derive(Debug, Clone, Copy)]
pub struct Status<'a> {
    pub phone_number_id: &'a str,
    pub message_id: &'a str,
    pub recipient: &'a str,
    pub status: &'a str,
    /// For `failed`: the error it carries.
    pub error_code: Option<i64>,
    pub timestamp: i64,
}

/// The webhook body for `status`. A `failed` status carries `errors` and no pricing: Meta
/// bills only messages that went out.
pub fn status_body(status: Status<'_>) -> Value {
    let mut entry = json!({
        "id": status.message_id,
        "status": status.status,
        "timestamp": status.timestamp.to_string(),
        "recipient_id": status.recipient,
    });
    match status.error_code {
        Some(code) => entry["errors"] = json!([error(code)]),
        None if status.status != "failed" => {
            entry["pricing"] =
                json!({"billable": true, "pricing_model": "PMP", "category": "authentication"});
        }
        None => {}
    }
    json!({
        "object": "whatsapp_business_account",
        "entry": [{
            "id": WABA_ID,
            "changes": [{
                "field": "messages",
                "value": {
                    "messaging_product": "whatsapp",
                    "metadata": {
                        "display_phone_number": DISPLAY_PHONE_NUMBER,
                        "phone_number_id": status.phone_number_id,
                    },
                    "statuses": [entry],
                },
            }],
        }],
    })
}

fn error(code: i64) -> Value {
    let title = title_of(code);
    json!({
        "code": code,
        "title": title,
        "message": title,
        "error_data": {"details": format!("{title} (a status from the fake WhatsApp Cloud API)")},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hub_signature_matches_a_known_hmac_sha256() {
        let signature = hub_signature(
            &Secret::new("key"),
            b"The quick brown fox jumps over the lazy dog",
        );
        assert_eq!(
            signature,
            "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
        );
    }
}
