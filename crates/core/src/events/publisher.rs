//! Writing security events down: a structured log line for every event (numbers masked), and,
//! when an event webhook is configured, the event queued in storage for it.

use super::schema::{EventType, SecurityEvent};
use crate::mask_e164;
use async_trait::async_trait;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use tokio::sync::Notify;
use wagate_oidc::{ProviderEvents, SessionEnd};
use wagate_storage::{Clock, QueuedEvent, SecretSource, Session, Store, random_token};

/// Counts events, for metrics.
pub trait EventObserver: Send + Sync {
    fn emitted(&self, kind: EventType);
    /// An event could not be queued for the webhook (storage failed); it is in the log only.
    fn lost(&self);
}

pub struct Events {
    source: String,
    /// Events are queued for the webhook; `false`: they are logged only.
    queued: bool,
    include_phone: bool,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    random: Arc<dyn SecretSource>,
    /// Wakes this instance's deliverer when an event is queued.
    wake: Arc<Notify>,
    observer: Option<Arc<dyn EventObserver>>,
}

impl Events {
    /// `source`: the issuer (CloudEvents `source`).
    pub fn new(
        source: &str,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        random: Arc<dyn SecretSource>,
    ) -> Self {
        Events {
            source: source.to_owned(),
            queued: false,
            include_phone: false,
            store,
            clock,
            random,
            wake: Arc::new(Notify::new()),
            observer: None,
        }
    }

    /// Queues events for the webhook; `include_phone`: numbers go with them.
    pub fn queued(mut self, include_phone: bool) -> Self {
        self.queued = true;
        self.include_phone = include_phone;
        self
    }

    pub fn with_observer(mut self, observer: Arc<dyn EventObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// What the deliverer waits on.
    pub fn wake(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Logs the event, and queues it for the webhook when there is one. Never fails the
    /// action it reports: a storage failure is logged and counted.
    pub async fn emit(&self, event: SecurityEvent) {
        let id = random_token(self.random.as_ref(), 16);
        let now = self.clock.now();
        let logged = event.envelope(&id, &self.source, now, false);
        tracing::info!(
            target: "wagate::security",
            event = event.kind.as_str(),
            id = %id,
            sub = event.subject.as_deref().unwrap_or("-"),
            phone = %event.phone.as_deref().map(mask_e164).unwrap_or_default(),
            data = %logged["data"],
            "security event"
        );
        if let Some(o) = &self.observer {
            o.emitted(event.kind);
        }
        if !self.queued {
            return;
        }
        let body = event
            .envelope(&id, &self.source, now, self.include_phone)
            .to_string();
        let queued = QueuedEvent {
            id: id.clone(),
            body,
            queued_at: now,
        };
        match self.store.push_event(&stream(&event), &queued, now).await {
            Ok(()) => self.wake.notify_one(),
            Err(e) => {
                tracing::error!(error = %e, id = %id, "a security event could not be queued for the webhook");
                if let Some(o) = &self.observer {
                    o.lost();
                }
            }
        }
    }
}

/// The queue an event waits in: one per person, so a person's events arrive in order. Events
/// about a number without a person yet go by a digest of the number.
fn stream(event: &SecurityEvent) -> String {
    match (&event.subject, &event.phone) {
        (Some(sub), _) => format!("sub:{sub}"),
        (None, Some(phone)) => {
            let digest = Sha256::digest(phone.as_bytes());
            format!("phone:{}", hex::encode(&digest[..12]))
        }
        (None, None) => "other".to_owned(),
    }
}

#[async_trait]
impl ProviderEvents for Events {
    async fn refresh_reused(&self, subject: &str, client_id: &str) {
        self.emit(
            SecurityEvent::new(EventType::RefreshReuseDetected)
                .subject(subject)
                .with("client_id", client_id),
        )
        .await;
    }

    async fn session_ended(&self, session: &Session, why: SessionEnd) {
        self.emit(
            SecurityEvent::new(EventType::SessionEnded)
                .subject(&session.subject)
                .with("session_id", session.sid.as_str())
                .with("reason", why.as_str())
                .with("clients", session.clients.clone()),
        )
        .await;
    }
}
