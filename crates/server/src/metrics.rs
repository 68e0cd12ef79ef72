//! Prometheus metrics, served on the ops listener.

use crate::config::Prices;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::Duration;
use wagate_core::delivery::{DeliveryObserver, FallbackReason};
use wagate_core::events::{Delivery, EventObserver, EventType};
use wagate_core::guard::{ChallengeReason, GuardObserver, Refusal};
use wagate_storage::MessageStatus;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HttpLabels {
    pub route: String,
    pub method: String,
    pub status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabel {
    pub route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub step: &'static str,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct GrantLabel {
    pub grant: &'static str,
    pub outcome: &'static str,
}

/// A send: the channel, how it ended, and the destination's ISO 3166 region (bounded).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct MessageLabels {
    pub channel: String,
    pub outcome: &'static str,
    pub region: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabels {
    pub channel: String,
    pub status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelLabel {
    pub channel: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    pub reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct HookLabel {
    pub outcome: &'static str,
}

pub struct Metrics {
    registry: Mutex<Registry>,
    /// Process metrics, unprefixed.
    process: Registry,
    pub http_requests: Family<HttpLabels, Counter>,
    pub http_duration: Family<RouteLabel, Histogram>,
    pub login_steps: Family<OutcomeLabels, Counter>,
    pub token_requests: Family<GrantLabel, Counter>,
    delivery_messages: Family<MessageLabels, Counter>,
    delivery_statuses: Family<StatusLabels, Counter>,
    delivery_seconds: Family<ChannelLabel, Histogram>,
    delivery_fallbacks: Family<ReasonLabel, Counter>,
    whatsapp_webhooks: Family<HookLabel, Counter>,
    fraud_refusals: Family<RuleLabel, Counter>,
    /// Estimated spend on messages, in `prices.currency`.
    delivery_cost: Family<ChannelRegion, Counter<f64, AtomicU64>>,
    prices: RwLock<Prices>,
    pub logins_opened: Counter,
    reloads: Family<OutcomeLabel, Counter>,
    last_reload: Gauge<f64, AtomicU64>,
    key_created: Family<AlgLabel, Gauge<f64, AtomicU64>>,
    codes_verified: Family<ChannelRegion, Counter>,
    fraud_challenges: Family<ReasonLabel, Counter>,
    test_number_sends: Counter,
    security_events: Family<TypeLabel, Counter>,
    event_deliveries: Family<HookLabel, Counter>,
}

/// A storage command: its name is one of the few wagate sends.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct CallLabels {
    pub command: String,
    pub outcome: &'static str,
}

/// A call to another service, named by wagate (never by its URL).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct UpstreamLabels {
    pub upstream: String,
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabel {
    pub outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct AlgLabel {
    pub alg: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct VersionLabel {
    pub version: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct TypeLabel {
    pub r#type: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChannelRegion {
    pub channel: String,
    pub region: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RuleLabel {
    pub rule: &'static str,
}

fn latency_histogram() -> Histogram {
    Histogram::new([
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
    ])
}

/// Send to phone: seconds to minutes.
fn delivery_histogram() -> Histogram {
    Histogram::new([1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0])
}

impl Metrics {
    /// `prices`: what a message costs, for the estimated spend.
    pub fn new(prices: Prices) -> Self {
        let mut registry = Registry::with_prefix("wagate");
        let http_requests = Family::<HttpLabels, Counter>::default();
        let http_duration = Family::<RouteLabel, Histogram>::new_with_constructor(
            latency_histogram as fn() -> Histogram,
        );
        let login_steps = Family::<OutcomeLabels, Counter>::default();
        let token_requests = Family::<GrantLabel, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered",
            http_requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests",
            http_duration.clone(),
        );
        registry.register(
            "login_steps",
            "Login steps (phone, code, resend) by outcome",
            login_steps.clone(),
        );
        registry.register(
            "token_requests",
            "Token endpoint requests by grant and outcome",
            token_requests.clone(),
        );
        let delivery_messages = Family::<MessageLabels, Counter>::default();
        let delivery_statuses = Family::<StatusLabels, Counter>::default();
        let delivery_seconds = Family::<ChannelLabel, Histogram>::new_with_constructor(
            delivery_histogram as fn() -> Histogram,
        );
        let delivery_fallbacks = Family::<ReasonLabel, Counter>::default();
        let whatsapp_webhooks = Family::<HookLabel, Counter>::default();
        registry.register(
            "delivery_messages",
            "Code messages by channel, outcome and destination region",
            delivery_messages.clone(),
        );
        registry.register(
            "delivery_statuses",
            "First delivery reports by channel and status",
            delivery_statuses.clone(),
        );
        registry.register(
            "delivery_seconds",
            "Time from sending a code to the first delivered or read report",
            delivery_seconds.clone(),
        );
        registry.register(
            "delivery_fallbacks",
            "Codes sent by the fallback channel, by reason",
            delivery_fallbacks.clone(),
        );
        registry.register(
            "whatsapp_webhooks",
            "WhatsApp status webhook requests by outcome",
            whatsapp_webhooks.clone(),
        );
        let delivery_cost = Family::<ChannelRegion, Counter<f64, AtomicU64>>::default();
        registry.register(
            "delivery_cost",
            format!(
                "Estimated cost of code messages sent (or perhaps sent), in {}, by channel and destination region",
                prices.currency
            ),
            delivery_cost.clone(),
        );
        let codes_verified = Family::<ChannelRegion, Counter>::default();
        registry.register(
            "codes_verified",
            "Codes typed back, by the channel that carried them and destination region (the funnel's step after delivery_messages)",
            codes_verified.clone(),
        );
        let fraud_refusals = Family::<RuleLabel, Counter>::default();
        let fraud_challenges = Family::<ReasonLabel, Counter>::default();
        let test_number_sends = Counter::default();
        registry.register(
            "fraud_refusals",
            "Sends refused by a rule against abuse (country_denied, country_cap, prefix_cap, backoff, challenge_missing, challenge_failed)",
            fraud_refusals.clone(),
        );
        registry.register(
            "fraud_challenges",
            "Sends that needed a proof of work, by the rule that asked (hourly_cap, daily_cap, low_conversion)",
            fraud_challenges.clone(),
        );
        registry.register(
            "test_number_sends",
            "Logins of test numbers (a fixed code, no message sent)",
            test_number_sends.clone(),
        );
        let security_events = Family::<TypeLabel, Counter>::default();
        let event_deliveries = Family::<HookLabel, Counter>::default();
        registry.register(
            "security_events",
            "Security events written, by type",
            security_events.clone(),
        );
        registry.register(
            "event_deliveries",
            "Attempts to deliver security events to the event webhook, by outcome (delivered, failed, given_up, not_queued)",
            event_deliveries.clone(),
        );
        let logins_opened = Counter::default();
        registry.register(
            "logins_opened",
            "Login screens opened by an authorization request (the code funnel's first step)",
            logins_opened.clone(),
        );
        let build_info = Family::<VersionLabel, Gauge>::default();
        build_info
            .get_or_create(&VersionLabel {
                version: env!("CARGO_PKG_VERSION"),
            })
            .set(1);
        registry.register("build_info", "The running version (always 1)", build_info);
        let reloads = Family::<OutcomeLabel, Counter>::default();
        registry.register(
            "config_reloads",
            "Configuration reloads by outcome (success, failure)",
            reloads.clone(),
        );
        let last_reload = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "config_last_reload_success_timestamp_seconds",
            "When the configuration in force was loaded (start or reload), Unix time",
            last_reload.clone(),
        );
        let key_created = Family::<AlgLabel, Gauge<f64, AtomicU64>>::default();
        registry.register(
            "signing_key_created_timestamp_seconds",
            "When the key each algorithm signs with was made (file keys: the file's modification time), Unix time",
            key_created.clone(),
        );
        crate::telemetry::timings().register(&mut registry);
        // Under their standard names, without the prefix.
        let mut process = Registry::default();
        #[cfg(target_os = "linux")]
        process.register_collector(Box::new(crate::process::ProcessCollector));
        Metrics {
            logins_opened,
            reloads,
            last_reload,
            key_created,
            security_events,
            event_deliveries,
            delivery_cost,
            prices: RwLock::new(prices),
            codes_verified,
            fraud_refusals,
            fraud_challenges,
            test_number_sends,
            registry: Mutex::new(registry),
            process,
            http_requests,
            http_duration,
            login_steps,
            token_requests,
            delivery_messages,
            delivery_statuses,
            delivery_seconds,
            delivery_fallbacks,
            whatsapp_webhooks,
        }
    }

    /// Prices of a reloaded configuration.
    pub fn set_prices(&self, prices: Prices) {
        *self.prices.write().unwrap_or_else(PoisonError::into_inner) = prices;
    }

    /// A reload ended; `at` is when, for a success.
    pub fn reloaded(&self, ok: bool, at: wagate_storage::UnixTime) {
        let outcome = if ok { "success" } else { "failure" };
        self.reloads.get_or_create(&OutcomeLabel { outcome }).inc();
        if ok {
            self.config_loaded(at);
        }
    }

    /// The configuration in force was loaded at `at`.
    pub fn config_loaded(&self, at: wagate_storage::UnixTime) {
        self.last_reload.set(at.secs() as f64);
    }

    /// The dates of the keys in force; an unknown date is taken as `now` (a key made at start).
    pub fn signing_keys(
        &self,
        dates: &[(&'static str, Option<u64>)],
        now: wagate_storage::UnixTime,
    ) {
        self.key_created.clear();
        for (alg, made) in dates {
            let secs = made.map_or(now.secs() as f64, |s| s as f64);
            self.key_created.get_or_create(&AlgLabel { alg }).set(secs);
        }
    }

    pub fn whatsapp_webhook(&self, outcome: &'static str) {
        self.whatsapp_webhooks
            .get_or_create(&HookLabel { outcome })
            .inc();
    }

    pub fn login_step(&self, step: &'static str, outcome: &'static str) {
        self.login_steps
            .get_or_create(&OutcomeLabels { step, outcome })
            .inc();
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        // The process registry first, without its end marker: one exposition, one `# EOF`.
        let mut out = String::new();
        if prometheus_client::encoding::text::encode_registry(&mut out, &self.process).is_err() {
            out.clear();
        }
        let registry = self.registry.lock().unwrap_or_else(|p| p.into_inner());
        if prometheus_client::encoding::text::encode(&mut out, &registry).is_err() {
            out.clear();
        }
        out
    }
}

impl EventObserver for Metrics {
    fn emitted(&self, kind: EventType) {
        self.security_events
            .get_or_create(&TypeLabel {
                r#type: kind.as_str(),
            })
            .inc();
    }

    fn lost(&self) {
        self.event_deliveries
            .get_or_create(&HookLabel {
                outcome: "not_queued",
            })
            .inc();
    }
}

impl wagate_core::events::DeliveryObserver for Metrics {
    fn attempted(&self, outcome: Delivery) {
        let outcome = match outcome {
            Delivery::Delivered => "delivered",
            Delivery::Failed => "failed",
            Delivery::GivenUp => "given_up",
        };
        self.event_deliveries
            .get_or_create(&HookLabel { outcome })
            .inc();
    }
}

impl GuardObserver for Metrics {
    fn refused(&self, rule: Refusal) {
        self.fraud_refusals
            .get_or_create(&RuleLabel {
                rule: rule.as_str(),
            })
            .inc();
    }

    fn challenge_required(&self, reason: ChallengeReason) {
        self.fraud_challenges
            .get_or_create(&ReasonLabel {
                reason: reason.as_str(),
            })
            .inc();
    }

    fn test_number(&self) {
        self.test_number_sends.inc();
    }
}

impl DeliveryObserver for Metrics {
    fn message(&self, channel: &str, outcome: &'static str, region: &str) {
        let labels = MessageLabels {
            channel: channel.to_owned(),
            outcome,
            region: region.to_owned(),
        };
        self.delivery_messages.get_or_create(&labels).inc();
        // A message that may have gone out is paid for.
        if matches!(outcome, "sent" | "uncertain") {
            let price = self
                .prices
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .of(channel, region);
            self.delivery_cost
                .get_or_create(&ChannelRegion {
                    channel: channel.to_owned(),
                    region: region.to_owned(),
                })
                .inc_by(price);
        }
    }

    fn verified(&self, channel: &str, region: &str) {
        self.codes_verified
            .get_or_create(&ChannelRegion {
                channel: channel.to_owned(),
                region: region.to_owned(),
            })
            .inc();
    }

    fn status(&self, channel: &str, status: MessageStatus) {
        let labels = StatusLabels {
            channel: channel.to_owned(),
            status: status.as_str(),
        };
        self.delivery_statuses.get_or_create(&labels).inc();
    }

    fn arrived(&self, channel: &str, after: Duration) {
        self.delivery_seconds
            .get_or_create(&ChannelLabel {
                channel: channel.to_owned(),
            })
            .observe(after.as_secs_f64());
    }

    fn fallback(&self, reason: FallbackReason) {
        self.delivery_fallbacks
            .get_or_create(&ReasonLabel {
                reason: reason.as_str(),
            })
            .inc();
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new(Prices::default())
    }
}
