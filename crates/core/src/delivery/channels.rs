//! The channel codes go by, and the one they go by when it does not reach the person.

use super::DeliveryChannel;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub struct Channels {
    pub primary: Arc<dyn DeliveryChannel>,
    pub fallback: Option<Fallback>,
}

pub struct Fallback {
    pub channel: Arc<dyn DeliveryChannel>,
    /// How long after a send without a delivery report the person may ask for the fallback.
    pub after: Duration,
}

impl Channels {
    pub fn single(primary: Arc<dyn DeliveryChannel>) -> Self {
        Channels {
            primary,
            fallback: None,
        }
    }
}

impl fmt::Debug for Channels {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channels")
            .field("primary", &self.primary.name())
            .field(
                "fallback",
                &self.fallback.as_ref().map(|b| b.channel.name()),
            )
            .finish()
    }
}

/// Why a code went by the fallback channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackReason {
    /// The first channel said at once that it cannot reach the number.
    Undeliverable,
    /// The first channel reported later that the message failed.
    Failed,
    /// No delivery report came in time and the person asked.
    Requested,
}

impl FallbackReason {
    pub fn as_str(self) -> &'static str {
        match self {
            FallbackReason::Undeliverable => "undeliverable",
            FallbackReason::Failed => "failed",
            FallbackReason::Requested => "requested",
        }
    }
}
