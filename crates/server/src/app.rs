//! Wiring: settings in, a running public listener and ops listener out.

use crate::config::Settings;
use crate::factory::{self, Deps};
use crate::http;
use crate::metrics::Metrics;
use crate::ops;
use crate::state::{AppState, ProxyHeaders, Web};
use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};
use sha2::{Digest, Sha256};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;
use thiserror::Error;
use wagate_core::totp::Authenticators;
use wagate_core::{AccountService, Journey, LoginService};
use wagate_oidc::shared_keys::{self, Kek, SharedKeys};
use wagate_oidc::{ClientRegistry, KeyError, KeySet, Provider};
use wagate_storage::Secret as StoredSecret;

#[derive(Debug, Error)]
pub enum StartError {
    #[error("signing keys: {0}")]
    Keys(#[from] KeyError),
    #[error("delivery: {0}")]
    Delivery(String),
    #[error("storage: {0}")]
    Storage(String),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub async fn build_state(settings: Settings, deps: &Deps) -> Result<AppState, StartError> {
    let store = factory::store(settings.storage, deps).map_err(StartError::Storage)?;
    let backend = factory::otp_backend(
        settings.backend,
        settings.delivery,
        (settings.code_length, settings.code_ttl),
        deps,
    )
    .map_err(StartError::Delivery)?;
    let settings_kek = settings.key_encryption_key.clone();
    let shared = match (&settings_kek, settings.keys.is_empty()) {
        (Some(secret), true) => Some(Arc::new(SharedKeys::new(
            Kek::from_secret(secret.expose())?,
            key_retirement(&settings.lifetimes),
        ))),
        _ => None,
    };
    let keys = match &shared {
        None if settings.keys.is_empty() => KeySet::generate()?,
        None => KeySet::new(settings.keys),
        Some(shared) => match shared.sync(store.as_ref(), deps.clock.now()).await {
            Ok(keys) => keys,
            Err(e) => {
                // Storage may be down at start: the instance is not ready, and keeps trying
                // about every second; everything that needs no signature works meanwhile.
                tracing::warn!(error = %e, "shared signing keys not available yet");
                KeySet::default()
            }
        },
    };
    let mut provider = Provider::new(
        &settings.issuer,
        ClientRegistry::new(settings.clients),
        keys,
        store.clone(),
        deps.clock.clone(),
        deps.random.clone(),
        settings.lifetimes,
    );
    if let Some(secret) = &settings_kek {
        // Instances sharing storage must agree on the refresh-token MAC key: derive it from
        // the key-encryption key, which they share and which is never in storage.
        let derived = Sha256::new()
            .chain_update(b"wagate refresh-token key v1\0")
            .chain_update(secret.expose().as_bytes())
            .finalize();
        provider.set_refresh_key(StoredSecret::new(hex_lower(&derived)));
    }
    provider.set_mfa_available(settings.totp.is_some());
    let authenticators = settings.totp.map(|t| {
        Arc::new(Authenticators::new(
            store.clone(),
            t.key,
            t.settings,
            deps.clock.clone(),
            deps.random.clone(),
        ))
    });
    let mut login = LoginService::new(
        store.clone(),
        backend,
        settings.login,
        settings.phones,
        deps.clock.clone(),
        deps.random.clone(),
    );
    if let Some(a) = &authenticators {
        login = login.with_authenticators(a.clone());
    }
    let account = authenticators.map(AccountService::new);
    let provider = Arc::new(provider);
    Ok(AppState {
        shared_keys: shared,
        journey: Journey::new(login, provider.clone()),
        provider,
        account,
        store,
        metrics: Arc::new(Metrics::new()),
        random: deps.random.clone(),
        clock: deps.clock.clone(),
        web: Web {
            issuer: settings.issuer,
            base: settings.base_path,
            secure_cookies: settings.secure_cookies,
            max_body_bytes: settings.max_body_bytes,
            body_timeout: settings.body_timeout,
            hsts: settings
                .hsts_max_age
                .map(|age| format!("max-age={}", age.as_secs())),
            demo: settings.demo,
            proxy_headers: if settings.rfc7239 {
                ProxyHeaders::Forwarded
            } else {
                ProxyHeaders::XForwarded
            },
            trusted_proxies: settings.trusted_proxies,
        },
    })
}

/// How often an instance looks at the signing keys in shared storage: for rotated keys, and
/// for storage that lost them (then it writes its own back). Short, so that after a loss the
/// fleet agrees again within seconds; a reload is one small read.
pub const KEY_RELOAD_INTERVAL: Duration = Duration::from_secs(5);

/// How often an instance without signing keys (storage was down at start) tries again.
pub const KEY_RETRY_INTERVAL: Duration = Duration::from_secs(1);

/// How long a key that stops signing stays published: past the longest-lived token it signed,
/// plus one reload for every instance to notice.
fn key_retirement(lifetimes: &wagate_oidc::Lifetimes) -> Duration {
    lifetimes.id_token.max(lifetimes.access_token) + KEY_RELOAD_INTERVAL
}

/// Loads the shared signing keys again (writing back the ones this instance holds, or making
/// new ones, if storage has none).
pub async fn reload_keys(state: &AppState) {
    let Some(shared) = &state.shared_keys else {
        return;
    };
    match shared.sync(state.store.as_ref(), state.clock.now()).await {
        Ok(keys) => state.provider.set_keys(keys),
        Err(e) => tracing::warn!(error = %e, "could not reload the shared signing keys"),
    }
}

#[derive(Clone)]
pub struct KeyReloader(web::Data<AppState>);

impl KeyReloader {
    pub async fn reload(&self) {
        reload_keys(&self.0).await;
    }
}

/// Reloads keys periodically for as long as the instance lives: every few seconds, or every
/// second while it has none to sign with or has just made new ones (other instances may be
/// writing back older keys it must publish too).
fn spawn_key_reloads(state: &web::Data<AppState>) {
    let weak = Arc::downgrade(&state.clone().into_inner());
    tokio::spawn(async move {
        loop {
            let wait = match weak.upgrade() {
                Some(state) => {
                    let settling = state.shared_keys.as_ref().is_some_and(|s| {
                        s.generated_within(2 * KEY_RELOAD_INTERVAL, state.clock.now())
                    });
                    if state.provider.can_sign() && !settling {
                        KEY_RELOAD_INTERVAL
                    } else {
                        KEY_RETRY_INTERVAL
                    }
                }
                None => break,
            };
            tokio::time::sleep(wait).await;
            let Some(state) = weak.upgrade() else {
                break;
            };
            reload_keys(&state).await;
        }
    });
}

/// A started wagate: both listeners bound and serving.
pub struct Running {
    pub public_addr: SocketAddr,
    pub ops_addr: SocketAddr,
    state: web::Data<AppState>,
    public: ServerHandle,
    ops: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// Waits until both listeners stop.
    pub async fn wait(self) -> std::io::Result<()> {
        self.task
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }

    /// A handle that makes this instance pick up rotated shared keys at once (instances also
    /// do it every few seconds by themselves).
    pub fn key_reloader(&self) -> KeyReloader {
        KeyReloader(self.state.clone())
    }

    /// Graceful stop: no new connections, requests in flight finish.
    pub async fn stop(self) {
        self.public.stop(true).await;
        self.ops.stop(true).await;
        let _ = self.task.await;
    }
}

fn bind_error(addr: SocketAddr) -> impl FnOnce(std::io::Error) -> StartError {
    move |source| StartError::Bind { addr, source }
}

/// Binds both listeners, starts serving in the background, and stops gracefully on SIGTERM or
/// SIGINT: no new connections, requests in flight finish (at most 30 s), then exit.
pub async fn start(settings: Settings, deps: Deps) -> Result<Running, StartError> {
    let public = TcpListener::bind(settings.listen).map_err(bind_error(settings.listen))?;
    let ops = TcpListener::bind(settings.ops_listen).map_err(bind_error(settings.ops_listen))?;
    let running = start_on(settings, deps, public, ops).await?;
    let handle = running.public.clone();
    tokio::spawn(async move {
        wait_for_stop_signal().await;
        tracing::info!("stop signal received: finishing requests in flight");
        handle.stop(true).await;
    });
    Ok(running)
}

/// actix-server treats SIGINT as a forced stop; we want Ctrl-C and SIGTERM to be equally gentle,
/// so the servers ignore signals and this waits for them instead.
async fn wait_for_stop_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            tracing::error!("cannot listen for stop signals; stop wagate with SIGKILL");
            std::future::pending::<()>().await;
        }
    }
}

