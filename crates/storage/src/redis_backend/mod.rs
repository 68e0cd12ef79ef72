//! The Redis backend: standalone (`redis://`, `rediss://`) or Redis Cluster. Every operation
//! that must be atomic is one command or one Lua script on one key (or on keys that share a
//! hash tag), so it holds across any number of wagate instances.
//!
//! Key layout (documented in docs/operations.md), all under the configured prefix:
//! `flow:{id}`, `ch:{flow}`, `code:{hash}` + `code:{hash}:r`, `user:{sub}`, `phone:{e164}`,
//! `ctr:{key}`, `sess:{sid}`, `rt:{hash}`, `mark:{key}`, `msg:{message id}`, `trace:{flow}`;
//! per person `usess:{sub}`, `ugrant:{sub}`, `ulast:{sub}` and across people `users:{index}`
//! (`people.rs`); the event queue under `events:{queue}:` (`events.rs`).

mod connection;
mod dial;
mod events;
mod messages;
mod people;
mod scripts;
mod stores;

pub use connection::{RedisConfig, RedisTopology};

use crate::{StoreError, StoreResult};
use connection::Connection;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;
use std::time::Duration;

/// Storage on Redis. Cheap to clone; connects lazily and reconnects by itself.
#[derive(Clone)]
pub struct RedisStore {
    conn: Connection,
    prefix: String,
    timeout: Duration,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Does not connect: wagate starts (and reports not ready) while Redis is away.
    pub fn new(config: RedisConfig) -> StoreResult<Self> {
        // rustls is built with two crypto back ends in this program; `rediss://` needs one
        // chosen for the process. A second install (already chosen) is fine to ignore.
        let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
        let timeout = config.timeout;
        let prefix = config.key_prefix.clone();
        Ok(RedisStore {
            conn: Connection::new(config)?,
            prefix,
            timeout,
        })
    }

    fn key(&self, kind: &str, id: &str) -> String {
        format!("{}{kind}:{{{id}}}", self.prefix)
    }

    /// Runs `op` against the connection with the configured timeout. A call is never
    /// repeated once sent; only making the connection is (see `Connection::get`).
    async fn run<T, F, Fut>(&self, op: F) -> StoreResult<T>
    where
        F: FnOnce(connection::Conn) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let mut used = None;
        let attempt = async {
            let live = self.conn.get().await.map_err(|e| (e, false))?;
            used = Some(live.clone());
            op(live.conn).await.map_err(|e| {
                let broken = e.is_unrecoverable_error() || e.is_io_error();
                (unavailable(e), broken)
            })
        };
        let (result, broken) = match tokio::time::timeout(self.timeout, attempt).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err((e, broken))) => (e, broken),
            // No answer: the connection is retired too, but for a cluster, whose client
            // watches its nodes itself.
            Err(_) => (
                StoreError::Unavailable("redis did not answer in time".into()),
                !self.conn.is_cluster(),
            ),
        };
        if let Some(live) = &used {
            self.conn.failed(live, broken);
        }
        Err(result)
    }
}

pub(crate) fn unavailable(e: redis::RedisError) -> StoreError {
    StoreError::Unavailable(format!("redis: {e}"))
}

pub(crate) fn encode<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn decode<T: DeserializeOwned>(raw: Option<String>) -> StoreResult<Option<T>> {
    raw.map(|s| serde_json::from_str(&s).map_err(|e| StoreError::Corrupt(e.to_string())))
        .transpose()
}

/// Milliseconds for PX arguments; at least 1 (0 would be an error in Redis).
pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}
