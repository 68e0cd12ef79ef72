//! `wagate serve` and `wagate check-config`.

use crate::app::start;
use crate::config::{self, Delivery};
use crate::factory::Deps;
use crate::telemetry;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "wagate",
    version,
    about = "OpenID Connect provider: sign in with a phone number and a WhatsApp code"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the provider. Without a configuration file it runs on embedded defaults.
    Serve {
        /// TOML configuration file.
        #[arg(long, env = "WAGATE_CONFIG")]
        config: Option<PathBuf>,
    },
    /// Validate a configuration file and print every problem; exit 1 if there is any.
    CheckConfig {
        /// TOML configuration file.
        file: PathBuf,
    },
    /// Signing keys kept in shared storage.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// People's accounts, for operators: the admin API's operations at the command line.
    Users {
        #[command(subcommand)]
        action: UsersAction,
        /// TOML configuration file (the one the instances use).
        #[arg(long, env = "WAGATE_CONFIG", global = true)]
        config: Option<PathBuf>,
    },
    /// Tools for development and local tries.
    /// Development tools (only in a binary built with `--features dev`).
    #[cfg(feature = "dev")]
    Dev {
        #[command(subcommand)]
        action: DevAction,
    },
}

#[cfg(feature = "dev")]
#[derive(Debug, Subcommand)]
pub enum DevAction {
    /// Run a fake Cripsa/Cognito upstream that prints the codes it "sends". It speaks both
    /// modes: point wagate at it with [login] backend = "cripsa" and [cripsa] endpoint =
    /// "http://LISTEN/" (plus, for mode = "http", [cripsa.http] base_url = "http://LISTEN/").
    FakeCripsa {
        #[arg(long, default_value = "127.0.0.1:9400")]
        listen: String,
        #[arg(long, default_value = "eu-west-1_FakePool")]
        pool_id: String,
        #[arg(long, default_value = "fakeclient")]
        client_id: String,
        /// The ClientSecret wagate must hash with (dev only: it is printed).
        #[arg(
            long,
            env = "FAKE_CRIPSA_CLIENT_SECRET",
            default_value = "fake-cripsa-client-secret"
        )]
        client_secret: String,
        /// Require `Authorization: Bearer <token>` on the http-mode operations.
        #[arg(long, env = "FAKE_CRIPSA_DEVELOPER_TOKEN")]
        developer_token: Option<String>,
    },
    /// Run a fake of Meta's WhatsApp Business Cloud API that prints the codes it "sends" and
    /// posts signed status webhooks to wagate. Numbers ending in 9901 to 9913 get Meta's
    /// failures (listed when it starts); it prints the settings that point wagate at it.
    #[command(name = "fake-whatsapp")]
    FakeWhatsApp {
        #[arg(long, default_value = "127.0.0.1:7100")]
        listen: String,
        #[arg(long, default_value = "106540352242922")]
        phone_number_id: String,
        /// The bearer token wagate must send (dev only: it is printed).
        #[arg(
            long,
            env = "FAKE_WHATSAPP_ACCESS_TOKEN",
            default_value = "fake-whatsapp-access-token"
        )]
        access_token: String,
        /// The secret the status webhooks are signed with (dev only: it is printed).
        #[arg(
            long,
            env = "FAKE_WHATSAPP_APP_SECRET",
            default_value = "fake-whatsapp-app-secret-0123456789"
        )]
        app_secret: String,
        /// wagate's status webhook; an empty value posts no statuses.
        #[arg(long, default_value = "http://127.0.0.1:8080/hooks/whatsapp")]
        callback_url: String,
        /// How long after `sent` a message is `delivered`.
        #[arg(long, default_value_t = 1000)]
        status_delay_ms: u64,
        /// The same, for numbers ending in 9910 ("delivered late").
        #[arg(long, default_value_t = 30000)]
        late_delay_ms: u64,
    },
}

