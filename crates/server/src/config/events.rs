//! `[events]`: security events, and the webhook they are delivered to.

use super::Config;
use super::problems::{Problems, read_secret};
use std::time::Duration;
use wagate_core::events::EventWebhook;
use wagate_core::outbound_url;

/// What the events are configured to do.
#[derive(Debug, Clone, Default)]
pub struct EventSettings {
    /// `None`: events are logged only.
    pub webhook: Option<EventWebhook>,
    /// Numbers travel with events to the webhook (never to the log).
    pub include_phone: bool,
}

pub(super) fn resolve(config: &Config, p: &mut Problems) -> EventSettings {
    let e = &config.events;
    let secret = read_secret(
        p,
        "events.webhook_secret",
        &e.webhook_secret,
        &e.webhook_secret_file,
    );
    p.check(
        (1..=60).contains(&e.timeout_secs),
        "events.timeout_secs: between 1 and 60",
    );
    p.check(
        e.retry_min_secs >= 1 && e.retry_min_secs <= e.retry_max_secs,
        "events.retry_min_secs: at least 1 and at most retry_max_secs",
    );
    p.check(
        e.max_age_secs >= e.retry_max_secs,
        "events.max_age_secs: at least retry_max_secs",
    );
    p.check(
        (50..=60_000).contains(&e.poll_interval_ms),
        "events.poll_interval_ms: between 50 and 60000",
    );
    let webhook = match (&e.webhook_url, secret) {
        (None, None) => None,
        (None, Some(_)) => {
            p.add("events.webhook_secret: set without events.webhook_url");
            None
        }
        (Some(_), None) => {
            p.add("events.webhook_url: needs events.webhook_secret (events are signed)");
            None
        }
        (Some(url), Some(secret)) => {
            if let Err(why) = outbound_url(url) {
                p.add(format!("events.webhook_url: {url:?} {why}"));
            }
            if secret.expose().len() < 32 {
                p.add("events.webhook_secret: at least 32 characters");
            }
            Some(EventWebhook {
                url: url.clone(),
                secret,
                timeout: Duration::from_secs(e.timeout_secs),
                retry_min: Duration::from_secs(e.retry_min_secs),
                retry_max: Duration::from_secs(e.retry_max_secs),
                max_age: Duration::from_secs(e.max_age_secs),
                poll: Duration::from_millis(e.poll_interval_ms),
            })
        }
    };
    p.check(
        !e.include_phone || webhook.is_some(),
        "events.include_phone: needs events.webhook_url",
    );
    EventSettings {
        webhook,
        include_phone: e.include_phone,
    }
}
