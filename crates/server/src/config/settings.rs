//! Runtime settings: the configuration after validation, with secrets read and keys loaded.

use std::net::SocketAddr;
use std::time::Duration;
use wagate_core::{LoginPolicy, PhonePolicy};
use wagate_oidc::{Client, Lifetimes, SigningAlg, SigningKey};
use wagate_storage::Secret;

#[derive(Debug)]
pub enum StorageKind {
    Memory,
    Redis(wagate_storage::RedisConfig),
}

impl StorageKind {
    /// Whether instances share what it keeps.
    pub fn shared(&self) -> bool {
        match self {
            StorageKind::Memory => false,
            StorageKind::Redis(_) => true,
        }
    }
}

/// A channel codes go by.
#[derive(Debug)]
pub enum Delivery {
    Log,
    Webhook {
        url: String,
        secret: Secret,
        timeout: Duration,
        medium: wagate_core::delivery::Medium,
    },
    WhatsApp(Box<wagate_core::delivery::WhatsAppSettings>),
}

/// `[delivery]`: the channel, the fallback, and Meta's status webhook when WhatsApp is used.
#[derive(Debug)]
pub struct DeliverySettings {
    pub channel: Delivery,
    /// The other channel, and how long after a send without a report people may ask for it.
    pub fallback: Option<(Delivery, Duration)>,
    pub whatsapp_hook: Option<WhatsAppHook>,
}

/// What `/hooks/whatsapp` checks: Meta's signature and its set-up token.
#[derive(Debug)]
pub struct WhatsAppHook {
    pub app_secret: Secret,
    pub verify_token: Secret,
}

/// Who sends and checks the codes.
#[derive(Debug)]
pub enum OtpBackendKind {
    /// wagate draws the code and hands it to `delivery`.
    Local,
    Cripsa(Box<CripsaSettings>),
}

#[derive(Debug)]
pub struct CripsaSettings {
    pub mode: CripsaMode,
    /// Where the ID tokens come from (issuer and JWKS), in both modes.
    pub pool: wagate_cripsa::UserPool,
    pub client_id: String,
    /// Required in `cognito` mode; in `http` mode only for SECRET_HASH.
    pub client_secret: Option<Secret>,
    pub session_ttl: Duration,
    pub attempts: u32,
    pub sign_up_unknown_numbers: bool,
    pub timeout: Duration,
}

#[derive(Debug)]
pub enum CripsaMode {
    Cognito,
    Http(Box<CripsaHttpSettings>),
}

#[derive(Debug)]
pub struct CripsaHttpSettings {
    pub base_url: url::Url,
    pub shape: wagate_cripsa::HttpShape,
    pub auth: Option<wagate_cripsa::AuthHeader>,
}

#[derive(Debug)]
pub struct Settings {
    /// Without a trailing slash.
    pub issuer: String,
    /// The issuer's path ("" or "/auth"): every route lives under it.
    pub base_path: String,
    pub secure_cookies: bool,
    pub listen: SocketAddr,
    pub workers: usize,
    pub max_body_bytes: usize,
    /// The whole body of a request must arrive within this.
    pub body_timeout: Duration,
    /// HSTS max-age, sent only with an https issuer.
    pub hsts_max_age: Option<Duration>,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// True: RFC 7239 `Forwarded`; false: `X-Forwarded-For`/`-Proto`.
    pub rfc7239: bool,
    pub ops_listen: SocketAddr,
    pub storage: StorageKind,
    pub login: LoginPolicy,
    pub phones: PhonePolicy,
    pub code_length: u8,
    pub code_ttl: Duration,
    pub delivery: DeliverySettings,
    pub backend: OtpBackendKind,
    pub lifetimes: Lifetimes,
    /// Empty: keys come from shared storage (with `key_encryption_key`) or are generated at
    /// start.
    pub keys: Vec<SigningKey>,
    /// What access tokens (portals' and machine clients') are signed with.
    pub access_token_alg: SigningAlg,
    /// Seals keys kept in shared storage.
    pub key_encryption_key: Option<Secret>,
    pub clients: Vec<Client>,
    /// `None`: authenticator apps are switched off.
    pub totp: Option<super::TotpRuntime>,
    /// The people's languages: built in, the operator's, and the default.
    pub texts: wagate_core::i18n::Texts,
    pub branding: super::Branding,
    /// The rules against costly abuse of code sends.
    pub fraud: super::Fraud,
    /// What messages cost, for the metrics.
    pub prices: super::Prices,
    /// A person's own number change or account deletion needs a login at most this old.
    pub fresh_auth: Duration,
    /// Security events: logged always, delivered to a webhook when configured.
    pub events: super::EventSettings,
    pub demo: bool,
    pub log_format_json: bool,
    pub log_level: String,
    /// Traces to an OpenTelemetry collector.
    pub telemetry: super::Telemetry,
    /// Re-read the configuration file when it changes.
    pub watch_config: bool,
    /// True when no configuration file was given.
    pub embedded: bool,
    /// What works but should be changed (shown by check-config, logged at start).
    pub warnings: Vec<String>,
}

/// The client the built-in demo portal uses.
pub const DEMO_CLIENT_ID: &str = "demo";
