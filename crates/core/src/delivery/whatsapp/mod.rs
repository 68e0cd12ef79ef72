//! Meta's WhatsApp Business Cloud API: the code goes as an authentication template, and
//! Meta's status webhooks later say whether it arrived (`receipts`). Built to Meta's
//! documented shapes; what is assumed without a live account is listed in docs/whatsapp.md.

mod answer;
mod language;
pub mod receipts;

pub use answer::classify;
pub use language::template_language;
pub use receipts::{ReceiptError, StatusReport, parse_statuses, signature_valid, subscription};

use super::webhook::sort_failure;
use super::{DeliveryChannel, DeliveryError, Dispatched, Medium, OtpMessage};
use async_trait::async_trait;
use serde_json::json;
use std::fmt;
use std::time::Duration;
use wagate_storage::Secret;

/// What the channel needs to send (the webhook's secrets live with the server's hook).
#[derive(Debug)]
pub struct WhatsAppSettings {
    /// Without a trailing slash.
    pub api_base_url: String,
    pub api_version: String,
    pub phone_number_id: String,
    pub access_token: Secret,
    pub template: String,
    pub default_language: String,
    /// The person's language (BCP 47) → the template's language code.
    pub languages: Vec<(String, String)>,
    pub timeout: Duration,
}

pub struct WhatsAppChannel {
    settings: WhatsAppSettings,
    url: String,
    http: reqwest::Client,
}

impl fmt::Debug for WhatsAppChannel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WhatsAppChannel")
            .field("url", &self.url)
            .field("template", &self.settings.template)
            .field("access_token", &self.settings.access_token)
            .finish_non_exhaustive()
    }
}

impl WhatsAppChannel {
    pub fn new(settings: WhatsAppSettings) -> Result<Self, String> {
        let http = crate::outbound_client(settings.timeout)
            .map_err(|e| format!("whatsapp client: {e}"))?;
        let url = format!(
            "{}/{}/{}/messages",
            settings.api_base_url, settings.api_version, settings.phone_number_id
        );
        Ok(WhatsAppChannel {
            settings,
            url,
            http,
        })
    }

    /// The template message carrying `message`'s code: in the body, and as the parameter of
    /// the copy-code (one-tap) button, which Meta keeps as a url button.
    fn body(&self, message: &OtpMessage) -> serde_json::Value {
        let code = message.code.expose();
        let language = template_language(
            &message.locales,
            &self.settings.languages,
            &self.settings.default_language,
        );
        json!({
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.trim_start_matches('+'),
            "type": "template",
            "template": {
                "name": self.settings.template,
                "language": {"code": language},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": code}]},
                    {"type": "button", "sub_type": "url", "index": "0",
                     "parameters": [{"type": "text", "text": code}]}
                ]
            }
        })
    }
}

#[async_trait]
impl DeliveryChannel for WhatsAppChannel {
    fn name(&self) -> &'static str {
        "whatsapp"
    }

    fn medium(&self) -> Medium {
        Medium::WhatsApp
    }

    fn receipts(&self) -> bool {
        true
    }

    async fn deliver(&self, message: &OtpMessage) -> Result<Dispatched, DeliveryError> {
        let timeout = self.settings.timeout;
        let request = self
            .http
            .post(&self.url)
            .bearer_auth(self.settings.access_token.expose())
            .json(&self.body(message));
        let response = wagate_telemetry::send("whatsapp", request)
            .await
            .map_err(|e| sort_failure(e, timeout))?;
        let status = response.status().as_u16();
        // An answer that breaks off after its status line: Meta had the request.
        let body = response
            .bytes()
            .await
            .map_err(|e| DeliveryError::Interrupted(format!("reading the answer: {e}")))?;
        classify(status, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OtpCode;

    #[test]
    fn the_template_carries_the_code_twice_in_the_persons_language() {
        let channel = WhatsAppChannel::new(WhatsAppSettings {
            api_base_url: "https://graph.facebook.com".into(),
            api_version: "v23.0".into(),
            phone_number_id: "106540352242922".into(),
            access_token: Secret::new("token"),
            template: "wagate_code".into(),
            default_language: "en_US".into(),
            languages: vec![("pt-BR".into(), "pt_BR".into())],
            timeout: Duration::from_secs(5),
        })
        .unwrap();
        assert_eq!(
            channel.url,
            "https://graph.facebook.com/v23.0/106540352242922/messages"
        );
        let message = OtpMessage::new(
            "m".into(),
            "+5511912345678".into(),
            OtpCode::from_generated("123456".into()),
            Duration::from_secs(300),
            vec!["pt-BR".into()],
            &crate::i18n::Texts::default(),
        );
        let body = channel.body(&message);
        assert_eq!(body["to"], "5511912345678");
        assert_eq!(body["template"]["language"]["code"], "pt_BR");
        let components = &body["template"]["components"];
        assert_eq!(components[0]["parameters"][0]["text"], "123456");
        assert_eq!(components[1]["sub_type"], "url");
        assert_eq!(components[1]["index"], "0");
        assert_eq!(components[1]["parameters"][0]["text"], "123456");
        assert!(!format!("{channel:?}").contains("token\""));
    }
}
