//! Prints codes to the log. For development and the demo only.

use super::{DeliveryChannel, DeliveryError, OtpMessage};
use async_trait::async_trait;

#[derive(Debug, Default)]
pub struct LogChannel;

#[async_trait]
impl DeliveryChannel for LogChannel {
    fn name(&self) -> &'static str {
        "log"
    }

    async fn deliver(&self, message: &OtpMessage) -> Result<(), DeliveryError> {
        // The code is in the message itself so that a person trying the demo can read it.
        tracing::warn!(
            target: "wagate::delivery::log",
            expires_in = message.expires_in.as_secs(),
            "one-time code for {}: {} (log delivery: development only, nothing was sent)",
            message.to,
            message.code.expose(),
        );
        Ok(())
    }
}
