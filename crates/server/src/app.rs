//! Wiring: settings in, a running public listener and ops listener out.

use crate::config::{Delivery, Settings, StorageKind};
use crate::http;
use crate::metrics::Metrics;
use crate::ops;
use crate::state::{AppState, Web};
use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};
use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use thiserror::Error;
use wagate_core::LoginService;
use wagate_core::delivery::{DeliveryChannel, LogChannel, WebhookChannel};
use wagate_core::otp::LocalOtpBackend;
use wagate_oidc::{ClientRegistry, KeyError, KeySet, Provider};
use wagate_storage::{Clock, MemoryStore, OsRandom, RedisStore, SecretSource, Store, SystemClock};

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

/// Time and randomness, injected so tests can fix them.
#[derive(Clone)]
pub struct Deps {
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn SecretSource>,
}

impl Default for Deps {
    fn default() -> Self {
        Deps {
            clock: Arc::new(SystemClock),
            random: Arc::new(OsRandom),
        }
    }
}

pub fn build_state(settings: Settings, deps: &Deps) -> Result<AppState, StartError> {
    let store: Arc<dyn Store> = match settings.storage {
        StorageKind::Memory => Arc::new(MemoryStore::new(deps.clock.clone())),
        StorageKind::Redis(config) => {
            Arc::new(RedisStore::new(config).map_err(|e| StartError::Storage(e.to_string()))?)
        }
    };
    let channel: Arc<dyn DeliveryChannel> = match settings.delivery {
        Delivery::Log => Arc::new(LogChannel),
        Delivery::Webhook {
            url,
            secret,
            timeout,
        } => Arc::new(WebhookChannel::new(url, secret, timeout).map_err(StartError::Delivery)?),
    };
    let backend = Arc::new(LocalOtpBackend::new(
        settings.code_length,
        settings.code_ttl,
        channel,
        deps.random.clone(),
    ));
    let keys = if settings.keys.is_empty() {
        KeySet::generate()?
    } else {
        KeySet::new(settings.keys)
    };
    let provider = Provider::new(
        &settings.issuer,
        ClientRegistry::new(settings.clients),
        keys,
        store.clone(),
        deps.clock.clone(),
        deps.random.clone(),
        settings.lifetimes,
    );
    let login = LoginService::new(
        store.clone(),
        backend,
        settings.login,
        settings.phones,
        deps.clock.clone(),
        deps.random.clone(),
    );
    Ok(AppState {
        provider,
        login,
        store,
        metrics: Arc::new(Metrics::new()),
        random: deps.random.clone(),
        clock: deps.clock.clone(),
        web: Web {
            issuer: settings.issuer,
            base: settings.base_path,
            secure_cookies: settings.secure_cookies,
            max_body_bytes: settings.max_body_bytes,
            demo: settings.demo,
            trusted_proxies: settings.trusted_proxies,
        },
    })
}

/// A started wagate: both listeners bound and serving.
pub struct Running {
    pub public_addr: SocketAddr,
    pub ops_addr: SocketAddr,
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
    let state = web::Data::new(build_state(settings, &deps)?);

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
        public_addr,
        ops_addr,
        public: public_handle,
        ops: ops_handle,
        task,
    })
}
