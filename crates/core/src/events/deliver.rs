//! Delivering queued security events to the event webhook: at least once, in order per
//! person, from any instance. Each queue's head is leased while it is tried; a failure waits
//! (doubling, within bounds) before the next try; an event older than the longest wait is
//! given up, logged at error level.

use crate::delivery::{SIGNATURE_HEADER, TIMESTAMP_HEADER, signature};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use wagate_storage::{Clock, LeasedEvent, Secret, Store, StoreError};

/// Where events go, and how hard to try.
#[derive(Debug, Clone)]
pub struct EventWebhook {
    pub url: String,
    pub secret: Secret,
    pub timeout: Duration,
    /// The first wait after a failure; each next failure doubles it.
    pub retry_min: Duration,
    pub retry_max: Duration,
    /// An event not delivered this long after it happened is given up.
    pub max_age: Duration,
    /// How often an idle deliverer looks for work queued by other instances.
    pub poll: Duration,
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    Failed,
    GivenUp,
}

/// Counts deliveries, for metrics.
pub trait DeliveryObserver: Send + Sync {
    fn attempted(&self, outcome: Delivery);
}

pub struct EventDeliverer {
    hook: EventWebhook,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    http: reqwest::Client,
    wake: Arc<Notify>,
    observer: Option<Arc<dyn DeliveryObserver>>,
}

/// The wait after the `attempts`-th failure.
pub fn backoff(hook: &EventWebhook, attempts: u32) -> Duration {
    let factor = 2u32.saturating_pow(attempts.saturating_sub(1).min(30));
    hook.retry_min.saturating_mul(factor).min(hook.retry_max)
}

impl EventDeliverer {
    pub fn new(
        hook: EventWebhook,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        wake: Arc<Notify>,
    ) -> Result<Self, String> {
        let http =
            crate::outbound_client(hook.timeout).map_err(|e| format!("event webhook: {e}"))?;
        Ok(EventDeliverer {
            hook,
            store,
            clock,
            http,
            wake,
            observer: None,
        })
    }

    pub fn with_observer(mut self, observer: Arc<dyn DeliveryObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Delivers until the process ends.
    pub async fn run(self) {
        loop {
            match self.deliver_next().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "event queue unavailable; trying again"),
            }
            // Idle: woken by an event queued here, or look again for other instances' events
            // and for retries coming due.
            let _ = tokio::time::timeout(self.hook.poll, self.wake.notified()).await;
        }
    }

    /// Tries the head of one due queue. False when nothing is due.
    pub async fn deliver_next(&self) -> Result<bool, StoreError> {
        let now = self.clock.now();
        let lease = now.plus(self.hook.timeout + Duration::from_secs(5));
        let Some(leased) = self.store.lease_event(now, lease).await? else {
            return Ok(false);
        };
        let outcome = if leased.event.queued_at.plus(self.hook.max_age) < now {
            tracing::error!(
                id = %leased.event.id,
                attempts = leased.attempts,
                "a security event was given up: the event webhook did not take it in time"
            );
            self.store
                .ack_event(&leased.stream, &leased.event.id, now)
                .await?;
            Delivery::GivenUp
        } else {
            self.attempt(&leased).await?
        };
        if let Some(o) = &self.observer {
            o.attempted(outcome);
        }
        Ok(true)
    }

    async fn attempt(&self, leased: &LeasedEvent) -> Result<Delivery, StoreError> {
        let sent_at = self.clock.now().secs();
        let body = leased.event.body.as_bytes();
        let request = self
            .http
            .post(&self.hook.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/cloudevents+json; charset=utf-8",
            )
            .header(TIMESTAMP_HEADER, sent_at.to_string())
            .header(
                SIGNATURE_HEADER,
                signature(&self.hook.secret, sent_at, body),
            )
            .body(body.to_vec());
        let answer = wagate_telemetry::send("events", request).await;
        let failure = match answer {
            Ok(r) if r.status().is_success() => None,
            Ok(r) => Some(format!("answered {}", r.status().as_u16())),
            Err(e) if e.is_timeout() => Some("timed out".to_owned()),
            Err(_) => Some("unreachable".to_owned()),
        };
        let now = self.clock.now();
        match failure {
            None => {
                self.store
                    .ack_event(&leased.stream, &leased.event.id, now)
                    .await?;
                Ok(Delivery::Delivered)
            }
            Some(why) => {
                let wait = backoff(&self.hook, leased.attempts + 1);
                tracing::warn!(
                    id = %leased.event.id,
                    attempt = leased.attempts + 1,
                    retry_in_secs = wait.as_secs(),
                    "the event webhook {why}"
                );
                self.store
                    .retry_event(&leased.stream, &leased.event.id, now.plus(wait))
                    .await?;
                Ok(Delivery::Failed)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_within_bounds() {
        let hook = EventWebhook {
            url: String::new(),
            secret: Secret::new("s"),
            timeout: Duration::from_secs(5),
            retry_min: Duration::from_secs(1),
            retry_max: Duration::from_secs(300),
            max_age: Duration::from_secs(86_400),
            poll: Duration::from_secs(1),
        };
        let waits: Vec<u64> = (1..=11).map(|a| backoff(&hook, a).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(backoff(&hook, u32::MAX).as_secs(), 300);
    }
}
