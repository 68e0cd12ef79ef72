//! `[delivery]`: how the `local` backend sends a code.

use super::Delivery;
use super::file::{ChannelName, DeliveryConfig};
use super::problems::{Problems, read_secret, secs};
use wagate_core::outbound_url;

pub(super) fn resolve(d: &DeliveryConfig, p: &mut Problems) -> Option<Delivery> {
    match d.channel.resolve("delivery.channel", "log, webhook", p)? {
        ChannelName::Log => Some(Delivery::Log),
        ChannelName::Webhook => webhook(d, p),
    }
}

fn webhook(d: &DeliveryConfig, p: &mut Problems) -> Option<Delivery> {
    let url = match d.webhook_url.as_deref().map(outbound_url) {
        Some(Ok(u)) => Some(u.to_string()),
        Some(Err(why)) => {
            p.add(format!("delivery.webhook_url: {why}"));
            None
        }
        None => {
            p.add("delivery.webhook_url: required for the webhook channel");
            None
        }
    };
    let secret = read_secret(
        p,
        "delivery.webhook_secret",
        &d.webhook_secret,
        &d.webhook_secret_file,
    );
    match &secret {
        None => p.add(
            "delivery.webhook_secret: required for the webhook channel (or webhook_secret_file)",
        ),
        Some(s) if s.expose().chars().count() < 16 => {
            p.add("delivery.webhook_secret: must be at least 16 characters")
        }
        Some(_) => {}
    }
    p.check(
        (1..=60).contains(&d.webhook_timeout_secs),
        "delivery.webhook_timeout_secs: must be between 1 and 60",
    );
    match (url, secret) {
        (Some(url), Some(secret)) => Some(Delivery::Webhook {
            url,
            secret,
            timeout: secs(d.webhook_timeout_secs),
        }),
        _ => None,
    }
}
