//! Delivery channels for the local backend: how a drawn code reaches the person, what the
//! channel says about it afterwards, and the other way to send it when the first fails.

mod channels;
mod log;
mod observe;
mod webhook;
pub mod whatsapp;

pub use channels::{Channels, Fallback, FallbackReason};
pub use log::LogChannel;
pub use observe::{DeliveryObserver, Unobserved};
pub use webhook::{SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel, signature};
pub use whatsapp::{WhatsAppChannel, WhatsAppSettings};

use crate::OtpCode;
use crate::i18n::Texts;
use async_trait::async_trait;
use fluent_templates::fluent_bundle::FluentValue;
use std::fmt::Debug;
use std::time::Duration;
use thiserror::Error;

/// A code on its way to a phone. Its `Debug` leaves out the code and the text that holds it.
pub struct OtpMessage {
    /// wagate's id of this message, unique, so that a gateway can drop a repeat.
    pub id: String,
    /// E.164.
    pub to: String,
    pub code: OtpCode,
    pub expires_in: Duration,
    /// The person's languages, most wanted first (BCP 47 tags).
    pub locales: Vec<String>,
    /// Human text in the person's language, for gateways that send free text.
    pub text: String,
}

impl OtpMessage {
    /// `texts`: where the message's words come from, in the first of `locales` wagate has.
    pub fn new(
        id: String,
        to: String,
        code: OtpCode,
        expires_in: Duration,
        locales: Vec<String>,
        texts: &Texts,
    ) -> Self {
        let minutes = expires_in.as_secs().div_ceil(60).max(1);
        let text = texts.negotiate(&[&locales]).args(
            "code-message",
            [
                ("code", FluentValue::from(code.expose().to_owned())),
                ("minutes", FluentValue::from(minutes)),
            ],
        );
        OtpMessage {
            id,
            to,
            code,
            expires_in,
            locales,
            text,
        }
    }
}

impl std::fmt::Debug for OtpMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpMessage")
            .field("id", &self.id)
            .field("to", &crate::mask_e164(&self.to))
            .field("code", &self.code)
            .field("expires_in", &self.expires_in)
            .field("locales", &self.locales)
            .finish_non_exhaustive()
    }
}

/// What the person looks at for the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Medium {
    WhatsApp,
    Sms,
}

impl Medium {
    pub fn as_str(self) -> &'static str {
        match self {
            Medium::WhatsApp => "whatsapp",
            Medium::Sms => "sms",
        }
    }
}

/// A message a channel took: its id there (a WhatsApp `wamid`, or wagate's own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatched {
    pub message_id: String,
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
    /// The channel answered with an error it did not explain further: it had the message in
    /// hand, so it may have gone out.
    #[error("the channel answered {status}: {detail}")]
    Answered { status: u16, detail: String },
    /// The channel cannot reach this number, now or later (not on WhatsApp, a country it
    /// does not serve). Nothing was sent.
    #[error("the number cannot be reached this way: {0}")]
    Undeliverable(String),
    /// The channel refused wagate's request as set up wrongly (a token, a template, an
    /// account): an operator must act. Nothing was sent.
    #[error("the channel refused wagate's set-up: {0}")]
    Misconfigured(String),
    /// The channel asks to slow down. Nothing was sent.
    #[error("the channel is throttling sends ({detail}); retry in {} s", .retry_in.as_secs())]
    Throttled { retry_in: Duration, detail: String },
}

impl DeliveryError {
    /// True only when it is certain nothing reached the person's phone.
    pub fn nothing_sent(&self) -> bool {
        match self {
            DeliveryError::Unreachable(_)
            | DeliveryError::Undeliverable(_)
            | DeliveryError::Misconfigured(_)
            | DeliveryError::Throttled { .. } => true,
            DeliveryError::TimedOut(_)
            | DeliveryError::Interrupted(_)
            | DeliveryError::Refused(_)
            | DeliveryError::Answered { .. } => false,
        }
    }

    /// The outcome as metrics count it (a bounded label).
    pub fn outcome(&self) -> &'static str {
        match self {
            DeliveryError::Unreachable(_) => "unreachable",
            DeliveryError::Undeliverable(_) => "undeliverable",
            DeliveryError::Misconfigured(_) => "misconfigured",
            DeliveryError::Throttled { .. } => "throttled",
            DeliveryError::TimedOut(_)
            | DeliveryError::Interrupted(_)
            | DeliveryError::Refused(_)
            | DeliveryError::Answered { .. } => "uncertain",
        }
    }
}

#[async_trait]
pub trait DeliveryChannel: Send + Sync + Debug {
    fn name(&self) -> &'static str;
    /// What the person is told to look at.
    fn medium(&self) -> Medium;
    /// Whether the channel reports delivery (status webhooks) for what it sends.
    fn receipts(&self) -> bool {
        false
    }
    async fn deliver(&self, message: &OtpMessage) -> Result<Dispatched, DeliveryError>;
}
