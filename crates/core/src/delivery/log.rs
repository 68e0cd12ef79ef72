//! Prints codes to the log. For development and the demo only.

use super::{DeliveryChannel, DeliveryError, Dispatched, Medium, OtpMessage};
use async_trait::async_trait;

#[derive(Debug, Default)]
pub struct LogChannel;

#[async_trait]
impl DeliveryChannel for LogChannel {
    fn name(&self) -> &'static str {
        "log"
    }

    fn medium(&self) -> Medium {
        Medium::WhatsApp
    }

    async fn deliver(&self, message: &OtpMessage) -> Result<Dispatched, DeliveryError> {
        // The code is in the message itself so that a person trying the demo can read it.
        tracing::warn!(
            target: "wagate::delivery::log",
            expires_in = message.expires_in.as_secs(),
            "one-time code for {}: {} (log delivery: development only, nothing was sent)",
            crate::mask_e164(&message.to),
            message.code.expose(),
        );
        Ok(Dispatched {
            message_id: message.id.clone(),
        })
    }
}