/// Serves on listeners the caller bound (tests bind port 0 first to learn the issuer URL).
pub async fn start_on(
    settings: Settings,
    deps: Deps,
    public_listener: TcpListener,
    ops_listener: TcpListener,
) -> Result<Running, StartError> {
    let listen = public_listener.local_addr().unwrap_or(settings.listen);
    let ops_listen = ops_listener.local_addr().unwrap_or(settings.ops_listen);
    let workers = settings.workers;
    let state = web::Data::new(build_state(settings, &deps).await?);
    if state.shared_keys.is_some() {
        spawn_key_reloads(&state);
    }

    let public_state = state.clone();
    let mut public = HttpServer::new(move || {
        App::new()
            .app_data(public_state.clone())
            .configure(|cfg| http::configure(cfg, &public_state))
    })
    .disable_signals()
    .shutdown_timeout(30);
    if workers > 0 {
        public = public.workers(workers);
    }
    let public = public.listen(public_listener).map_err(bind_error(listen))?;
    let public_addr = public.addrs().first().copied().unwrap_or(listen);

    let ops_state = state.clone();
    let ops = HttpServer::new(move || {
        App::new()
            .app_data(ops_state.clone())
            .configure(ops::configure)
    })
    .workers(1)
    .disable_signals()
    .shutdown_timeout(5)
    .listen(ops_listener)
    .map_err(bind_error(ops_listen))?;
    let ops_addr = ops.addrs().first().copied().unwrap_or(ops_listen);

    let public = public.run();
    let ops = ops.run();
    let (public_handle, ops_handle) = (public.handle(), ops.handle());
    let ops_stopper = ops_handle.clone();
    let task = tokio::spawn(async move {
        // When the public listener stops (signal or stop()), the ops listener follows.
        let ops_task = tokio::spawn(ops);
        let result = public.await;
        ops_stopper.stop(true).await;
        let _ = ops_task.await;
        result
    });
    Ok(Running {
        state: state.clone(),
        public_addr,
        ops_addr,
        public: public_handle,
        ops: ops_handle,
        task,
    })
}

/// `wagate keys rotate`: new signing keys in shared storage. Every instance signs with them
/// after its next reload; the keys they replace stay in the JWKS until every token they signed
/// has expired.
pub async fn rotate_keys(settings: Settings, deps: &Deps) -> Result<Vec<String>, String> {
    let kek = settings
        .key_encryption_key
        .as_ref()
        .ok_or("keys rotate needs signing.key_encryption_key (keys kept in shared storage)")?;
    let kek = Kek::from_secret(kek.expose()).map_err(|e| e.to_string())?;
    let store = factory::shared_store(settings.storage, "keys rotate")?;
    let retire_after = key_retirement(&settings.lifetimes);
    shared_keys::rotate(
        store.as_ref(),
        &kek,
        deps.clock.now(),
        2 * KEY_RELOAD_INTERVAL,
        retire_after,
    )
    .await
    .map_err(|e| e.to_string())
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
