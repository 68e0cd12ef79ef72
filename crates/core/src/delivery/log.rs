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
        tracing::warn!(
            target: "wagate::delivery::log",
            to = %message.to,
            code = %message.code.expose(),
            expires_in = message.expires_in.as_secs(),
            "one-time code (log delivery: development only, nothing was sent)"
        );
        Ok(())
    }
}
