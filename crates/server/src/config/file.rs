//! The configuration file's shape: every key, with its default. docs/configuration.md mirrors it.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use wagate_storage::Secret;

pub use super::choice::Choice;

pub use super::cripsa_file::CripsaConfig;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub issuer: String,
    pub http: HttpConfig,
    pub ops: OpsConfig,
    pub storage: StorageConfig,
    pub login: LoginConfig,
    pub fraud: FraudConfig,
    pub costs: CostsConfig,
    pub events: EventsConfig,
    pub delivery: DeliveryConfig,
    pub cripsa: CripsaConfig,
    pub tokens: TokenConfig,
    pub sessions: SessionConfig,
    pub signing: SigningConfig,
    pub keys: Vec<KeyConfig>,
    pub clients: Vec<ClientConfig>,
    pub demo: DemoConfig,
    pub totp: TotpConfig,
    pub i18n: I18nConfig,
    pub branding: BrandingConfig,
    pub log: LogConfig,
    pub telemetry: TelemetryConfig,
    pub reload: ReloadConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            issuer: "http://127.0.0.1:8080".into(),
            http: HttpConfig::default(),
            ops: OpsConfig::default(),
            storage: StorageConfig::default(),
            login: LoginConfig::default(),
            fraud: FraudConfig::default(),
            costs: CostsConfig::default(),
            events: EventsConfig::default(),
            delivery: DeliveryConfig::default(),
            cripsa: CripsaConfig::default(),
            tokens: TokenConfig::default(),
            sessions: SessionConfig::default(),
            signing: SigningConfig::default(),
            keys: Vec::new(),
            clients: Vec::new(),
            demo: DemoConfig { enabled: false },
            totp: TotpConfig::default(),
            i18n: I18nConfig::default(),
            branding: BrandingConfig::default(),
            log: LogConfig::default(),
            telemetry: TelemetryConfig::default(),
            reload: ReloadConfig::default(),
        }
    }
}

impl Config {
    /// What `wagate serve` runs on without a file: everything default, and the demo on.
    pub fn embedded() -> Self {
        Config {
            demo: DemoConfig { enabled: true },
            ..Config::default()
        }
    }
}

/// Which forwarding header trusted proxies write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For` / `X-Forwarded-Proto`.
    #[serde(rename = "x-forwarded")]
    XForwarded,
    /// RFC 7239 `Forwarded`.
    #[serde(rename = "forwarded")]
    Forwarded,
}

/// Where shared state lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageBackend {
    Memory,
    Redis,
}

impl StorageBackend {
    /// Whether instances share what it keeps (and so must share keys and secrets too).
    pub fn shared(self) -> bool {
        match self {
            StorageBackend::Memory => false,
            StorageBackend::Redis => true,
        }
    }
}

/// Who sends and checks the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LoginBackend {
    /// wagate draws the code and hands it to `[delivery]`.
    Local,
    Cripsa,
}

/// How the `local` backend sends a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelName {
    Log,
    Webhook,
    #[serde(rename = "whatsapp")]
    WhatsApp,
}

