//! Wiring: settings in, a running public listener and ops listener out.

use crate::background::Background;
use crate::config::Settings;
use crate::factory::{self, Deps};
use crate::http;
use crate::live::Live;
use crate::metrics::Metrics;
use crate::ops;
use crate::reload::Reloader;
use crate::signing::{self, KeyReloader};
use crate::state::{AppState, ProxyHeaders, Web};
use actix_web::dev::ServerHandle;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use thiserror::Error;
use wagate_core::events::{EventDeliverer, Events};
use wagate_core::guard::{Captcha, ProofOfWork, SendGuard, TestNumbers};
use wagate_core::people::People;
use wagate_core::totp::Authenticators;
use wagate_core::{AccountService, Journey, LoginService};
use wagate_oidc::{ClientRegistry, KeyError, Provider};
use wagate_storage::{Secret, Store};

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

/// What a reload keeps from the running instance: its storage connections and its metrics.
pub(crate) struct Kept {
    pub store: Arc<dyn Store>,
    pub metrics: Arc<Metrics>,
}

pub async fn build_state(settings: Settings, deps: &Deps) -> Result<AppState, StartError> {
    build_state_keeping(settings, deps, None).await
}

pub(crate) async fn build_state_keeping(
    settings: Settings,
    deps: &Deps,
    kept: Option<Kept>,
) -> Result<AppState, StartError> {
    let (store, metrics) = match kept {
        // The reload sets the prices once the new state is taken.
        Some(Kept { store, metrics }) => (store, metrics),
        None => (
            factory::store(settings.storage, deps).map_err(StartError::Storage)?,
            Arc::new(Metrics::new(settings.prices.clone())),
        ),
    };
    let texts = Arc::new(settings.texts);
    let kek = settings.key_encryption_key.clone();
    let mut delivery = settings.delivery;
    let whatsapp_hook = delivery.whatsapp_hook.take();
    let local = factory::LocalDelivery {
        delivery,
        seal_secret: kek.as_ref(),
        observer: metrics.clone(),
        texts: texts.clone(),
    };
    let backend = factory::otp_backend(
        settings.backend,
        local,
        (settings.code_length, settings.code_ttl),
        deps,
    )
    .map_err(StartError::Delivery)?;
    let (keys, shared) = signing::keys(
        settings.keys,
        kek.as_ref(),
        &settings.lifetimes,
        &store,
        deps,
    )
    .await?;
    let mut provider = Provider::new(
        &settings.issuer,
        ClientRegistry::new(settings.clients),
        keys,
        store.clone(),
        deps.clock.clone(),
        deps.random.clone(),
        settings.lifetimes,
    );
    if let Some(secret) = &kek {
        provider.set_refresh_key(signing::refresh_key(secret));
    }
    provider.set_mfa_available(settings.totp.is_some());
    provider.set_access_token_alg(settings.access_token_alg);
    let mut events = Events::new(
        &settings.issuer,
        store.clone(),
        deps.clock.clone(),
        deps.random.clone(),
    )
    .with_observer(metrics.clone());
    if settings.events.webhook.is_some() {
        events = events.queued(settings.events.include_phone);
    }
    let events = Arc::new(events);
    provider.set_events(events.clone());
    provider.set_ui_locales(texts.languages());
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
    )
    .with_observer(metrics.clone());
    if settings.fraud.enabled {
        let guard = guard(
            settings.fraud,
            kek.as_ref(),
            settings.code_ttl,
            (&store, deps),
        );
        login = login.with_guard(guard.with_observer(metrics.clone()));
    }
    if let Some(a) = &authenticators {
        login = login.with_authenticators(a.clone());
    }
    login = login.with_events(events.clone());
    let provider = Arc::new(provider);
    let people = Arc::new(People::new(
        provider.clone(),
        events.clone(),
        login.phones().clone(),
        deps.clock.clone(),
        settings.fresh_auth,
    ));
    let deliverer = settings
        .events
        .webhook
        .map(|hook| EventDeliverer::new(hook, store.clone(), deps.clock.clone(), events.wake()))
        .transpose()
        .map_err(StartError::Delivery)?
        .map(|d| d.with_observer(metrics.clone()));
    let countries = login.phones().countries();
    Ok(AppState {
        shared_keys: shared,
        journey: Journey::new(login, provider.clone()),
        provider,
        account: authenticators
            .map(|a| Arc::new(AccountService::new(a).with_events(events.clone()))),
        people,
        events,
        deliverer: std::sync::Mutex::new(deliverer),
        store,
        metrics,
        texts,
        countries,
        whatsapp_hook,
        random: deps.random.clone(),
        clock: deps.clock.clone(),
        web: Web {
            issuer: settings.issuer,
            base: http::Site::new(settings.base_path, settings.branding),
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

/// The rules against costly abuse. The proof of work's key comes from the key-encryption key,
/// which instances that share storage share; without one it is this process's own.
fn guard(
    fraud: crate::config::Fraud,
    kek: Option<&Secret>,
    code_ttl: std::time::Duration,
    (store, deps): (&Arc<dyn Store>, &Deps),
) -> SendGuard {
    let secret = match kek {
        Some(k) => k.expose().as_bytes().to_vec(),
        None => {
            let mut own = vec![0u8; 32];
            deps.random.fill(&mut own);
            own
        }
    };
    let pow = ProofOfWork::new(&secret, fraud.challenge_difficulty, fraud.challenge_ttl);
    let tests = Arc::new(TestNumbers::new(fraud.test_numbers, code_ttl));
    let guard = SendGuard::new(
        fraud.rules,
        pow,
        tests,
        (store.clone(), deps.clock.clone(), deps.random.clone()),
    );
    let http = wagate_core::outbound_client(std::time::Duration::from_secs(5));
    match (fraud.captcha, http) {
        (Some((provider, site_key, secret, url)), Ok(http)) => {
            guard.with_captcha(Captcha::new(provider, site_key, secret, url, http))
        }
        (Some(_), Err(e)) => {
            // Without an HTTP client the captcha cannot be checked: the proof of work stands in.
            tracing::error!(error = %e, "no HTTP client for the captcha; the proof of work is asked instead");
            guard
        }
        (None, _) => guard,
    }
}

/// A started wagate: both listeners bound and serving.
pub struct Running {
    pub public_addr: SocketAddr,
    pub ops_addr: SocketAddr,
    live: web::Data<Live>,
    public: ServerHandle,
    ops: ServerHandle,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    /// The event deliverer and the key reloads, restarted with each new state.
    background: Arc<Background>,
    /// Re-reads the configuration (SIGHUP, file watch).
    reloader: Arc<Reloader>,
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
        KeyReloader::new(self.live.clone())
    }

    /// Graceful stop: no new connections, requests in flight finish.
    pub async fn stop(self) {
        self.public.stop(true).await;
        self.ops.stop(true).await;
        let _ = self.task.await;
        // What it was delivering stays queued (leased a few seconds) for the other instances.
        self.background.stop();
    }
}

fn bind_error(addr: SocketAddr) -> impl FnOnce(std::io::Error) -> StartError {
    move |source| StartError::Bind { addr, source }
}

/// Binds both listeners, starts serving in the background, stops gracefully on SIGTERM or
/// SIGINT (no new connections, requests in flight finish, at most 30 s, then exit), and
/// re-reads `source` on SIGHUP (and when it changes, with `reload.watch`).
pub async fn start(
    settings: Settings,
    deps: Deps,
    source: Option<PathBuf>,
) -> Result<Running, StartError> {
    let public = TcpListener::bind(settings.listen).map_err(bind_error(settings.listen))?;
    let ops = TcpListener::bind(settings.ops_listen).map_err(bind_error(settings.ops_listen))?;
    let watch = settings.watch_config;
    let running = start_on(settings, deps, public, ops).await?;
    if let Some(path) = source {
        running.reloader.set_source(path);
    }
    let handle = running.public.clone();
    tokio::spawn(async move {
        wait_for_stop_signal().await;
        tracing::info!("stop signal received: finishing requests in flight");
        handle.stop(true).await;
    });
    crate::reload::on_hangup(running.reloader.clone());
    if watch {
        match crate::reload::watch(running.reloader.clone()) {
            Ok(watcher) => running.reloader.keep_watcher(watcher),
            Err(e) => {
                tracing::error!(error = %e, "cannot watch the configuration file; SIGHUP still reloads")
            }
        }
    }
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
    let restart_only = crate::reload::RestartOnly::of(&settings);
    let state = Arc::new(build_state(settings, &deps).await?);
    state
        .metrics
        .signing_keys(&state.provider.signing_key_dates(), deps.clock.now());
    let background = Arc::new(Background::default());
    background.start(&state);
    let live = web::Data::new(Live::new(state.clone()));

    // What the routes need of the first state, and no more: a reload must be able to free it.
    let (base, hsts) = (state.web.base.to_string(), state.web.hsts.clone());
    let public_live = live.clone();
    let mut public = HttpServer::new(move || {
        App::new()
            .app_data(public_live.clone())
            .configure(|cfg| http::configure(cfg, &base, hsts.as_deref()))
    })
    .disable_signals()
    .shutdown_timeout(30);
    if workers > 0 {
        public = public.workers(workers);
    }
    let public = public.listen(public_listener).map_err(bind_error(listen))?;
    let public_addr = public.addrs().first().copied().unwrap_or(listen);

    let ops_live = live.clone();
    let ops = HttpServer::new(move || {
        App::new()
            .app_data(ops_live.clone())
            .wrap(from_fn(http::trace::traced))
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
    let reloader = Arc::new(Reloader::new(
        live.clone(),
        background.clone(),
        deps,
        restart_only,
    ));
    Ok(Running {
        live,
        public_addr,
        ops_addr,
        public: public_handle,
        ops: ops_handle,
        task,
        background,
        reloader,
    })
}
