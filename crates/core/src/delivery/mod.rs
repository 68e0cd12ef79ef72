//! Delivery channels for the local backend: how a drawn code reaches the person.

mod log;
mod webhook;

pub use log::LogChannel;
pub use webhook::WebhookChannel;

use crate::OtpCode;
use async_trait::async_trait;
use std::fmt::Debug;
use std::time::Duration;
use thiserror::Error;

/// A code on its way to a phone. Its `Debug` leaves out the code and the text that holds it.
pub struct OtpMessage {
    /// E.164.
    pub to: String,
    pub code: OtpCode,
    pub expires_in: Duration,
    /// Human text, for gateways that send free text.
    pub text: String,
}

impl OtpMessage {
    pub fn new(to: String, code: OtpCode, expires_in: Duration) -> Self {
        let minutes = expires_in.as_secs().div_ceil(60).max(1);
        let text = format!(
            "{} is your verification code. It expires in {minutes} minute{}. Do not share it.",
            code.expose(),
            if minutes == 1 { "" } else { "s" }
        );
        OtpMessage {
            to,
            code,
            expires_in,
            text,
        }
    }
}

impl std::fmt::Debug for OtpMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpMessage")
            .field("to", &self.to)
            .field("code", &self.code)
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Error)]
pub enum DeliveryError {
    #[error("could not reach the gateway: {0}")]
    Unreachable(String),
    #[error("the gateway answered {0}")]
    Refused(u16),
}

#[async_trait]
pub trait DeliveryChannel: Send + Sync + Debug {
    fn name(&self) -> &'static str;
    async fn deliver(&self, message: &OtpMessage) -> Result<(), DeliveryError>;
}
