//! Connections: one multiplexed connection for standalone Redis and for the master the
//! sentinels name, the cluster client's connection for Redis Cluster. They are made on first
//! use, so wagate starts while Redis is down, and remade after a failure.
//!
//! Each thread that calls gets its own: an HTTP worker then drives its connection on its own
//! runtime, and no call waits for another thread to be woken (on a busy core, the hand-over
//! between threads cost more than the call).
//!
//! A multiplexed connection whose server went away (a restart, a fail-over) is known dead as
//! soon as its reader sees the end of the stream, before any request uses it: the next call
//! makes a new connection instead of failing on the stale one. A request that failed after it
//! was written is never repeated (a write may have run).

use super::dial::{Dialed, dial, tls_config};
use crate::{StoreError, StoreResult};
use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::sentinel::{SentinelClient, SentinelServerType};
use redis::{AsyncConnectionConfig, Cmd, Pipeline, RedisFuture, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;
use std::time::Duration;
use tokio::sync::RwLock;
use tracing::Instrument;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedisTopology {
    /// `redis://host:port/db` or `rediss://...` (TLS).
    Standalone(String),
    /// Seed nodes of a Redis Cluster (`redis://` or `rediss://` URLs).
    Cluster(Vec<String>),
    /// Sentinels watching the master named `master`; wagate follows fail-overs.
    Sentinel { nodes: Vec<String>, master: String },
}

#[derive(Debug, Clone)]
pub struct RedisConfig {
    pub topology: RedisTopology,
    pub key_prefix: String,
    /// Bound on every call, connecting included.
    pub timeout: Duration,
    /// PEM of the CA that signed the Redis server's certificate (`rediss://` with a private
    /// CA); `None` trusts the system's roots.
    pub tls_ca_pem: Option<Vec<u8>>,
}

#[derive(Clone)]
pub(crate) enum Conn {
    /// Standalone Redis, or the master the sentinels named.
    Multiplexed(MultiplexedConnection),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Conn {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        let call = match self {
            Conn::Multiplexed(c) => c.req_packed_command(cmd),
            Conn::Cluster(c) => c.req_packed_command(cmd),
        };
        traced(command_name(cmd), call)
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        cmd: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        let call = match self {
            Conn::Multiplexed(c) => c.req_packed_commands(cmd, offset, count),
            Conn::Cluster(c) => c.req_packed_commands(cmd, offset, count),
        };
        traced("pipeline", call)
    }

    fn get_db(&self) -> i64 {
        match self {
            Conn::Multiplexed(c) => c.get_db(),
            Conn::Cluster(c) => c.get_db(),
        }
    }
}

/// Every command in a span of its own, which the server times and exports.
fn traced<'a, T: Send + 'a>(command: &'static str, call: RedisFuture<'a, T>) -> RedisFuture<'a, T> {
    let span = wagate_telemetry::storage_span(command);
    let own = span.clone();
    Box::pin(
        async move {
            let result = call.await;
            wagate_telemetry::outcome(&own, result.is_ok());
            result
        }
        .instrument(span),
    )
}

/// Commands named in spans and metrics; any other is "other" (labels must stay few).
const COMMANDS: &[&str] = &[
    "GET",
    "SET",
    "GETDEL",
    "DEL",
    "EXISTS",
    "INCR",
    "INCRBY",
    "EXPIRE",
    "PEXPIRE",
    "PERSIST",
    "PTTL",
    "TTL",
    "EVAL",
    "EVALSHA",
    "SCRIPT",
    "ZADD",
    "ZREM",
    "ZRANGE",
    "ZRANGEBYSCORE",
    "ZREVRANGEBYSCORE",
    "ZREVRANGEBYLEX",
    "ZREMRANGEBYSCORE",
    "ZCARD",
    "ZSCORE",
    "HGET",
    "HSET",
    "HDEL",
    "HVALS",
    "HGETALL",
    "MGET",
    "SCAN",
    "PING",
    "INFO",
    "SADD",
    "SREM",
    "SMEMBERS",
];

/// The command's name, without allocating: the first argument, matched against the known ones.
fn command_name(cmd: &Cmd) -> &'static str {
    match cmd.args_iter().next() {
        Some(redis::Arg::Simple(name)) => COMMANDS
            .iter()
            .find(|known| known.as_bytes().eq_ignore_ascii_case(name))
            .copied()
            .unwrap_or("other"),
        _ => "other",
    }
}

/// A connection in use, and whether its server has gone away.
#[derive(Clone)]
pub(crate) struct Live {
    pub(crate) conn: Conn,
    /// Set by the connection's reader when the stream ends or breaks. Cluster connections
    /// manage their nodes themselves and never set it.
    dead: Arc<AtomicBool>,
}

impl Live {
    fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Acquire)
    }
}

#[derive(Clone)]
pub(crate) struct Connection {
    config: RedisConfig,
    /// For `rediss://` servers.
    tls: Arc<rustls::ClientConfig>,
    /// The connection of each thread that called.
    slots: Arc<Mutex<HashMap<ThreadId, Slot>>>,
}

type Slot = Arc<RwLock<Option<Live>>>;

