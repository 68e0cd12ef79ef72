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

/// Why a message may not have arrived. Whether it may have left wagate decides whether the
/// send counts against the budgets: only a failure before anything was sent gives them back,
/// or a slow gateway would make every send free.
#[derive(Debug, Error)]
pub enum DeliveryError {
    /// No connection could be made (refused, no route, TLS failed): nothing left wagate.
    #[error("could not connect to the gateway: {0}")]
    Unreachable(String),
    /// The request went out and no answer came in time: the gateway may be sending it.
    #[error("the gateway did not answer within {} s", .0.as_secs_f32())]
    TimedOut(Duration),
    /// The connection failed after the request was (partly) sent.
    #[error("the connection to the gateway failed after sending: {0}")]
    Interrupted(String),
    /// The gateway answered with an error status; it had the message in hand.
    #[error("the gateway answered {0}")]
    Refused(u16),
}

impl DeliveryError {
    /// True only when it is certain nothing reached the gateway.
    pub fn nothing_sent(&self) -> bool {
        match self {
            DeliveryError::Unreachable(_) => true,
            DeliveryError::TimedOut(_)
            | DeliveryError::Interrupted(_)
            | DeliveryError::Refused(_) => false,
        }
    }
}

#[async_trait]
pub trait DeliveryChannel: Send + Sync + Debug {
    fn name(&self) -> &'static str;
    async fn deliver(&self, message: &OtpMessage) -> Result<(), DeliveryError>;
}
