//! What delivery reports to the operator's metrics. Core counts, the server keeps the
//! registry: labels are channel names, bounded outcomes and ISO 3166 regions only.

use super::FallbackReason;
use std::time::Duration;
use wagate_storage::MessageStatus;

pub trait DeliveryObserver: Send + Sync {
    /// A send by `channel` to a number in `region` ended in `outcome`.
    fn message(&self, _channel: &str, _outcome: &'static str, _region: &str) {}
    /// A first report of `status` for a message sent by `channel`.
    fn status(&self, _channel: &str, _status: MessageStatus) {}
    /// A message reached the phone `after` it was sent.
    fn arrived(&self, _channel: &str, _after: Duration) {}
    /// A code went by the fallback channel.
    fn fallback(&self, _reason: FallbackReason) {}
    /// A code that `channel` carried to a number in `region` was typed back: the last step of
    /// the funnel beside `message`.
    fn verified(&self, _channel: &str, _region: &str) {}
}

/// For tests and tools that keep no metrics.
#[derive(Debug, Default)]
pub struct Unobserved;

impl DeliveryObserver for Unobserved {}
