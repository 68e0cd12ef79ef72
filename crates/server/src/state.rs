//! What every handler shares: the provider, the login service, storage and metrics.

use crate::metrics::Metrics;
use std::sync::Arc;
use wagate_core::{AccountService, Journey};
use wagate_oidc::Provider;
use wagate_storage::{Clock, SecretSource, Store};

/// The headers the trusted proxies write. Only those are read: a client can send the other
/// kind, and a proxy that does not know it passes it through untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyHeaders {
    /// `X-Forwarded-For` and `X-Forwarded-Proto`.
    XForwarded,
    /// RFC 7239 `Forwarded` (`for=`, `proto=`).
    Forwarded,
}

/// Web-facing settings the handlers need.
#[derive(Debug, Clone)]
pub struct Web {
    pub issuer: String,
    /// The issuer's path, prefix of every route ("" at the root).
    pub base: crate::http::Site,
    pub secure_cookies: bool,
    pub max_body_bytes: usize,
    /// The whole body of a request must arrive within this (else 408).
    pub body_timeout: std::time::Duration,
    /// `Strict-Transport-Security` value, with an https issuer.
    pub hsts: Option<String>,
    pub demo: bool,
    /// Peers whose X-Forwarded-For names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub proxy_headers: ProxyHeaders,
}

pub struct AppState {
    /// The signing keys kept in shared storage, when they are kept there.
    pub shared_keys: Option<Arc<wagate_oidc::shared_keys::SharedKeys>>,
    pub provider: Arc<Provider>,
    /// Every login goes through it.
    pub journey: Journey,
    /// The account page's authenticator enrollment; `None` when authenticators are off.
    pub account: Option<Arc<AccountService>>,
    /// People as operators and the people themselves manage them.
    pub people: Arc<wagate_core::people::People>,
    pub events: Arc<wagate_core::events::Events>,
    /// The event webhook's deliverer, until the server starts it.
    pub deliverer: std::sync::Mutex<Option<wagate_core::events::EventDeliverer>>,
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
    /// The people's languages.
    pub texts: Arc<wagate_core::i18n::Texts>,
    /// The countries of the phone form (those allowed), computed once.
    pub countries: Vec<wagate_core::CountryChoice>,
    /// Meta's status webhook, when WhatsApp is a channel.
    pub whatsapp_hook: Option<crate::config::WhatsAppHook>,
    pub random: Arc<dyn SecretSource>,
    pub clock: Arc<dyn Clock>,
    pub web: Web,
}
