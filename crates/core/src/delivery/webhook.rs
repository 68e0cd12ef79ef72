//! POSTs each code to an operator's gateway, signed with HMAC-SHA256 over a timestamp and
//! the body (DESIGN §3), so that the gateway can refuse a replayed request.

use super::{DeliveryChannel, DeliveryError, Dispatched, Medium, OtpMessage};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use wagate_storage::{Clock, Secret};

pub const SIGNATURE_HEADER: &str = "X-Wagate-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Wagate-Timestamp";

pub struct WebhookChannel {
    url: String,
    secret: Secret,
    timeout: Duration,
    medium: Medium,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
}

impl fmt::Debug for WebhookChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a gateway's API key in its query: show the origin and path only.
        let shown = self.url.split('?').next().unwrap_or_default();
        f.debug_struct("WebhookChannel")
            .field("url", &shown)
            .field("secret", &self.secret)
            .finish()
    }
}

impl WebhookChannel {
    /// `medium`: what the gateway behind the URL sends (people are told where to look).
    pub fn new(
        url: String,
        secret: Secret,
        timeout: Duration,
        medium: Medium,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, String> {
        let http = crate::outbound_client(timeout).map_err(|e| format!("webhook client: {e}"))?;
        Ok(WebhookChannel {
            url,
            secret,
            timeout,
            medium,
            clock,
            http,
        })
    }
}

/// `sha256=<hex HMAC-SHA256("<timestamp>.<body>")>`.
pub fn signature(secret: &Secret, timestamp: i64, body: &[u8]) -> String {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(secret.expose().as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm exists only to avoid a panic path.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

#[derive(serde::Serialize)]
struct Payload<'a> {
    id: &'a str,
    to: &'a str,
    code: &'a str,
    expires_in: u64,
    /// The person's language (BCP 47), for a gateway that words the message itself.
    locale: Option<&'a str>,
    message: &'a str,
}

#[async_trait]
impl DeliveryChannel for WebhookChannel {
    fn name(&self) -> &'static str {
        "webhook"
    }

    fn medium(&self) -> Medium {
        self.medium
    }

    async fn deliver(&self, message: &OtpMessage) -> Result<Dispatched, DeliveryError> {
        let body = serde_json::to_vec(&Payload {
            id: &message.id,
            to: &message.to,
            code: message.code.expose(),
            expires_in: message.expires_in.as_secs(),
            locale: message.locales.first().map(String::as_str),
            message: &message.text,
        })
        .map_err(|e| {
            DeliveryError::Unreachable(format!("the message could not be encoded: {e}"))
        })?;
        let now = self.clock.now().secs();
        let request = self
            .http
            .post(&self.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(TIMESTAMP_HEADER, now.to_string())
            .header(SIGNATURE_HEADER, signature(&self.secret, now, &body))
            .body(body);
        let response = wagate_telemetry::send("webhook", request)
            .await
            .map_err(|e| sort_failure(e, self.timeout))?;
        let status = response.status();
        if status.is_success() {
            Ok(Dispatched {
                message_id: message.id.clone(),
            })
        } else {
            Err(DeliveryError::Refused(status.as_u16()))
        }
    }
}

/// Keeps the cause: a gateway that is down (nothing sent) is not a slow one (maybe sent).
pub(crate) fn sort_failure(e: reqwest::Error, timeout: Duration) -> DeliveryError {
    if e.is_connect() {
        DeliveryError::Unreachable(cause(&e))
    } else if e.is_timeout() {
        DeliveryError::TimedOut(timeout)
    } else {
        DeliveryError::Interrupted(cause(&e))
    }
}

/// The innermost error's text (reqwest's own says only "error sending request"), without the
/// URL, which may carry a gateway's key in its query.
fn cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::OtpCode;

    fn channel(url: String) -> WebhookChannel {
        WebhookChannel::new(
            url,
            Secret::new("0123456789abcdef"),
            Duration::from_millis(300),
            Medium::Sms,
            Arc::new(wagate_storage::SystemClock),
        )
        .unwrap()
    }

    fn message() -> OtpMessage {
        OtpMessage::new(
            "m-1".into(),
            "+14155550100".into(),
            OtpCode::from_generated("123456".into()),
            Duration::from_secs(300),
            vec!["pt-BR".into()],
            &crate::i18n::Texts::default(),
        )
    }

    #[tokio::test]
    async fn a_down_gateway_and_a_slow_one_are_told_apart() {
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let down = format!("http://{}/otp", closed.local_addr().unwrap());
        drop(closed);
        let e = channel(down).deliver(&message()).await.unwrap_err();
        assert!(e.nothing_sent(), "{e}");
        assert!(e.to_string().contains("could not connect"), "{e}");

        // Takes the connection and the request, never answers.
        let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let slow = format!("http://{}/otp", silent.local_addr().unwrap());
        let (done, wait) = std::sync::mpsc::channel::<()>();
        std::thread::spawn(move || {
            let (mut socket, _) = silent.accept().unwrap();
            let mut buf = vec![0u8; 4096];
            let _ = std::io::Read::read(&mut socket, &mut buf);
            // Hold the connection open until the test is done with it.
            let _ = wait.recv();
        });
        let e = channel(slow).deliver(&message()).await.unwrap_err();
        drop(done);
        assert!(!e.nothing_sent(), "{e}");
        assert!(matches!(e, DeliveryError::TimedOut(_)), "{e:?}");
        assert_eq!(e.to_string(), "the gateway did not answer within 0.3 s");
    }

    #[test]
    fn signature_covers_the_timestamp_and_the_body() {
        let secret = Secret::new("key");
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(b"key").unwrap();
        mac.update(b"1700000000.{\"a\":1}");
        let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
        assert_eq!(signature(&secret, 1_700_000_000, br#"{"a":1}"#), expected);
        assert_ne!(signature(&secret, 1_700_000_001, br#"{"a":1}"#), expected);
        assert_ne!(signature(&secret, 1_700_000_000, br#"{"a":2}"#), expected);
    }
}