/// What an operator's webhook gateway sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediumName {
    #[serde(rename = "whatsapp")]
    WhatsApp,
    Sms,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct HttpConfig {
    pub listen: String,
    /// 0 means one worker per CPU.
    pub workers: usize,
    pub max_body_bytes: usize,
    /// Peers (CIDRs) whose X-Forwarded-For is believed: the load balancer or TLS proxy.
    pub trusted_proxies: Vec<String>,
    /// Which header the trusted proxies set. Only that one is read; the other may come from
    /// the client.
    pub forwarded_header: Choice<ForwardedHeader>,
    /// A request body must arrive within this many seconds (408 after).
    pub body_timeout_secs: u64,
    /// `Strict-Transport-Security: max-age` with an https issuer; 0 sends none.
    pub hsts_max_age_secs: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            listen: "127.0.0.1:8080".into(),
            workers: 0,
            max_body_bytes: 16 * 1024,
            trusted_proxies: Vec::new(),
            forwarded_header: Choice::Known(ForwardedHeader::XForwarded),
            body_timeout_secs: 10,
            hsts_max_age_secs: 31_536_000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct OpsConfig {
    pub listen: String,
}

impl Default for OpsConfig {
    fn default() -> Self {
        OpsConfig {
            listen: "127.0.0.1:9090".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct StorageConfig {
    pub backend: Choice<StorageBackend>,
    /// Standalone Redis: `redis://host:port/db` or `rediss://` (TLS).
    pub url: Option<String>,
    /// Redis Cluster: seed node URLs (instead of `url`).
    pub cluster_nodes: Vec<String>,
    /// Redis Sentinel: sentinel URLs (instead of `url`), watching `sentinel_master`.
    pub sentinel_nodes: Vec<String>,
    pub sentinel_master: Option<String>,
    pub key_prefix: String,
    /// Bound on every Redis call, connecting included.
    pub timeout_ms: u64,
    /// CA certificate (PEM) of a `rediss://` server with a private CA.
    pub tls_ca_file: Option<PathBuf>,
}

impl Default for StorageConfig {
    fn default() -> Self {
        StorageConfig {
            backend: Choice::Known(StorageBackend::Memory),
            url: None,
            cluster_nodes: Vec::new(),
            sentinel_nodes: Vec::new(),
            sentinel_master: None,
            key_prefix: "wagate:".into(),
            timeout_ms: 1000,
            tls_ca_file: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LoginConfig {
    pub backend: Choice<LoginBackend>,
    pub code_length: u8,
    pub code_ttl_secs: u64,
    pub max_attempts: u32,
    pub resend_cooldown_secs: u64,
    pub flow_ttl_secs: u64,
    pub max_sends_per_flow: u32,
    pub sends_per_number_per_hour: u64,
    pub sends_per_ip_per_hour: u64,
    pub flows_per_ip_per_minute: u64,
    pub default_region: Option<String>,
    pub allowed_countries: Vec<String>,
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            backend: Choice::Known(LoginBackend::Local),
            code_length: 6,
            code_ttl_secs: 300,
            max_attempts: 5,
            resend_cooldown_secs: 30,
            flow_ttl_secs: 900,
            max_sends_per_flow: 5,
            sends_per_number_per_hour: 5,
            sends_per_ip_per_hour: 30,
            flows_per_ip_per_minute: 60,
            default_region: None,
            allowed_countries: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct DeliveryConfig {
    pub channel: Choice<ChannelName>,
    /// Another configured channel, for codes the first does not deliver.
    pub fallback: Option<Choice<ChannelName>>,
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<Secret>,
    pub webhook_secret_file: Option<PathBuf>,
    pub webhook_timeout_secs: u64,
    pub webhook_medium: Choice<MediumName>,
    pub whatsapp: WhatsAppConfig,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            channel: Choice::Known(ChannelName::Log),
            fallback: None,
            webhook_url: None,
            webhook_secret: None,
            webhook_secret_file: None,
            webhook_timeout_secs: 5,
            webhook_medium: Choice::Known(MediumName::WhatsApp),
            whatsapp: WhatsAppConfig::default(),
        }
    }
}

/// `[delivery.whatsapp]`: Meta's WhatsApp Business Cloud API.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct WhatsAppConfig {
    pub phone_number_id: Option<String>,
    pub access_token: Option<Secret>,
    pub access_token_file: Option<PathBuf>,
    pub app_secret: Option<Secret>,
    pub app_secret_file: Option<PathBuf>,
    pub verify_token: Option<Secret>,
    pub verify_token_file: Option<PathBuf>,
    pub template: String,
    pub default_language: String,
    /// The person's language (BCP 47) → the template's language code.
    pub languages: std::collections::BTreeMap<String, String>,
    pub api_base_url: String,
    pub api_version: String,
    pub fallback_after_secs: u64,
    pub timeout_secs: u64,
}

impl Default for WhatsAppConfig {
    fn default() -> Self {
        WhatsAppConfig {
            phone_number_id: None,
            access_token: None,
            access_token_file: None,
            app_secret: None,
            app_secret_file: None,
            verify_token: None,
            verify_token_file: None,
            template: "wagate_code".into(),
            default_language: "en_US".into(),
            languages: Default::default(),
            api_base_url: "https://graph.facebook.com".into(),
            api_version: "v23.0".into(),
            fallback_after_secs: 20,
            timeout_secs: 5,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenConfig {
    pub authorization_code_ttl_secs: u64,
    pub access_token_ttl_secs: u64,
    pub id_token_ttl_secs: u64,
    pub refresh_token_idle_ttl_secs: u64,
    pub refresh_token_absolute_ttl_secs: u64,
    /// Access tokens of machine clients (`client_credentials`).
    pub service_token_ttl_secs: u64,
    /// How access tokens are signed: `RS256`, `ES256` or `EdDSA`.
    pub access_token_signing_alg: String,
}

impl Default for TokenConfig {
    fn default() -> Self {
        TokenConfig {
            authorization_code_ttl_secs: 60,
            access_token_ttl_secs: 3600,
            id_token_ttl_secs: 3600,
            refresh_token_idle_ttl_secs: 14 * 86_400,
            refresh_token_absolute_ttl_secs: 90 * 86_400,
            service_token_ttl_secs: 300,
            access_token_signing_alg: "RS256".into(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionConfig {
    /// A session unused this long ends.
    pub idle_ttl_secs: u64,
    /// No session outlives this, counted from the login.
    pub absolute_ttl_secs: u64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            idle_ttl_secs: 86_400,
            absolute_ttl_secs: 14 * 86_400,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]

pub struct KeyConfig {
    pub alg: String,
    pub private_key_file: PathBuf,
    pub kid: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ClientConfig {
    pub client_id: String,
    pub client_secret: Option<Secret>,
    pub client_secret_file: Option<PathBuf>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub name: Option<String>,
    pub id_token_signed_response_alg: Option<String>,
    /// authorization_code always; refresh_token unless left out.
    pub grant_types: Option<Vec<String>>,
    pub backchannel_logout_uri: Option<String>,
    /// Every login needs the WhatsApp code and the authenticator app.
    pub require_mfa: bool,
    /// Web origins allowed to call token, userinfo and revocation from a browser, besides
    /// those of the redirect URIs.
    pub allowed_origins: Vec<String>,
    /// The portal's logo on the login pages, served by wagate (as `[branding] logo_file`).
    pub logo_file: Option<PathBuf>,
    /// What a machine client (`grant_types = ["client_credentials"]`) may ask for.
    pub scopes: Vec<String>,
}

/// `[events]`: security events and the webhook they go to (docs/events.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct EventsConfig {
    pub webhook_url: Option<String>,
    pub webhook_secret: Option<Secret>,
    pub webhook_secret_file: Option<PathBuf>,
    /// Numbers go with events to the webhook (never to the log).
    pub include_phone: bool,
    pub timeout_secs: u64,
    pub retry_min_secs: u64,
    pub retry_max_secs: u64,
    /// An event not delivered this long after it happened is given up (logged).
    pub max_age_secs: u64,
    /// How often an idle instance looks for events queued by others and for retries due.
    pub poll_interval_ms: u64,
}

impl Default for EventsConfig {
    fn default() -> Self {
        EventsConfig {
            webhook_url: None,
            webhook_secret: None,
            webhook_secret_file: None,
            include_phone: false,
            timeout_secs: 5,
            retry_min_secs: 1,
            retry_max_secs: 300,
            max_age_secs: 86_400,
            poll_interval_ms: 1_000,
        }
    }
}

/// Authenticator apps (RFC 6238 TOTP).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TotpConfig {
    pub enabled: bool,
    /// The name apps show next to the code.
    pub issuer: String,
    /// Seals authenticator secrets at rest (required unless the demo runs on memory).
    pub encryption_key: Option<Secret>,
    pub encryption_key_file: Option<PathBuf>,
    pub enrollment_ttl_secs: u64,
    /// Adding or removing an authenticator needs a login at most this old.
    pub fresh_auth_secs: u64,
    /// Wrong authenticator codes per number per hour before the number is refused.
    pub failures_per_number_per_hour: u64,
}

impl Default for TotpConfig {
    fn default() -> Self {
        TotpConfig {
            enabled: true,
            issuer: "wagate".into(),
            encryption_key: None,
            encryption_key_file: None,
            enrollment_ttl_secs: 600,
            fresh_auth_secs: 600,
            failures_per_number_per_hour: 10,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct DemoConfig {
    pub enabled: bool,
}

/// `[fraud]`: the rules that keep message costs from being abused (docs/configuration.md).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct FraudConfig {
    /// Off: none of these rules, no safe list and no test numbers (the login's own budgets
    /// stay). For deployments that screen sends elsewhere, and for measuring.
    pub enabled: bool,
    /// Sends per hour to numbers that share all but their last four digits.
    pub prefix_sends_per_hour: u64,
    /// Sends per hour and per day across every instance; past them, sends need the
    /// proof of work.
    pub sends_per_hour: u64,
    pub sends_per_day: u64,
    /// The share of sent codes that must be verified, per country; 0 turns the guard off.
    pub conversion_floor: f64,
    pub conversion_min_sends: u64,
    pub conversion_window_secs: u64,
    /// Sends to one number before each next one waits longer.
    pub backoff_free_sends: u64,
    pub backoff_base_secs: u64,
    pub backoff_max_secs: u64,
    /// How long a number must be left alone for its count to start again.
    pub backoff_quiet_secs: u64,
    /// The largest number the proof of work hides (how long it takes).
    pub challenge_difficulty: u64,
    pub challenge_ttl_secs: u64,
    /// The challenge: `proof_of_work` (ALTCHA, self-hosted), `turnstile` or `hcaptcha`.
    pub challenge: String,
    /// The captcha site's key (public) and secret, for `turnstile` and `hcaptcha`.
    pub captcha_site_key: Option<String>,
    pub captcha_secret: Option<Secret>,
    pub captcha_secret_file: Option<PathBuf>,
    /// Where tokens are checked (the provider's `siteverify` unless set).
    pub captcha_verify_url: Option<String>,
    /// Per country (ISO 3166-1 alpha-2): "allow", "deny", or a number of sends per hour.
    pub countries: std::collections::BTreeMap<String, CountryRuleConfig>,
    /// Numbers exempt from every budget and rule (the operator's own).
    pub safe_numbers: Vec<String>,
    /// Numbers with a fixed code that receive no message (app-store review, monitoring).
    pub test_numbers: Vec<TestNumberConfig>,
}

impl Default for FraudConfig {
    fn default() -> Self {
        FraudConfig {
            enabled: true,
            prefix_sends_per_hour: 30,
            sends_per_hour: 2_000,
            sends_per_day: 20_000,
            conversion_floor: 0.2,
            conversion_min_sends: 30,
            conversion_window_secs: 3_600,
            backoff_free_sends: 3,
            backoff_base_secs: 60,
            backoff_max_secs: 3_600,
            backoff_quiet_secs: 3_600,
            challenge_difficulty: 50_000,
            challenge_ttl_secs: 300,
            challenge: "proof_of_work".into(),
            captcha_site_key: None,
            captcha_secret: None,
            captcha_secret_file: None,
            captcha_verify_url: None,
            countries: std::collections::BTreeMap::new(),
            safe_numbers: Vec::new(),
            test_numbers: Vec::new(),
        }
    }
}

/// `[costs]`: the price of a message, for the metrics of estimated spend.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct CostsConfig {
    /// ISO 4217, named in the metrics' help.
    pub currency: String,
    /// When nothing more specific is set.
    pub per_message: f64,
    /// Per channel (`whatsapp`, `webhook`, `log`).
    pub channels: std::collections::BTreeMap<String, ChannelPrices>,
}

impl Default for CostsConfig {
    fn default() -> Self {
        CostsConfig {
            currency: "USD".into(),
            per_message: 0.0,
            channels: std::collections::BTreeMap::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ChannelPrices {
    pub per_message: Option<f64>,
    /// Per country (ISO 3166-1 alpha-2).
    pub countries: std::collections::BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum CountryRuleConfig {
    HourlyCap(u64),
    Word(String),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestNumberConfig {
    pub number: String,
    pub code: Secret,
}

/// `[branding]`: the operator's brand on the pages, and who people are told writes to them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BrandingConfig {
    /// The product name in page titles and the header (default "wagate").
    pub name: Option<String>,
    /// A PNG, JPEG, WebP or SVG file (at most 256 KiB), served by wagate itself.
    pub logo_file: Option<PathBuf>,
    /// `#rrggbb`: buttons and links; white text on it must reach 4.5:1.
    pub primary_color: Option<String>,
    pub support_url: Option<String>,
    pub privacy_url: Option<String>,
    pub terms_url: Option<String>,
    /// A line of text at the foot of every page.
    pub footer: Option<String>,
    /// The name WhatsApp shows for the business number that sends the codes.
    pub whatsapp_sender: Option<String>,
    /// That number (E.164), for an "Open WhatsApp" link to its chat.
    pub whatsapp_number: Option<String>,
}

/// `[i18n]`: the people's languages.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct I18nConfig {
    /// The language when neither the portal, the person nor the browser names one wagate has.
    pub default_language: String,
    /// Translations that add to or override the built-in ones: one folder per language
    /// (`es/`, `sw/`), holding `.ftl` files.
    pub directory: Option<PathBuf>,
}

impl Default for I18nConfig {
    fn default() -> Self {
        I18nConfig {
            default_language: "en".into(),
            directory: None,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct LogConfig {
    pub format: Choice<LogFormat>,
    /// A tracing filter, e.g. "info" or "wagate=debug,info"; RUST_LOG wins when set.
    pub level: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: Choice::Known(LogFormat::Text),
            level: "info".into(),
        }
    }
}

/// Traces to an OpenTelemetry collector over OTLP/HTTP. The standard `OTEL_*` variables win
/// over these keys where both say something.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct TelemetryConfig {
    pub enabled: bool,
    /// The collector's OTLP/HTTP base URL (traces go to `/v1/traces` under it).
    pub endpoint: Option<String>,
    pub service_name: String,
}

impl Default for TelemetryConfig {
    fn default() -> Self {
        TelemetryConfig {
            enabled: false,
            endpoint: None,
            service_name: "wagate".into(),
        }
    }
}

/// Re-reading the configuration while running (SIGHUP always works).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct ReloadConfig {
    /// Also re-read the file when it changes on disk.
    pub watch: bool,
}

/// Signing keys kept in shared storage (when no `[[keys]]` files are given).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct SigningConfig {
    /// Seals the private keys in storage (at least 32 characters).
    pub key_encryption_key: Option<Secret>,
    pub key_encryption_key_file: Option<PathBuf>,
}
