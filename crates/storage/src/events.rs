//! The queue of security events waiting for the event webhook. One queue per stream (a
//! person), delivered in order; any instance may deliver any queue, one at a time under a
//! lease, so a crashed instance's work is picked up when its lease ends.

use crate::{StoreResult, UnixTime};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// An event as queued: its id and the exact body to deliver.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedEvent {
    pub id: String,
    /// The JSON body, delivered byte for byte (it is what the signature covers).
    pub body: String,
    pub queued_at: UnixTime,
}

/// The head of a queue, leased to one deliverer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeasedEvent {
    pub stream: String,
    pub event: QueuedEvent,
    /// Failed deliveries of this event so far.
    pub attempts: u32,
}

/// How long a queue lives without new events (then what it holds is dropped).
pub const QUEUE_TTL: Duration = Duration::from_secs(7 * 86_400);

#[async_trait]
pub trait EventQueue: Send + Sync {
    /// Appends `event` to `stream`'s queue; an idle queue becomes due at `now`.
    async fn push_event(&self, stream: &str, event: &QueuedEvent, now: UnixTime)
    -> StoreResult<()>;
    /// The head of a queue due at `now`, leased until `until`: no other caller gets that
    /// queue before then unless the event is acknowledged or retried. `None`: nothing due.
    async fn lease_event(&self, now: UnixTime, until: UnixTime)
    -> StoreResult<Option<LeasedEvent>>;
    /// Removes the head of `stream` if it is event `id`; the next one is due at `now`.
    async fn ack_event(&self, stream: &str, id: &str, now: UnixTime) -> StoreResult<()>;
    /// Keeps the head of `stream` (if it is `id`), counts a failed attempt, due again at `at`.
    async fn retry_event(&self, stream: &str, id: &str, at: UnixTime) -> StoreResult<()>;
}