impl Connection {
    pub(crate) fn new(config: RedisConfig) -> StoreResult<Self> {
        let bad = |e: redis::RedisError| StoreError::Unavailable(e.to_string());
        // Parse now, so a bad URL is a start-up error rather than a runtime one.
        match &config.topology {
            RedisTopology::Standalone(url) => {
                redis::Client::open(url.as_str()).map_err(bad)?;
            }
            RedisTopology::Cluster(nodes) => {
                ClusterClientBuilder::new(nodes.clone())
                    .build()
                    .map_err(bad)?;
            }
            RedisTopology::Sentinel { nodes, master } => {
                SentinelClient::build(
                    nodes.clone(),
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )
                .map_err(bad)?;
            }
        }
        let uses_tls = match &config.topology {
            RedisTopology::Standalone(url) => url.starts_with("rediss:"),
            RedisTopology::Cluster(urls) | RedisTopology::Sentinel { nodes: urls, .. } => {
                urls.iter().any(|u| u.starts_with("rediss:"))
            }
        };
        let tls = tls_config(uses_tls, config.tls_ca_pem.as_deref()).map_err(bad)?;
        Ok(Connection {
            config,
            tls,
            slots: Arc::default(),
        })
    }

    /// The calling thread's slot. A new thread's slot is made after dropping the slots whose
    /// connection has ended (a thread that is gone leaves its own behind, ended with its
    /// runtime).
    fn slot(&self) -> Slot {
        let thread = std::thread::current().id();
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = slots.get(&thread) {
            return slot.clone();
        }
        slots.retain(|_, slot| match slot.try_read() {
            Ok(live) => !live.as_ref().is_some_and(Live::is_dead),
            Err(_) => true,
        });
        slots.entry(thread).or_default().clone()
    }

    /// The live connection, made if there is none yet or its server went away. Nothing is
    /// ever sent on a connection known dead.
    pub(crate) async fn get(&self) -> StoreResult<Live> {
        let slot = self.slot();
        if let Some(live) = slot.read().await.as_ref()
            && !live.is_dead()
        {
            return Ok(live.clone());
        }
        let mut slot = slot.write().await;
        if let Some(live) = slot.as_ref()
            && !live.is_dead()
        {
            return Ok(live.clone());
        }
        *slot = None;
        let live = match self.connect().await {
            Ok(live) => live,
            // Nothing was sent on a connection that could not be made: one more try is safe,
            // and it meets a server that came back a moment ago.
            Err(_) => self.connect().await?,
        };
        *slot = Some(live.clone());
        Ok(live)
    }

    async fn connect(&self) -> StoreResult<Live> {
        let fail = |e: redis::RedisError| StoreError::Unavailable(format!("redis: {e}"));
        let t = self.config.timeout;
        // Answers are awaited as long as the store's own bound allows (see `RedisStore::run`).
        let config = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(t))
            .set_response_timeout(None);
        let dialed = match &self.config.topology {
            RedisTopology::Standalone(url) => {
                let client = redis::Client::open(url.as_str()).map_err(fail)?;
                dial(&client, &self.tls, config, t).await.map_err(fail)?
            }
            RedisTopology::Cluster(nodes) => {
                // The cluster client watches and reconnects its nodes itself; it must not send a
                // command again after a failure (a write may have run), so no retries: after a
                // slot moved, one call fails and the next goes to the right node.
                let client = ClusterClientBuilder::new(nodes.clone())
                    .connection_timeout(t)
                    .response_timeout(t)
                    .retries(0)
                    .build()
                    .map_err(fail)?;
                return Ok(Live {
                    conn: Conn::Cluster(client.get_async_connection().await.map_err(fail)?),
                    dead: Arc::new(AtomicBool::new(false)),
                });
            }
            RedisTopology::Sentinel { nodes, master } => {
                let mut sentinels = SentinelClient::build(
                    nodes.clone(),
                    master.clone(),
                    None,
                    SentinelServerType::Master,
                )
                .map_err(fail)?;
                let client = sentinels.async_get_client().await.map_err(fail)?;
                dial(&client, &self.tls, config, t).await.map_err(fail)?
            }
        };
        let Dialed { conn, dead } = dialed;
        Ok(Live {
            conn: Conn::Multiplexed(conn),
            dead,
        })
    }

    /// After a failed call on `used`: retire the connection when it broke or did not answer
    /// (a peer gone without closing it would otherwise keep it for minutes), and after any
    /// failure on a sentinel-found master (so the next call asks the sentinels where the
    /// master is now). The next call makes a new one; nothing waits here.
    pub(crate) fn failed(&self, used: &Live, broken_or_silent: bool) {
        let sentinel = matches!(self.config.topology, RedisTopology::Sentinel { .. });
        if broken_or_silent || sentinel {
            used.dead.store(true, Ordering::Release);
        }
    }

    /// Redis Cluster: the cluster client manages its node connections itself.
    pub(crate) fn is_cluster(&self) -> bool {
        matches!(self.config.topology, RedisTopology::Cluster(_))
    }
}

#[cfg(test)]
mod tests {
    use super::command_name;

    #[test]
    fn commands_are_named_and_strangers_are_other() {
        // The admin API's listing of people reads with this one.
        assert_eq!(
            command_name(&redis::cmd("ZREVRANGEBYLEX")),
            "ZREVRANGEBYLEX"
        );
        assert_eq!(command_name(&redis::cmd("get")), "GET");
        assert_eq!(command_name(&redis::cmd("FLUSHALL")), "other");
    }
}