/// Who an operator command is about.
#[derive(Debug, clap::Args)]
pub struct Who {
    /// The person's phone number (any format `login.default_region` reads).
    #[arg(long, conflicts_with = "sub", required_unless_present = "sub")]
    phone: Option<String>,
    /// The person's `sub`.
    #[arg(long)]
    sub: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// Show a person: number, created, last login, authenticator, block, sessions (JSON).
    Find {
        #[command(flatten)]
        who: Who,
    },
    /// List people, newest first (JSON, with `next_cursor` for the next page).
    List {
        #[arg(long)]
        cursor: Option<String>,
        #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u16).range(1..=200))]
        limit: u16,
    },
    /// Block a person: no login; their sessions end and their tokens stop working.
    Block {
        #[arg(long)]
        sub: String,
        /// For other operators; never shown to the person.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Lift a block (what it revoked stays revoked).
    Unblock {
        #[arg(long)]
        sub: String,
    },
    /// Erase a person (GDPR): account, number, authenticator, sessions, refresh tokens.
    Delete {
        #[arg(long)]
        sub: String,
    },
    /// Give a person a new number; the old one is freed.
    ChangePhone {
        #[arg(long)]
        sub: String,
        #[arg(long)]
        phone: String,
    },
    /// Remove a person's authenticator app and recovery codes (they lost both). Check who is
    /// asking first: this takes away their second factor. They sign in with WhatsApp after.
    RemoveAuthenticator {
        #[command(flatten)]
        who: Who,
    },
    /// A person's live sessions (JSON).
    Sessions {
        #[arg(long)]
        sub: String,
    },
    /// End a person's sessions (all, or `--session`); their portals get back-channel logout.
    EndSessions {
        #[arg(long)]
        sub: String,
        #[arg(long)]
        session: Option<String>,
    },
}

impl UsersAction {
    fn command(self) -> crate::admin::UsersCommand {
        use crate::admin::UsersCommand as C;
        match self {
            UsersAction::Find { who } => C::Find {
                phone: who.phone,
                sub: who.sub,
            },
            UsersAction::List { cursor, limit } => C::List {
                cursor,
                limit: usize::from(limit),
            },
            UsersAction::Block { sub, reason } => C::Block { sub, reason },
            UsersAction::Unblock { sub } => C::Unblock { sub },
            UsersAction::Delete { sub } => C::Delete { sub },
            UsersAction::ChangePhone { sub, phone } => C::ChangePhone { sub, phone },
            UsersAction::RemoveAuthenticator { who } => C::RemoveAuthenticator {
                phone: who.phone,
                sub: who.sub,
            },
            UsersAction::Sessions { sub } => C::Sessions { sub },
            UsersAction::EndSessions { sub, session } => C::EndSessions { sub, session },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Add new signing keys; instances sign with them within 10 s, and the old keys stay
    /// published until every token they signed has expired.
    Rotate {
        /// TOML configuration file (the one the instances use).
        #[arg(long, env = "WAGATE_CONFIG")]
        config: Option<PathBuf>,
    },
}

pub async fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Serve { config } => serve(config).await,
        Command::CheckConfig { file } => check(&file),
        Command::Keys {
            action: KeysAction::Rotate { config },
        } => rotate(config).await,
        Command::Users { action, config } => users(action, config).await,
        #[cfg(feature = "dev")]
        Command::Dev {
            action:
                DevAction::FakeCripsa {
                    listen,
                    pool_id,
                    client_id,
                    client_secret,
                    developer_token,
                },
        } => {
            wagate_dev::fake_cripsa(wagate_dev::FakeCripsaArgs {
                listen,
                pool_id,
                client_id,
                client_secret,
                developer_token,
            })
            .await
        }
        #[cfg(feature = "dev")]
        Command::Dev {
            action:
                DevAction::FakeWhatsApp {
                    listen,
                    phone_number_id,
                    access_token,
                    app_secret,
                    callback_url,
                    status_delay_ms,
                    late_delay_ms,
                },
        } => {
            wagate_dev::fake_whatsapp(wagate_dev::FakeWhatsAppArgs {
                listen,
                phone_number_id,
                access_token,
                app_secret,
                callback_url: Some(callback_url).filter(|u| !u.is_empty()),
                status_delay_ms,
                late_delay_ms,
            })
            .await
        }
    }
}

/// The instances' configuration for an operator command; its problems go to standard error.
fn operator_settings(path: Option<PathBuf>) -> Option<config::Settings> {
    match config::load_settings(path.as_deref()) {
        Ok(s) => Some(s),
        Err(problems) => {
            for p in problems {
                eprintln!("configuration: {p}");
            }
            None
        }
    }
}

async fn rotate(path: Option<PathBuf>) -> ExitCode {
    let Some(settings) = operator_settings(path) else {
        return ExitCode::FAILURE;
    };
    match crate::signing::rotate_keys(settings, &Deps::default()).await {
        Ok(kids) => {
            println!("new signing keys: {}", kids.join(", "));
            println!(
                "instances sign with them within 10 seconds; the old keys stay published until their tokens expire"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wagate keys rotate: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn users(action: UsersAction, path: Option<PathBuf>) -> ExitCode {
    let Some(settings) = operator_settings(path) else {
        return ExitCode::FAILURE;
    };
    match crate::admin::users(settings, action.command(), &Deps::default()).await {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wagate users: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(file: &std::path::Path) -> ExitCode {
    match config::load_settings(Some(file)) {
        Ok(settings) => {
            for w in &settings.warnings {
                eprintln!("  warning: {w}");
            }
            println!("{}: OK", file.display());
            ExitCode::SUCCESS
        }
        Err(problems) => {
            eprintln!("{}: {} problem(s)", file.display(), problems.len());
            for p in problems {
                eprintln!("  - {p}");
            }
            ExitCode::FAILURE
        }
    }
}

async fn serve(path: Option<PathBuf>) -> ExitCode {
    let settings = match config::load_settings(path.as_deref()) {
        Ok(s) => s,
        Err(problems) => {
            telemetry::init("info", false, None);
            for p in &problems {
                tracing::error!("configuration: {p}");
            }
            eprintln!(
                "wagate: the configuration has {} problem(s); nothing started",
                problems.len()
            );
            return ExitCode::FAILURE;
        }
    };
    let traces = settings.telemetry.clone();
    let telemetry = telemetry::init(&settings.log_level, settings.log_format_json, Some(&traces));
    announce(&settings, path.as_deref());
    let issuer = settings.issuer.clone();
    let demo = settings.demo;
    let running = match start(settings, Deps::default(), path.clone()).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "could not start");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(
        listen = %running.public_addr,
        ops = %running.ops_addr,
        %issuer,
        "wagate is serving"
    );
    if demo {
        tracing::info!("open {issuer}/ and press \"Try a login\"");
    }
    let ended = running.wait().await;
    // The exporter's own thread waits for the collector: not on the runtime's threads.
    let _ = tokio::task::spawn_blocking(move || telemetry.shutdown()).await;
    match ended {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            ExitCode::FAILURE
        }
    }
}

/// What the operator should know before the first request: configuration warnings, and the
/// settings that are fine for a laptop but not for production.
fn announce(settings: &config::Settings, path: Option<&std::path::Path>) {
    for w in &settings.warnings {
        tracing::warn!("configuration: {w}");
    }
    match path {
        None => tracing::warn!(
            "no configuration file: running on embedded defaults (memory storage, demo client, issuer {}); for trying wagate, not for production",
            settings.issuer
        ),
        Some(p) => {
            tracing::info!(config = %p.display(), "configuration loaded");
            if !settings.storage.shared() {
                // Only a file-configured instance is expected to run for real.
                tracing::warn!(
                    "storage is 'memory': logins and users are lost on restart and not shared between instances"
                );
            }
        }
    }
    if let config::OtpBackendKind::Cripsa(c) = &settings.backend {
        let (mode, endpoint) = match &c.mode {
            config::CripsaMode::Cognito => ("cognito", c.pool.endpoint().as_str()),
            config::CripsaMode::Http(h) => ("http", h.base_url.as_str()),
        };
        tracing::info!(
            mode,
            pool = c.pool.id(),
            endpoint,
            token_issuer = %c.pool.issuer(),
            sign_up_unknown_numbers = c.sign_up_unknown_numbers,
            "codes are sent and checked by the Cripsa/Cognito upstream"
        );
    } else {
        announce_delivery(&settings.delivery);
    }
    let shared_keys = settings.key_encryption_key.is_some() && settings.storage.shared();
    if settings.keys.is_empty() && !shared_keys {
        tracing::warn!(
            "no signing keys configured: generated new ones; tokens will not verify after a restart"
        );
    }
    match &settings.totp {
        Some(t) if t.throwaway_key => tracing::warn!(
            "totp.encryption_key not set: authenticator secrets are sealed with a key that dies with this process (demo only)"
        ),
        Some(_) => {}
        None => tracing::info!("authenticator apps are switched off (totp.enabled = false)"),
    }
}

/// Where the `local` backend's codes go, for the first log lines.
fn announce_delivery(delivery: &config::DeliverySettings) {
    let name = |d: &Delivery| match d {
        Delivery::Log => "log",
        Delivery::Webhook { .. } => "webhook",
        Delivery::WhatsApp(_) => "whatsapp",
    };
    let fallback = delivery.fallback.as_ref().map(|(d, _)| name(d));
    if let Delivery::WhatsApp(w) = &delivery.channel {
        tracing::info!(
            api = %w.api_base_url,
            version = %w.api_version,
            template = %w.template,
            fallback,
            "codes are sent through the WhatsApp Cloud API; status reports are taken at /hooks/whatsapp"
        );
    } else {
        tracing::info!(
            channel = name(&delivery.channel),
            fallback,
            "codes are sent by the {} channel",
            name(&delivery.channel)
        );
    }
    let log_used = matches!(delivery.channel, Delivery::Log)
        || matches!(delivery.fallback, Some((Delivery::Log, _)));
    if log_used {
        tracing::warn!(
            "DELIVERY CHANNEL IS 'log': one-time codes are printed to this log and sent to nobody. Development only."
        );
    }
}
