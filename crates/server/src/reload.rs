//! Re-reading the configuration while serving (SIGHUP, or a change of the file when
//! `reload.watch` is on). A configuration with problems is refused and logged, and the one in
//! force stays. An accepted one becomes a new state for new requests; requests in flight
//! finish with the state they started with. Storage connections and metrics are kept.
//!
//! What only a restart can change (listeners, issuer, storage, logs and traces) is refused with
//! a message saying so, as are configurations whose secrets would not survive a rebuild
//! (without `signing.key_encryption_key`, or authenticator apps without their key, the
//! process's own random secrets would change and every token and enrollment with them).

use crate::app::{self, Kept};
use crate::background::Background;
use crate::config::{self, Settings};
use crate::factory::Deps;
use crate::live::Live;
use actix_web::web;
use notify::{RecursiveMode, Watcher};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Settings a running instance cannot change.
#[derive(Debug, Clone, PartialEq)]
pub struct RestartOnly(Vec<(&'static str, String)>);

impl RestartOnly {
    pub fn of(s: &Settings) -> Self {
        RestartOnly(vec![
            ("issuer", s.issuer.clone()),
            ("http.listen", s.listen.to_string()),
            ("http.workers", s.workers.to_string()),
            ("http.hsts_max_age_secs", format!("{:?}", s.hsts_max_age)),
            ("ops.listen", s.ops_listen.to_string()),
            ("storage", format!("{:?}", s.storage)),
            ("log", format!("{} {}", s.log_level, s.log_format_json)),
            ("telemetry", format!("{:?}", s.telemetry)),
            ("reload.watch", s.watch_config.to_string()),
            // The metric's help text names the currency.
            ("costs.currency", s.prices.currency.clone()),
            // Refresh tokens, sealed codes, shared keys and enrolled apps depend on these: a
            // new one would make them worthless, so it takes a planned restart.
            (
                "signing.key_encryption_key",
                fingerprint(s.key_encryption_key.as_ref().map(|k| k.expose().as_bytes())),
            ),
            (
                "totp.encryption_key",
                fingerprint(s.totp.as_ref().map(|t| t.key_fingerprint.as_slice())),
            ),
        ])
    }

    fn changed(&self, other: &RestartOnly) -> Vec<String> {
        self.0
            .iter()
            .zip(&other.0)
            .filter(|(a, b)| a.1 != b.1)
            .map(|(a, _)| format!("{}: changed; restart wagate to apply it", a.0))
            .collect()
    }
}

pub struct Reloader {
    live: web::Data<Live>,
    background: Arc<Background>,
    deps: Deps,
    restart_only: RestartOnly,
    source: Mutex<Option<PathBuf>>,
    /// The file watch, kept alive as long as the instance.
    watcher: Mutex<Option<notify::RecommendedWatcher>>,
    /// One reload at a time.
    busy: tokio::sync::Mutex<()>,
}

impl Reloader {
    pub(crate) fn new(
        live: web::Data<Live>,
        background: Arc<Background>,
        deps: Deps,
        restart_only: RestartOnly,
    ) -> Self {
        live.load().metrics.config_loaded(deps.clock.now());
        Reloader {
            live,
            background,
            deps,
            restart_only,
            source: Mutex::new(None),
            watcher: Mutex::new(None),
            busy: tokio::sync::Mutex::new(()),
        }
    }

    /// The file to read again (none: the embedded defaults).
    pub fn set_source(&self, path: PathBuf) {
        *self.source.lock().unwrap_or_else(PoisonError::into_inner) = Some(path);
    }

    fn source(&self) -> Option<PathBuf> {
        self.source
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn keep_watcher(&self, watcher: notify::RecommendedWatcher) {
        *self.watcher.lock().unwrap_or_else(PoisonError::into_inner) = Some(watcher);
    }

    /// Reads the configuration again and, if it is sound, serves new requests with it. The
    /// problems of a refused one are logged and returned.
    pub async fn reload(&self) -> Result<(), Vec<String>> {
        let _one = self.busy.lock().await;
        let now = self.deps.clock.now();
        let metrics = self.live.load().metrics.clone();
        match self.rebuild().await {
            Ok(()) => {
                metrics.reloaded(true, now);
                tracing::info!("configuration reloaded: new requests use it");
                Ok(())
            }
            Err(problems) => {
                metrics.reloaded(false, now);
                for p in &problems {
                    tracing::error!("configuration reload refused: {p}");
                }
                tracing::error!(
                    "the configuration in force is kept ({} problem(s))",
                    problems.len()
                );
                Err(problems)
            }
        }
    }

    async fn rebuild(&self) -> Result<(), Vec<String>> {
        let settings = config::load_settings(self.source().as_deref())?;
        let mut problems = self.restart_only.changed(&RestartOnly::of(&settings));
        if settings.key_encryption_key.is_none() {
            problems.push("signing.key_encryption_key: needed to reload (without it the refresh-token and signing keys are this process's own, and a new configuration would lose them); restart instead".into());
        }
        if settings.totp.as_ref().is_some_and(|t| t.throwaway_key) {
            problems.push("totp.encryption_key: needed to reload with authenticator apps on (enrolled apps would stop working); restart instead".into());
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        for w in &settings.warnings {
            tracing::warn!("configuration: {w}");
        }
        let prices = settings.prices.clone();
        let old = self.live.load();
        let kept = Kept {
            store: old.store.clone(),
            metrics: old.metrics.clone(),
        };
        let state = app::build_state_keeping(settings, &self.deps, Some(kept))
            .await
            .map_err(|e| vec![e.to_string()])?;
        // A storage blip while the shared keys were read would leave the new state unable to
        // sign, where the old one can.
        if old.provider.can_sign() && !state.provider.can_sign() {
            return Err(vec![
                "signing keys: could not be loaded (is storage answering?); try again".into(),
            ]);
        }
        let state = Arc::new(state);
        state.metrics.set_prices(prices);
        state
            .metrics
            .signing_keys(&state.provider.signing_key_dates(), self.deps.clock.now());
        self.live.replace(state.clone());
        self.background.start(&state);
        Ok(())
    }
}

/// Reloads on every SIGHUP for as long as the process runs.
pub fn on_hangup(reloader: Arc<Reloader>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else {
        tracing::error!("cannot listen for SIGHUP: the configuration cannot be reloaded");
        return;
    };
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!("SIGHUP: reading the configuration again");
            let _ = reloader.reload().await;
        }
    });
}

/// Watches the configuration file's directory (editors and Kubernetes replace files rather
/// than write them in place) and reloads when the file's content changed.
pub fn watch(reloader: Arc<Reloader>) -> Result<notify::RecommendedWatcher, String> {
    let path = reloader
        .source()
        .ok_or("no configuration file to watch (embedded defaults)")?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_owned();
    // Read now, not in the task: a change made before the task first runs must still differ.
    let mut seen = digest(&path);
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok() {
            let _ = tx.send(());
        }
    })
    .map_err(|e| e.to_string())?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    tokio::spawn(async move {
        while rx.recv().await.is_some() {
            // A save is often several events (truncate, write, rename): act once they settle.
            while let Ok(Some(())) =
                tokio::time::timeout(Duration::from_millis(200), rx.recv()).await
            {}
            let now = digest(&path);
            if now.is_some() && now != seen {
                tracing::info!(config = %path.display(), "the configuration file changed: reading it again");
                // A refused file is tried again at the next change in its directory (a secret
                // file it names may arrive after it).
                if reloader.reload().await.is_ok() {
                    seen = now;
                }
            }
        }
    });
    Ok(watcher)
}

/// A short digest of a secret, for telling whether it changed (never logged).
fn fingerprint(secret: Option<&[u8]>) -> String {
    secret
        .map(|s| hex(&Sha256::digest(s)[..8]))
        .unwrap_or_default()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(path: &Path) -> Option<[u8; 32]> {
    std::fs::read(path)
        .ok()
        .map(|bytes| Sha256::digest(&bytes).into())
}
